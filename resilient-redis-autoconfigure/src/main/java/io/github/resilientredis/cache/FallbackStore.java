/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.resilientredis.cache;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.jspecify.annotations.Nullable;

/**
 * The local copy of one cache that answers while Redis cannot: every value read from or
 * written to Redis is mirrored here, bounded in size and time to live.
 * <p>
 * Values are held by value, as the bytes Redis holds (the cache's value serializer's
 * output): each read deserializes a new instance, as a read from Redis does, so a caller
 * that changes what it put or read never changes what is served later. A read from Redis
 * that finds the bytes already held stores nothing.
 * <p>
 * Writes of the application always win over values that a concurrent read brought back
 * from Redis: a read passes the write sequence of its key's stripe it saw before going to
 * Redis, and its value is only stored if no write of a key of that stripe happened since,
 * so that an older value read from Redis never overwrites a newer one written by another
 * thread, while writes of other keys leave the read's value to be held.
 * <p>
 * For a near-cached cache ({@link NearCacheTracking}) each entry also carries the trust
 * epoch of the tracking link it was read under: it answers a read without Redis only
 * while that epoch is still the link's trusted one. Entries the application wrote carry
 * none, and every entry stays as the outage fallback. Such an entry also keeps the value
 * its read decoded when no caller can change it ({@link ImmutableValues}), or for every
 * value when the cache stores by reference, so that a near hit does not deserialize.
 *
 * @author resilient-redis contributors
 */
final class FallbackStore {

	private static final int ACCESS_SAMPLE = 8;

	private static final int SEQUENCE_STRIPES = 1024;

	/**
	 * Trust epoch of entries that never answer a read without Redis.
	 */
	static final long UNTRUSTED = 0;

	private final @Nullable Cache<String, Entry> entries;

	private final Duration timeToLive;

	private final boolean servesFallback;

	/**
	 * Whether near entries keep the decoded value of every type, not only of immutable
	 * ones.
	 */
	private final boolean storesByReference;

	/**
	 * Write sequences by stripe of keys: a write or invalidation advances its key's.
	 */
	private final AtomicLongArray writeSequences = new AtomicLongArray(SEQUENCE_STRIPES);

	private FallbackStore(@Nullable Cache<String, Entry> entries, Duration timeToLive, boolean servesFallback,
			boolean storesByReference) {
		this.entries = entries;
		this.timeToLive = timeToLive;
		this.servesFallback = servesFallback;
		this.storesByReference = storesByReference;
	}

	static FallbackStore create(ResilientCacheSettings settings) {
		if (!settings.fallbackEnabled()) {
			return new FallbackStore(null, Duration.ZERO, false, false);
		}
		return new FallbackStore(entries(settings.fallbackMaximumSize()), settings.fallbackTimeToLive(), true, false);
	}

	/**
	 * Create the store of a near-cached cache: it holds entries even when the fallback is
	 * disabled (then only to answer near hits), bounded by the larger of both sizes.
	 * @param settings the fallback settings
	 * @param near the near cache settings
	 * @return the store
	 */
	static FallbackStore createNear(ResilientCacheSettings settings, NearCacheSettings near) {
		long maximumSize = settings.fallbackEnabled() ? Math.max(settings.fallbackMaximumSize(), near.maximumSize())
				: near.maximumSize();
		return new FallbackStore(entries(maximumSize), settings.fallbackTimeToLive(), settings.fallbackEnabled(),
				near.storeByReference());
	}

	private static Cache<String, Entry> entries(long maximumSize) {
		return Caffeine.newBuilder().maximumSize(maximumSize).expireAfter(new EntryExpiry()).build();
	}

	/**
	 * Return the serialized value held for the key, to answer while Redis cannot.
	 * @param cacheKey the Redis key of the entry, without serialization
	 * @return the serialized value, or {@code null} if none is held
	 */
	byte @Nullable [] get(String cacheKey) {
		Entry entry = (this.entries != null && this.servesFallback) ? this.entries.getIfPresent(cacheKey) : null;
		return (entry != null) ? entry.value() : null;
	}

	/**
	 * Return the entry held for the key if it was read from Redis under the given trust
	 * epoch of the tracking link.
	 * @param cacheKey the Redis key of the entry, without serialization
	 * @param trust the link's trusted epoch, {@link #UNTRUSTED} when it is not trusted
	 * @return the entry, or {@code null} if none is held under that epoch
	 */
	@Nullable Entry getTrusted(String cacheKey, long trust) {
		if (trust == UNTRUSTED || this.entries == null) {
			return null;
		}
		Entry entry = this.entries.getIfPresent(cacheKey);
		return (entry != null && entry.trust() == trust) ? entry : null;
	}

	/**
	 * Return the write sequence of the key to pass to {@link #mirror} and
	 * {@link #invalidateFromRead} once the read from Redis completes: only a write or
	 * invalidation of the key (or of another key of its stripe) advances it.
	 * @param cacheKey the key about to be read
	 * @return the current write sequence of the key
	 */
	long writeSequence(String cacheKey) {
		return this.writeSequences.get(stripe(cacheKey));
	}

	private static int stripe(String cacheKey) {
		int hash = cacheKey.hashCode();
		return (hash ^ (hash >>> 16)) & (SEQUENCE_STRIPES - 1);
	}

	private void advance(String cacheKey) {
		this.writeSequences.incrementAndGet(stripe(cacheKey));
	}

	/**
	 * Hold what the application wrote.
	 * @param cacheKey the key
	 * @param value the serialized value
	 * @param entryTimeToLive the entry's time to live in Redis
	 */
	void write(String cacheKey, byte[] value, @Nullable Duration entryTimeToLive) {
		if (this.entries != null) {
			Entry entry = new Entry(value, ttlNanos(entryTimeToLive), UNTRUSTED, null);
			this.entries.asMap().compute(cacheKey, (key, current) -> {
				advance(key);
				return entry;
			});
		}
	}

	void evict(String cacheKey) {
		if (this.entries != null) {
			this.entries.asMap().compute(cacheKey, (key, current) -> {
				advance(key);
				return null;
			});
		}
	}

	void clear() {
		if (this.entries != null) {
			for (int i = 0; i < SEQUENCE_STRIPES; i++) {
				this.writeSequences.incrementAndGet(i);
			}
			this.entries.invalidateAll();
		}
	}

	/**
	 * Hold what a read found in Redis, unless the application wrote since the read
	 * started.
	 * @param cacheKey the key
	 * @param value the serialized value Redis answered
	 * @param entryTimeToLive the entry's time to live in Redis
	 * @param sequence the {@link #writeSequence(String)} taken before the read
	 */
	void mirror(String cacheKey, byte[] value, @Nullable Duration entryTimeToLive, long sequence) {
		mirror(cacheKey, value, entryTimeToLive, sequence, UNTRUSTED, null);
	}

	/**
	 * Hold what a read found in Redis, unless the application wrote, or Redis invalidated
	 * the key, since the read started.
	 * @param cacheKey the key
	 * @param value the serialized value Redis answered
	 * @param entryTimeToLive the entry's time to live in Redis
	 * @param sequence the {@link #writeSequence(String)} taken before the read
	 * @param trust the trusted epoch of the tracking link taken before the read
	 * @param decoded the value the read decoded from these bytes, kept for near hits if
	 * no caller can change it or the store keeps values by reference
	 */
	void mirror(String cacheKey, byte[] value, @Nullable Duration entryTimeToLive, long sequence, long trust,
			@Nullable Object decoded) {
		if (this.entries != null) {
			Object kept = (trust != UNTRUSTED && (this.storesByReference || ImmutableValues.isImmutable(decoded)))
					? decoded : null;
			// Most hits only check what is held, without telling the eviction policy:
			// one in ACCESS_SAMPLE tells it, enough for it to know the hot keys.
			Entry held = (ThreadLocalRandom.current().nextInt(ACCESS_SAMPLE) != 0)
					? this.entries.policy().getIfPresentQuietly(cacheKey) : this.entries.getIfPresent(cacheKey);
			if (held != null && held.trust() == trust && (kept == null || held.decoded() != null)
					&& Arrays.equals(held.value(), value)) {
				// Already mirrored: a lock-free read instead of a write on every hit.
				return;
			}
			Entry entry = new Entry(value, ttlNanos(entryTimeToLive), trust, kept);
			this.entries.asMap()
				.compute(cacheKey,
						(key, current) -> (this.writeSequences.get(stripe(key)) == sequence) ? entry : current);
		}
	}

	void invalidateFromRead(String cacheKey, long sequence) {
		if (this.entries != null && this.entries.getIfPresent(cacheKey) != null) {
			this.entries.asMap()
				.compute(cacheKey,
						(key, current) -> (this.writeSequences.get(stripe(key)) == sequence) ? null : current);
		}
	}

	long size() {
		if (this.entries == null) {
			return 0;
		}
		this.entries.cleanUp();
		return this.entries.estimatedSize();
	}

	/**
	 * Return the time to live of an entry held locally, for tests.
	 * @param cacheKey the key
	 * @return the time to live in nanoseconds, or {@code -1} if the key is not held
	 */
	long timeToLiveNanos(String cacheKey) {
		Entry entry = (this.entries != null) ? this.entries.getIfPresent(cacheKey) : null;
		return (entry != null) ? entry.ttlNanos() : -1;
	}

	private long ttlNanos(@Nullable Duration entryTimeToLive) {
		Duration ttl = this.timeToLive;
		if (entryTimeToLive != null && !entryTimeToLive.isZero() && !entryTimeToLive.isNegative()
				&& entryTimeToLive.compareTo(ttl) < 0) {
			ttl = entryTimeToLive;
		}
		return ttl.toNanos();
	}

	/**
	 * A serialized value held by the fallback with its own time to live: never longer
	 * than the entry's time to live in Redis.
	 *
	 * @param value the serialized value, never changed once held
	 * @param ttlNanos time to live in nanoseconds
	 * @param trust the trust epoch of the tracking link it was read under, or
	 * {@link #UNTRUSTED}
	 * @param decoded the value decoded from these bytes that near hits answer as it is,
	 * or {@code null} when each near hit deserializes the bytes
	 */
	record Entry(byte[] value, long ttlNanos, long trust, @Nullable Object decoded) {

	}

	private static final class EntryExpiry implements Expiry<String, Entry> {

		@Override
		public long expireAfterCreate(String key, Entry value, long currentTime) {
			return value.ttlNanos();
		}

		@Override
		public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
			return value.ttlNanos();
		}

		@Override
		public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}

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
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.jspecify.annotations.Nullable;

/**
 * The local copy of one cache that answers while Redis cannot: every value read from or
 * written to Redis is mirrored here, bounded in size and time to live.
 * <p>
 * Writes of the application always win over values that a concurrent read brought back
 * from Redis: a read passes the write sequence it saw before going to Redis, and its
 * value is only stored if no write happened since, so that an older value read from Redis
 * never overwrites a newer one written by another thread.
 *
 * @author resilient-redis contributors
 */
final class FallbackStore {

	private final @Nullable Cache<String, Entry> entries;

	private final Duration timeToLive;

	private final AtomicLong writeSequence = new AtomicLong();

	private FallbackStore(@Nullable Cache<String, Entry> entries, Duration timeToLive) {
		this.entries = entries;
		this.timeToLive = timeToLive;
	}

	static FallbackStore create(ResilientCacheSettings settings) {
		if (!settings.fallbackEnabled()) {
			return new FallbackStore(null, Duration.ZERO);
		}
		Cache<String, Entry> entries = Caffeine.newBuilder()
			.maximumSize(settings.fallbackMaximumSize())
			.expireAfter(new EntryExpiry())
			.build();
		return new FallbackStore(entries, settings.fallbackTimeToLive());
	}

	/**
	 * Return the store value (Spring's {@code NullValue} for a cached {@code null}) held
	 * for the key.
	 * @param cacheKey the Redis key of the entry, without serialization
	 * @return the entry, or {@code null} if none is held
	 */
	@Nullable Entry get(String cacheKey) {
		return (this.entries != null) ? this.entries.getIfPresent(cacheKey) : null;
	}

	/**
	 * Return the write sequence to pass to {@link #putFromRead} and
	 * {@link #invalidateFromRead} once the read from Redis completes.
	 * @return the current write sequence
	 */
	long writeSequence() {
		return this.writeSequence.get();
	}

	void write(String cacheKey, Object storeValue, @Nullable Duration entryTimeToLive) {
		if (this.entries != null) {
			Entry entry = new Entry(storeValue, ttlNanos(entryTimeToLive));
			this.entries.asMap().compute(cacheKey, (key, current) -> {
				this.writeSequence.incrementAndGet();
				return entry;
			});
		}
	}

	void evict(String cacheKey) {
		if (this.entries != null) {
			this.entries.asMap().compute(cacheKey, (key, current) -> {
				this.writeSequence.incrementAndGet();
				return null;
			});
		}
	}

	void clear() {
		if (this.entries != null) {
			this.writeSequence.incrementAndGet();
			this.entries.invalidateAll();
		}
	}

	void putFromRead(String cacheKey, Object storeValue, @Nullable Duration entryTimeToLive, long sequence) {
		if (this.entries != null) {
			Entry held = this.entries.getIfPresent(cacheKey);
			if (held != null && held.storeValue().equals(storeValue)) {
				// Already mirrored: a lock-free read instead of a write on every hit.
				return;
			}
			Entry entry = new Entry(storeValue, ttlNanos(entryTimeToLive));
			this.entries.asMap()
				.compute(cacheKey, (key, current) -> (this.writeSequence.get() == sequence) ? entry : current);
		}
	}

	void invalidateFromRead(String cacheKey, long sequence) {
		if (this.entries != null && this.entries.getIfPresent(cacheKey) != null) {
			this.entries.asMap()
				.compute(cacheKey, (key, current) -> (this.writeSequence.get() == sequence) ? null : current);
		}
	}

	long size() {
		if (this.entries == null) {
			return 0;
		}
		this.entries.cleanUp();
		return this.entries.estimatedSize();
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
	 * A value held by the fallback with its own time to live: never longer than the
	 * entry's time to live in Redis.
	 *
	 * @param storeValue the store value
	 * @param ttlNanos time to live in nanoseconds
	 */
	record Entry(Object storeValue, long ttlNanos) {

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

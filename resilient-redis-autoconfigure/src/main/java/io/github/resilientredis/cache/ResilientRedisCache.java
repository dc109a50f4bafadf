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

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.cache.RedisCache;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * A {@link RedisCache} that no Redis fault reaches the caller of: reads retry transient
 * failures and then answer from a local fallback; writes go to the fallback while Redis
 * cannot take them, and the keys they touch are journaled and deleted from Redis before
 * Redis serves them again. Writes are synchronous, so a read that follows a write in the
 * same thread sees it, and a failed write is never silent.
 * <p>
 * The fallback holds values as serialized bytes and deserializes a new instance for each
 * read, as Redis does. The value loaded after a {@code @Cacheable} miss is not stored
 * over a write of the key made since the miss ({@link CacheWriteFence}); every other
 * {@code put} is a plain put. Values that no longer deserialize (a class changed in a
 * deploy) are evicted and answered as misses.
 * <p>
 * With a {@link io.github.resilientredis.connection.RedisServerWatch}, writes are
 * recorded for a while, to be deleted in Redis if the server turns out to have restarted
 * from older persistence or to have been replaced, and a reply that may come from such a
 * server before it was checked is not served: the read is answered from the fallback.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 * @see ResilientRedisCacheManager
 */
public class ResilientRedisCache extends RedisCache {

	private final CacheWriteFence fence = new CacheWriteFence();

	private final ResilientCacheStatistics statistics = new ResilientCacheStatistics();

	private final CacheRouter router;

	private final NearCacheReads near;

	private final InFlightLoads loads;

	private final WriterLoads writerLoads;

	private final AsyncCacheOperations async;

	/**
	 * Whether the writer is the starter's own: then this cache loads in the JVM;
	 * otherwise through the writer's get-or-load (a locking writer takes its lock),
	 * fenced all the same.
	 */
	private final boolean loadsInJvm;

	private final byte[] nearPrefix;

	/** How the synchronized loads are coordinated across instances. */
	private final CacheLoadPolicy loadPolicy;

	/**
	 * The load leases of this cache's keys in Redis: null when the policy coordinates
	 * nothing or the writer is the application's own.
	 */
	private final @Nullable LoadLeases leases;

	/** One load per key across instances: null when the policy's single flight is off. */
	private final @Nullable SingleFlightLoads singleFlight;

	/**
	 * The reads with the time left of a cache that refreshes early or serves stale
	 * values; null for the others, which read with a plain {@code GET}.
	 */
	private final @Nullable ExpiringReads expiringReads;

	/** The background refreshes; null when {@link #expiringReads} is. */
	private final @Nullable CacheRefreshes refreshes;

	private final EarlyExpiration expiration;

	ResilientRedisCache(String name, RedisCacheWriter cacheWriter, RedisCacheConfiguration cacheConfiguration,
			CacheCircuit circuit, CacheRecovery recovery, FallbackStore fallback,
			RecentWrites.@Nullable Source recentWrites, @Nullable NearCacheTracking near) {
		this(name, cacheWriter, cacheConfiguration, circuit, recovery, fallback, recentWrites, near,
				CacheLoadPolicy.NONE, null, null, null);
	}

	ResilientRedisCache(String name, RedisCacheWriter cacheWriter, RedisCacheConfiguration cacheConfiguration,
			CacheCircuit circuit, CacheRecovery recovery, FallbackStore fallback,
			RecentWrites.@Nullable Source recentWrites, @Nullable NearCacheTracking near, CacheLoadPolicy loadPolicy,
			@Nullable RedisConnectionFactory loadConnectionFactory, @Nullable LoadWakeups loadWakeups,
			@Nullable Executor refreshExecutor) {
		super(name, cacheWriter, cacheConfiguration);
		this.loads = new InFlightLoads(name);
		this.loadPolicy = loadPolicy;
		this.loadsInJvm = cacheWriter instanceof SynchronousCacheWriter synchronous && synchronous.isStarters();
		this.leases = (loadConnectionFactory != null && loadPolicy.isActive() && this.loadsInJvm) ? new LoadLeases(name,
				loadConnectionFactory, circuit, loadPolicy.leaseTime(), LoadLeases.isCluster(loadConnectionFactory))
				: null;
		CacheValues values = new Values();
		boolean timeToIdle = cacheConfiguration.isTimeToIdleEnabled();
		// Early refresh and stale values need the starter's writer (this cache stores the
		// refreshed value itself) and a time to live that reads do not move.
		LoadLeases leases = this.leases;
		boolean expiring = leases != null && loadConnectionFactory != null && !timeToIdle && refreshExecutor != null
				&& (loadPolicy.earlyRefresh() || !loadPolicy.staleTimeToLive().isZero());
		this.router = new CacheRouter(name, cacheWriter, values, timeToIdle, circuit, recovery, fallback, recentWrites,
				this.statistics, expiring ? loadPolicy.staleTimeToLive() : Duration.ZERO);
		this.expiration = new EarlyExpiration(loadPolicy.beta());
		this.expiringReads = expiring ? new ExpiringReads(this.router, loadConnectionFactory) : null;
		this.refreshes = expiring ? new CacheRefreshes(this.router, this.fence, values, this.expiration,
				refreshExecutor, leases, this.expiringReads, loadPolicy.refreshBackoff()) : null;
		String prefix = cacheConfiguration.usePrefix() ? cacheConfiguration.getKeyPrefixFor(name) : "";
		this.nearPrefix = serializeCacheKey(prefix);
		boolean nearCached = near != null
				&& NearCacheReads.supports(name, timeToIdle, this.nearPrefix, serializeCacheKey(prefix + "key"));
		this.near = new NearCacheReads(nearCached ? near : null, fallback, values, this.statistics);
		this.writerLoads = new WriterLoads(this.router, this.fence, values, timeToIdle, this::put);
		this.async = new AsyncCacheOperations(this.router, this.near, this.fence, values, timeToIdle);
		this.singleFlight = (leases != null && loadPolicy.singleFlight() && loadWakeups != null && !timeToIdle)
				? new SingleFlightLoads(this.router, this.fence, values, leases, loadWakeups, loadPolicy.waitTime(),
						this.near::trust)
				: null;
		recovery.register(name, serializeCacheKey(createCacheKey("*")));
	}

	/**
	 * Return the counters of this cache: where reads were answered from and where writes
	 * went.
	 * @return the statistics
	 */
	public ResilientCacheStatistics getResilienceStatistics() {
		return this.statistics;
	}

	/**
	 * Return how the synchronized loads of this cache are coordinated across instances.
	 * @return the load policy
	 */
	public CacheLoadPolicy getLoadPolicy() {
		return this.loadPolicy;
	}

	/**
	 * Return the number of entries held by the local fallback.
	 * @return the number of fallback entries
	 */
	public long getFallbackSize() {
		return this.router.fallback().size();
	}

	/**
	 * Return whether reads of this cache are answered from the JVM while the near cache's
	 * tracking link is trusted.
	 * @return whether this cache is near-cached
	 */
	public boolean isNearCached() {
		return this.near.isActive();
	}

	/**
	 * Return the load leases of this cache's keys in Redis.
	 * @return the leases, or {@code null} when loads are not coordinated through Redis
	 */
	@Nullable LoadLeases loadLeases() {
		return this.leases;
	}

	@Override
	protected @Nullable Object lookup(Object key) {
		String cacheKey = createCacheKey(key);
		// Read before Redis: a write of the key from now on fences the fill of a miss.
		long generation = this.fence.generation(cacheKey);
		Object storeValue;
		if (this.expiringReads != null) {
			// Without a loader, a stale value is a miss: nothing would refresh it.
			ExpiringReads.Read held = readExpiring(key, cacheKey, serializeCacheKey(cacheKey), false);
			storeValue = (held != null) ? held.storeValue() : null;
		}
		else {
			storeValue = read(key, cacheKey, null);
		}
		if (storeValue == null) {
			PendingFills.missed(this, cacheKey, generation);
		}
		return storeValue;
	}

	private @Nullable Object read(Object key, String cacheKey, byte @Nullable [] binaryKey) {
		// Taken before Redis is read: what it answers is held under this epoch.
		long trust = this.near.trust();
		Object nearValue = this.near.read(cacheKey, trust);
		if (nearValue != null) {
			// A near hit serializes nothing.
			return nearValue;
		}
		return this.router.read(key, cacheKey, (binaryKey != null) ? binaryKey : serializeCacheKey(cacheKey), trust);
	}

	private ExpiringReads.@Nullable Read readExpiring(Object key, String cacheKey, byte[] binaryKey,
			boolean acceptStale) {
		ExpiringReads reads = this.expiringReads;
		Assert.state(reads != null, "Not an expiring cache");
		long trust = this.near.trust();
		Object nearValue = this.near.read(cacheKey, trust);
		if (nearValue != null) {
			// Held in the JVM only while fresh.
			return new ExpiringReads.Read(nearValue, ExpiringReads.NO_EXPIRY);
		}
		return reads.read(key, cacheKey, binaryKey, trust, acceptStale);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		String cacheKey = createCacheKey(key);
		byte[] binaryKey = serializeCacheKey(cacheKey);
		if (this.expiringReads != null) {
			return getExpiring(key, cacheKey, binaryKey, valueLoader);
		}
		Object cached = read(key, cacheKey, binaryKey);
		if (cached != null) {
			return (T) fromStoreValue(cached);
		}
		return this.loads.load(cacheKey, () -> this.fence.generation(cacheKey), () -> {
			long generation = this.fence.generation(cacheKey);
			Object held = read(key, cacheKey, binaryKey);
			if (held != null) {
				return (T) fromStoreValue(held);
			}
			if (!this.loadsInJvm && this.router.circuit().canWrite()) {
				return this.writerLoads.load(key, cacheKey, binaryKey, generation, valueLoader);
			}
			return loadMissed(key, cacheKey, binaryKey, generation, valueLoader);
		});
	}

	// The load of a key that Redis and the JVM do not hold: across instances under the
	// key's lease when the policy says so, else in the JVM.
	private <T> @Nullable T loadMissed(Object key, String cacheKey, byte[] binaryKey, long generation,
			Callable<T> valueLoader) {
		SingleFlightLoads flight = this.singleFlight;
		if (flight != null) {
			return flight.load(key, cacheKey, binaryKey, generation, valueLoader,
					() -> loadInJvm(key, cacheKey, binaryKey, generation, valueLoader));
		}
		this.statistics.load(SingleFlightLoads.LoadRole.LOCAL);
		return loadInJvm(key, cacheKey, binaryKey, generation, valueLoader);
	}

	// A synchronized load of a cache that refreshes early or serves stale values.
	@SuppressWarnings("unchecked")
	private <T> @Nullable T getExpiring(Object key, String cacheKey, byte[] binaryKey, Callable<T> valueLoader) {
		boolean acceptStale = !this.loadPolicy.staleTimeToLive().isZero();
		ExpiringReads.Read cached = readExpiring(key, cacheKey, binaryKey, acceptStale);
		if (cached != null) {
			return (T) answer(key, cacheKey, binaryKey, cached, valueLoader);
		}
		return this.loads.load(cacheKey, () -> this.fence.generation(cacheKey), () -> {
			long generation = this.fence.generation(cacheKey);
			ExpiringReads.Read held = readExpiring(key, cacheKey, binaryKey, acceptStale);
			if (held != null) {
				return (T) answer(key, cacheKey, binaryKey, held, valueLoader);
			}
			return loadMissed(key, cacheKey, binaryKey, generation, timed(valueLoader));
		});
	}

	// The loader, timed for the early refreshes.
	private <T> Callable<T> timed(Callable<T> valueLoader) {
		return () -> {
			long start = System.nanoTime();
			T value = valueLoader.call();
			this.expiration.loaded(System.nanoTime() - start);
			return value;
		};
	}

	// Answer a value held, refreshing it in the background if it is stale or, by
	// chance, close to its expiry.
	private @Nullable Object answer(Object key, String cacheKey, byte[] binaryKey, ExpiringReads.Read held,
			Callable<?> valueLoader) {
		CacheRefreshes refreshes = this.refreshes;
		Assert.state(refreshes != null, "Not an expiring cache");
		if (held.isStale()) {
			this.statistics.staleServed();
			refreshes.refresh(key, cacheKey, binaryKey, valueLoader, held.remainingNanos(), true);
		}
		else if (this.loadPolicy.earlyRefresh() && this.expiration.shouldRefresh(held.remainingNanos())) {
			refreshes.refresh(key, cacheKey, binaryKey, valueLoader, held.remainingNanos(), false);
		}
		return fromStoreValue(held.storeValue());
	}

	private <T> @Nullable T loadInJvm(Object key, String cacheKey, byte[] binaryKey, long generation,
			Callable<T> valueLoader) {
		T value = WriterLoads.call(key, valueLoader);
		fill(key, cacheKey, binaryKey, value, generation);
		return value;
	}

	// Before any other write of the key: a load under its lease, here or on another
	// instance, does not store after this write.
	private void revokeLease(byte[] binaryKey) {
		LoadLeases leases = this.leases;
		if (leases != null) {
			leases.revoke(binaryKey);
		}
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		if (AsyncCacheOperations.isEventLoopThread() && getCacheWriter().supportsAsyncRetrieve()) {
			// A cached CompletableFuture completed by Redis itself: a synchronous write
			// here would wait for the very thread that has to read its reply.
			store(key, value);
			return;
		}
		String cacheKey = createCacheKey(key);
		long generation = PendingFills.take(this, cacheKey);
		if (generation != PendingFills.NONE) {
			fill(key, cacheKey, serializeCacheKey(cacheKey), value, generation);
			return;
		}
		byte[] binaryKey = serializeCacheKey(cacheKey);
		byte[] binaryValue = serializeCacheValue(checkedStoreValue(value));
		Duration timeToLive = timeToLive(key, value);
		this.fence.write(cacheKey, () -> {
			revokeLease(binaryKey);
			this.router.put(cacheKey, binaryKey, binaryValue, timeToLive);
			return null;
		});
	}

	/**
	 * Return a put of the value to run later, after a commit: bound now to the miss it
	 * fills, if it is the fill of the running interception's miss.
	 * @param key the key
	 * @param value the value
	 * @return the put
	 */
	Runnable deferredPut(Object key, @Nullable Object value) {
		String cacheKey = createCacheKey(key);
		long generation = PendingFills.take(this, cacheKey);
		if (generation == PendingFills.NONE) {
			return () -> put(key, value);
		}
		return () -> fill(key, cacheKey, serializeCacheKey(cacheKey), value, generation);
	}

	// Store the value loaded after a miss, unless the key was written since.
	private void fill(Object key, String cacheKey, byte[] binaryKey, @Nullable Object value, long generation) {
		byte[] binaryValue = serializeCacheValue(checkedStoreValue(value));
		Duration timeToLive = timeToLive(key, value);
		if (!this.fence.fill(cacheKey, generation,
				() -> this.router.put(cacheKey, binaryKey, binaryValue, timeToLive))) {
			this.statistics.fillSuperseded();
		}
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		Object storeValue = preProcessCacheValue(value);
		if (storeValue == null) {
			return get(key);
		}
		String cacheKey = createCacheKey(key);
		PendingFills.forget(this, cacheKey);
		byte[] binaryKey = serializeCacheKey(cacheKey);
		byte[] binaryValue = serializeCacheValue(storeValue);
		Duration timeToLive = timeToLive(key, value);
		return this.fence.write(cacheKey, () -> {
			revokeLease(binaryKey);
			return this.router.putIfAbsent(key, cacheKey, binaryKey, binaryValue, timeToLive);
		});
	}

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		String cacheKey = createCacheKey(key);
		PendingFills.forget(this, cacheKey);
		byte[] binaryKey = serializeCacheKey(cacheKey);
		if (AsyncCacheOperations.isEventLoopThread()) {
			// This thread may be the one that completes the Redis replies others wait
			// for: the eviction is journaled, so that reads miss from now on and the
			// recovery deletes the key in Redis.
			if (!this.fence.tryAdvance(cacheKey)) {
				this.fence.advance(cacheKey);
			}
			return this.router.evictJournaled(cacheKey, binaryKey);
		}
		return this.fence.write(cacheKey, () -> {
			revokeLease(binaryKey);
			return this.router.evict(cacheKey, binaryKey);
		});
	}

	@Override
	public void clear() {
		clear("*");
	}

	@Override
	public void clear(String keyPattern) {
		clear(serializeCacheKey(createCacheKey(keyPattern)));
	}

	@Override
	public boolean invalidate() {
		return clear(serializeCacheKey(createCacheKey("*")));
	}

	private boolean clear(byte[] pattern) {
		PendingFills.forgetAll(this);
		if (AsyncCacheOperations.isEventLoopThread()) {
			// Journaled as a clear of the whole cache, as for evictIfPresent.
			this.fence.advanceAll();
			return this.router.clearJournaled();
		}
		return this.fence.clear(() -> {
			LoadLeases leases = this.leases;
			if (leases != null) {
				// Leases first: a load under one stores nothing after the clear.
				leases.leasePatterns(pattern).forEach(this.router::deleteMatching);
			}
			boolean cleared = this.router.clear(pattern);
			if (leases != null) {
				leases.cleared(pattern);
			}
			return cleared;
		});
	}

	@Override
	public CompletableFuture<ValueWrapper> retrieve(Object key) {
		if (!getCacheWriter().supportsAsyncRetrieve() || this.expiringReads != null) {
			// An expiring cache reads the time left with the value, synchronously.
			return CompletableFuture.completedFuture(get(key));
		}
		String cacheKey = createCacheKey(key);
		return this.async.retrieve(key, cacheKey, serializeCacheKey(cacheKey));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return retrieve(key).thenCompose((cached) -> {
			if (cached != null) {
				return CompletableFuture.completedFuture((T) cached.get());
			}
			return valueLoader.get().thenCompose((value) -> store(key, value).thenApply((stored) -> value));
		});
	}

	private CompletableFuture<Void> store(Object key, @Nullable Object value) {
		if (!getCacheWriter().supportsAsyncRetrieve()) {
			put(key, value);
			return CompletableFuture.completedFuture(null);
		}
		String cacheKey = createCacheKey(key);
		return this.async.store(cacheKey, serializeCacheKey(cacheKey), serializeCacheValue(checkedStoreValue(value)),
				timeToLive(key, value));
	}

	/**
	 * Redis pushed an invalidation of a key of this cache: drop the local entry, and any
	 * fill of it in flight.
	 * @param binaryKey the serialized key
	 */
	void nearInvalidated(byte[] binaryKey) {
		String cacheKey = getCacheConfiguration().getKeySerializationPair().read(ByteBuffer.wrap(binaryKey));
		if (cacheKey != null) {
			this.router.fallback().evict(cacheKey);
		}
	}

	/**
	 * Redis pushed a null invalidation (its data set was flushed): drop every entry.
	 */
	void nearFlushed() {
		this.router.fallback().clear();
	}

	/**
	 * Return the serialized key prefix tracked for this cache.
	 * @return the key prefix
	 */
	byte[] nearPrefix() {
		return this.nearPrefix;
	}

	private Object checkedStoreValue(@Nullable Object value) {
		Object storeValue = preProcessCacheValue(value);
		if (storeValue == null) {
			throw new IllegalArgumentException(("Cache '%s' does not allow 'null' values; Avoid storing null via "
					+ "'@Cacheable(unless=\"#result == null\")' or configure RedisCache to allow 'null' via "
					+ "RedisCacheConfiguration")
				.formatted(getName()));
		}
		return storeValue;
	}

	private Duration timeToLive(Object key, @Nullable Object value) {
		return getCacheConfiguration().getTtlFunction().getTimeToLive(key, value);
	}

	/**
	 * This cache's serialization, for the types it sends its operations through.
	 */
	private final class Values implements CacheValues {

		@Override
		public byte[] serialize(@Nullable Object value) {
			return serializeCacheValue(checkedStoreValue(value));
		}

		@Override
		public @Nullable Object deserialize(byte[] value) {
			return deserializeCacheValue(value);
		}

		@Override
		public @Nullable Object fromStoreValue(Object storeValue) {
			return ResilientRedisCache.this.fromStoreValue(storeValue);
		}

		@Override
		public Duration timeToLive(Object key, @Nullable Object value) {
			return ResilientRedisCache.this.timeToLive(key, value);
		}

	}

}

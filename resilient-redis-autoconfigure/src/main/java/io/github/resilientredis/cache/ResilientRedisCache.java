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
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.support.SimpleValueWrapper;
import org.springframework.data.redis.cache.RedisCache;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.util.ClassUtils;

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

	private static final Log logger = LogFactory.getLog(ResilientRedisCache.class);

	private static final int LOAD_LOCK_STRIPES = 64;

	private static final @Nullable Class<?> EVENT_LOOP_THREAD = ClassUtils
		.isPresent("io.netty.util.concurrent.FastThreadLocalThread", ResilientRedisCache.class.getClassLoader())
				? ClassUtils.resolveClassName("io.netty.util.concurrent.FastThreadLocalThread",
						ResilientRedisCache.class.getClassLoader())
				: null;

	private final CacheCircuit circuit;

	private final CacheRecovery recovery;

	private final FallbackStore fallback;

	/** Where writes are recorded for a replay if Redis forgets them; null when off. */
	private final RecentWrites.@Nullable Source recentWrites;

	private final CacheWriteFence fence = new CacheWriteFence();

	private final ResilientCacheStatistics statistics = new ResilientCacheStatistics();

	private final ReentrantLock[] loadLocks = new ReentrantLock[LOAD_LOCK_STRIPES];

	private final AtomicBoolean deserializationWarned = new AtomicBoolean();

	/**
	 * Whether the writer is the starter's own: then this cache fences its synchronized
	 * loads itself; otherwise they are the writer's (a locking writer takes its lock).
	 */
	private final boolean fencesLoads;

	private final String getOperation;

	private final String setOperation;

	private final String deleteOperation;

	/**
	 * The tracking link when this cache is near-cached, {@code null} otherwise: then a
	 * read does no near-cache work at all.
	 */
	private final @Nullable NearCacheTracking near;

	private final byte[] nearPrefix;

	ResilientRedisCache(String name, RedisCacheWriter cacheWriter, RedisCacheConfiguration cacheConfiguration,
			CacheCircuit circuit, CacheRecovery recovery, FallbackStore fallback,
			RecentWrites.@Nullable Source recentWrites) {
		this(name, cacheWriter, cacheConfiguration, circuit, recovery, fallback, recentWrites, null);
	}

	ResilientRedisCache(String name, RedisCacheWriter cacheWriter, RedisCacheConfiguration cacheConfiguration,
			CacheCircuit circuit, CacheRecovery recovery, FallbackStore fallback,
			RecentWrites.@Nullable Source recentWrites, @Nullable NearCacheTracking near) {
		super(name, cacheWriter, cacheConfiguration);
		this.circuit = circuit;
		this.recovery = recovery;
		this.fallback = fallback;
		this.recentWrites = recentWrites;
		this.fencesLoads = cacheWriter instanceof SynchronousCacheWriter;
		for (int i = 0; i < LOAD_LOCK_STRIPES; i++) {
			this.loadLocks[i] = new ReentrantLock();
		}
		this.getOperation = "GET " + name;
		this.setOperation = "SET " + name;
		this.deleteOperation = "DEL " + name;
		String prefix = cacheConfiguration.usePrefix() ? cacheConfiguration.getKeyPrefixFor(name) : "";
		this.nearPrefix = serializeCacheKey(prefix);
		this.near = (near != null && supportsNear(cacheConfiguration, prefix)) ? near : null;
	}

	// Tracking by prefix needs the serialized prefix to start every serialized key, and a
	// local hit must not skip the time-to-idle refresh Redis makes on each read.
	private boolean supportsNear(RedisCacheConfiguration cacheConfiguration, String prefix) {
		byte[] sample = serializeCacheKey(prefix + "key");
		if (cacheConfiguration.isTimeToIdleEnabled() || sample.length < this.nearPrefix.length
				|| !Arrays.equals(sample, 0, this.nearPrefix.length, this.nearPrefix, 0, this.nearPrefix.length)) {
			logger.warn("Cache '" + getName() + "' is not near-cached: it uses time-to-idle, or its key serializer "
					+ "does not keep the key prefix at the start of each key");
			return false;
		}
		return true;
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
	 * Return the number of entries held by the local fallback.
	 * @return the number of fallback entries
	 */
	public long getFallbackSize() {
		return this.fallback.size();
	}

	/**
	 * Return whether reads of this cache are answered from the JVM while the near cache's
	 * tracking link is trusted.
	 * @return whether this cache is near-cached
	 */
	public boolean isNearCached() {
		return this.near != null;
	}

	@Override
	protected @Nullable Object lookup(Object key) {
		String cacheKey = createCacheKey(key);
		// Read before Redis: a write of the key from now on fences the fill of a miss.
		long generation = this.fence.generation(cacheKey);
		Object storeValue = read(key, cacheKey, null);
		if (storeValue == null) {
			PendingFills.missed(this, cacheKey, generation);
		}
		return storeValue;
	}

	private @Nullable Object read(Object key, String cacheKey, byte @Nullable [] serializedKey) {
		long trust = FallbackStore.UNTRUSTED;
		if (this.near != null) {
			// Taken before Redis is read: what it answers is held under this epoch.
			trust = this.near.trustedEpoch();
			Object nearValue = fromNear(cacheKey, trust);
			if (nearValue != null) {
				return nearValue;
			}
		}
		byte[] binaryKey = (serializedKey != null) ? serializedKey : serializeCacheKey(cacheKey);
		long server = this.circuit.serverStamp();
		if (!this.circuit.canRead(getName(), binaryKey)) {
			return fromFallback(cacheKey);
		}
		long sequence = this.fallback.writeSequence(cacheKey);
		byte[] value;
		try {
			value = this.circuit.read(this.getOperation, () -> readFromRedis(key, binaryKey));
		}
		catch (RuntimeException ex) {
			this.circuit.requireRedisFailure(ex);
			return fromFallback(cacheKey);
		}
		if (!this.circuit.trustsReply(server)) {
			// Lettuce resends a command in flight after a reconnect: the reply may come
			// from a server that restarted or took over, not checked yet.
			return fromFallback(cacheKey);
		}
		return fromRedis(key, cacheKey, binaryKey, value, sequence, trust, false);
	}

	private byte @Nullable [] readFromRedis(Object key, byte[] binaryKey) {
		RedisCacheWriter writer = getCacheWriter();
		return getCacheConfiguration().isTimeToIdleEnabled() ? writer.get(getName(), binaryKey, timeToLive(key, null))
				: writer.get(getName(), binaryKey);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		String cacheKey = createCacheKey(key);
		byte[] binaryKey = serializeCacheKey(cacheKey);
		Object cached = read(key, cacheKey, binaryKey);
		if (cached != null) {
			return (T) fromStoreValue(cached);
		}
		ReentrantLock lock = this.loadLocks[Math.floorMod(key.hashCode(), LOAD_LOCK_STRIPES)];
		lock.lock();
		try {
			long generation = this.fence.generation(cacheKey);
			cached = read(key, cacheKey, binaryKey);
			if (cached != null) {
				return (T) fromStoreValue(cached);
			}
			if (!this.fencesLoads && this.circuit.canWrite()) {
				return loadThroughWriter(key, cacheKey, binaryKey, valueLoader);
			}
			T value = loadCacheValue(key, valueLoader);
			fill(key, cacheKey, binaryKey, value, generation);
			return value;
		}
		finally {
			lock.unlock();
		}
	}

	// Load through the writer's own get-or-load, so that a locking writer takes its Redis
	// lock and another instance does not load the same key too. Only the time spent on
	// Redis counts toward the breaker, not the loader's.
	@SuppressWarnings("unchecked")
	private <T> @Nullable T loadThroughWriter(Object key, String cacheKey, byte[] binaryKey, Callable<T> valueLoader) {
		if (!this.circuit.tryAcquirePermission()) {
			T value = loadCacheValue(key, valueLoader);
			put(key, value);
			return value;
		}
		long[] loaderNanos = new long[1];
		Object[] loaded = new Object[1];
		boolean[] loaderRan = new boolean[1];
		long sequence = this.fallback.writeSequence(cacheKey);
		long server = this.circuit.serverStamp();
		recordWrite(binaryKey);
		long start = System.nanoTime();
		byte[] value;
		try {
			value = getCacheWriter().get(getName(), binaryKey, () -> {
				long loadStart = System.nanoTime();
				loaderRan[0] = true;
				try {
					T result = loadCacheValue(key, valueLoader);
					loaded[0] = result;
					return serializeCacheValue(checkedStoreValue(result));
				}
				finally {
					loaderNanos[0] = System.nanoTime() - loadStart;
				}
			}, timeToLive(key, null), getCacheConfiguration().isTimeToIdleEnabled());
		}
		catch (ValueRetrievalException ex) {
			this.circuit.released();
			throw ex;
		}
		catch (RuntimeException ex) {
			this.circuit.failed(System.nanoTime() - start - loaderNanos[0], ex);
			this.circuit.requireRedisFailure(ex);
			if (!loaderRan[0]) {
				T result = loadCacheValue(key, valueLoader);
				put(key, result);
				return result;
			}
			// Redis may or may not hold the loaded value: journaled, it is deleted there
			// before Redis serves it again.
			T result = (T) loaded[0];
			Object storeValue = checkedStoreValue(result);
			byte[] binaryValue = serializeCacheValue(storeValue);
			this.fence.write(cacheKey, () -> {
				putInFallback(cacheKey, binaryKey, binaryValue, timeToLive(key, result));
				return null;
			});
			return result;
		}
		this.circuit.succeeded(System.nanoTime() - start - loaderNanos[0]);
		if (loaderRan[0]) {
			this.fallback.write(cacheKey, value, timeToLive(key, loaded[0]));
			this.statistics.redisPut();
			return (T) loaded[0];
		}
		if (!this.circuit.trustsReply(server)) {
			// Possibly from a server not checked yet: load instead.
			T result = loadCacheValue(key, valueLoader);
			put(key, result);
			return result;
		}
		Object storeValue = fromRedis(key, cacheKey, binaryKey, value, sequence, FallbackStore.UNTRUSTED, false);
		return (storeValue != null) ? (T) fromStoreValue(storeValue) : null;
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		if (isEventLoopThread() && getCacheWriter().supportsAsyncRetrieve()) {
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
			putLocked(cacheKey, binaryKey, binaryValue, timeToLive);
			return null;
		});
	}

	// Store the value loaded after a miss, unless the key was written since.
	private void fill(Object key, String cacheKey, byte[] binaryKey, @Nullable Object value, long generation) {
		byte[] binaryValue = serializeCacheValue(checkedStoreValue(value));
		Duration timeToLive = timeToLive(key, value);
		if (!this.fence.fill(cacheKey, generation, () -> putLocked(cacheKey, binaryKey, binaryValue, timeToLive))) {
			this.statistics.fillSuperseded();
		}
	}

	private void putLocked(String cacheKey, byte[] binaryKey, byte[] binaryValue, Duration timeToLive) {
		if (this.circuit.canWrite()) {
			recordWrite(binaryKey);
			try {
				this.circuit.write(this.setOperation, () -> {
					getCacheWriter().put(getName(), binaryKey, binaryValue, timeToLive);
					return null;
				});
				this.fallback.write(cacheKey, binaryValue, timeToLive);
				this.statistics.redisPut();
				return;
			}
			catch (RuntimeException ex) {
				this.circuit.requireRedisFailure(ex);
			}
		}
		putInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
	}

	private void putInFallback(String cacheKey, byte[] binaryKey, byte[] binaryValue, Duration timeToLive) {
		this.recovery.journal(this, binaryKey);
		this.fallback.write(cacheKey, binaryValue, timeToLive);
		this.statistics.fallbackPut();
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
		return this.fence.write(cacheKey, () -> putIfAbsentLocked(key, cacheKey, binaryKey, binaryValue, timeToLive));
	}

	private @Nullable ValueWrapper putIfAbsentLocked(Object key, String cacheKey, byte[] binaryKey, byte[] binaryValue,
			Duration timeToLive) {
		long server = this.circuit.serverStamp();
		if (!this.circuit.canRead(getName(), binaryKey)) {
			return putIfAbsentInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
		}
		long sequence = this.fallback.writeSequence(cacheKey);
		recordWrite(binaryKey);
		byte[] existing;
		try {
			existing = this.circuit.write("SETNX " + getName(),
					() -> getCacheWriter().putIfAbsent(getName(), binaryKey, binaryValue, timeToLive));
		}
		catch (RuntimeException ex) {
			this.circuit.requireRedisFailure(ex);
			return putIfAbsentInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
		}
		if (existing == null) {
			this.fallback.write(cacheKey, binaryValue, timeToLive);
			this.statistics.redisPut();
			return null;
		}
		if (!this.circuit.trustsReply(server)) {
			// The value held may come from a server not checked yet: journaled, it is
			// deleted there before Redis serves the key again.
			return putIfAbsentInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
		}
		Object existingValue = fromRedis(key, cacheKey, binaryKey, existing, sequence, FallbackStore.UNTRUSTED, false);
		if (existingValue == null) {
			// The value held was unusable and has been evicted.
			putLocked(cacheKey, binaryKey, binaryValue, timeToLive);
			return null;
		}
		return new SimpleValueWrapper(fromStoreValue(existingValue));
	}

	private @Nullable ValueWrapper putIfAbsentInFallback(String cacheKey, byte[] binaryKey, byte[] binaryValue,
			Duration timeToLive) {
		Object existing = fromFallback(cacheKey);
		if (existing != null) {
			return new SimpleValueWrapper(fromStoreValue(existing));
		}
		putInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
		return null;
	}

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		if (isEventLoopThread()) {
			this.recovery.runInBackground(() -> evictIfPresent(key));
			return false;
		}
		String cacheKey = createCacheKey(key);
		PendingFills.forget(this, cacheKey);
		byte[] binaryKey = serializeCacheKey(cacheKey);
		return this.fence.write(cacheKey, () -> evictLocked(cacheKey, binaryKey));
	}

	private boolean evictLocked(String cacheKey, byte[] binaryKey) {
		if (this.circuit.canWrite()) {
			recordWrite(binaryKey);
			try {
				boolean evicted = this.circuit.write(this.deleteOperation,
						() -> getCacheWriter().evictIfPresent(getName(), binaryKey));
				this.fallback.evict(cacheKey);
				this.statistics.redisEviction();
				return evicted;
			}
			catch (RuntimeException ex) {
				this.circuit.requireRedisFailure(ex);
			}
		}
		this.recovery.journal(this, binaryKey);
		boolean present = this.fallback.get(cacheKey) != null;
		this.fallback.evict(cacheKey);
		this.statistics.fallbackEviction();
		return present;
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
		if (isEventLoopThread()) {
			this.recovery.runInBackground(() -> clear(pattern));
			return false;
		}
		PendingFills.forgetAll(this);
		return this.fence.clear(() -> clearLocked(pattern));
	}

	private boolean clearLocked(byte[] pattern) {
		if (this.circuit.canWrite()) {
			RecentWrites.Source recent = this.recentWrites;
			if (recent != null) {
				recent.recordClear();
			}
			try {
				boolean cleared = this.circuit.write("CLEAR " + getName(),
						() -> getCacheWriter().invalidate(getName(), pattern));
				this.fallback.clear();
				this.statistics.redisEviction();
				return cleared;
			}
			catch (RuntimeException ex) {
				this.circuit.requireRedisFailure(ex);
			}
		}
		// A clear of some keys is journaled as a clear of the cache: a superset, always
		// safe.
		this.recovery.journalClear(this);
		boolean present = this.fallback.size() > 0;
		this.fallback.clear();
		this.statistics.fallbackEviction();
		return present;
	}

	/**
	 * Delete every entry of this cache from Redis; called by the journal replay.
	 */
	void clearInRedis() {
		getCacheWriter().invalidate(getName(), serializeCacheKey(createCacheKey("*")));
	}

	@Override
	public CompletableFuture<ValueWrapper> retrieve(Object key) {
		String cacheKey = createCacheKey(key);
		long trust = FallbackStore.UNTRUSTED;
		if (this.near != null) {
			trust = this.near.trustedEpoch();
			Object nearValue = fromNear(cacheKey, trust);
			if (nearValue != null) {
				return CompletableFuture.completedFuture(toValueWrapper(nearValue));
			}
		}
		long readTrust = trust;
		byte[] binaryKey = serializeCacheKey(cacheKey);
		long server = this.circuit.serverStamp();
		if (!this.circuit.canRead(getName(), binaryKey)) {
			return CompletableFuture.completedFuture(toValueWrapper(fromFallback(cacheKey)));
		}
		if (!getCacheWriter().supportsAsyncRetrieve()) {
			return CompletableFuture.completedFuture(get(key));
		}
		long sequence = this.fallback.writeSequence(cacheKey);
		RedisCacheWriter writer = getCacheWriter();
		Supplier<CompletableFuture<byte[]>> retrieval = getCacheConfiguration().isTimeToIdleEnabled()
				? () -> writer.retrieve(getName(), binaryKey, timeToLive(key, null))
				: () -> writer.retrieve(getName(), binaryKey);
		return this.circuit.async(this.getOperation, retrieval).handle((value, failure) -> {
			if (failure != null) {
				this.circuit.requireRedisFailure(failure);
				return toValueWrapper(fromFallback(cacheKey));
			}
			if (!this.circuit.trustsReply(server)) {
				return toValueWrapper(fromFallback(cacheKey));
			}
			return toValueWrapper(fromRedis(key, cacheKey, binaryKey, value, sequence, readTrust, true));
		});
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
		byte[] binaryKey = serializeCacheKey(cacheKey);
		byte[] binaryValue = serializeCacheValue(checkedStoreValue(value));
		Duration timeToLive = timeToLive(key, value);
		// No lock here: this may run on the thread that completes Redis futures.
		this.fence.advance(cacheKey);
		if (!this.circuit.canWrite()) {
			putInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
			return CompletableFuture.completedFuture(null);
		}
		recordWrite(binaryKey);
		return this.circuit
			.async(this.setOperation, () -> getCacheWriter().store(getName(), binaryKey, binaryValue, timeToLive))
			.handle((stored, failure) -> {
				if (failure != null) {
					this.circuit.requireRedisFailure(failure);
					putInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
				}
				else {
					this.fallback.write(cacheKey, binaryValue, timeToLive);
					this.statistics.redisPut();
				}
				return null;
			});
	}

	// Answer a read from the fallback: a new instance deserialized from the bytes held.
	private @Nullable Object fromFallback(String cacheKey) {
		byte[] value = this.fallback.get(cacheKey);
		Object storeValue = null;
		if (value != null) {
			try {
				storeValue = deserializeCacheValue(value);
			}
			catch (RuntimeException ex) {
				this.fallback.evict(cacheKey);
			}
		}
		if (storeValue != null) {
			this.statistics.fallbackHit();
		}
		else {
			this.statistics.fallbackMiss();
		}
		return storeValue;
	}

	// Answer a read from the near cache: the entry held under the trusted epoch, decoded
	// once if no caller can change it, else deserialized for each read.
	private @Nullable Object fromNear(String cacheKey, long trust) {
		FallbackStore.Entry entry = this.fallback.getTrusted(cacheKey, trust);
		if (entry == null) {
			return null;
		}
		Object storeValue = entry.decoded();
		if (storeValue == null) {
			try {
				storeValue = deserializeCacheValue(entry.value());
			}
			catch (RuntimeException ex) {
				this.fallback.evict(cacheKey);
				return null;
			}
		}
		if (storeValue != null) {
			this.statistics.nearHit();
		}
		return storeValue;
	}

	/**
	 * Redis pushed an invalidation of a key of this cache: drop the local entry, and any
	 * fill of it in flight.
	 * @param binaryKey the serialized key
	 */
	void nearInvalidated(byte[] binaryKey) {
		String cacheKey = getCacheConfiguration().getKeySerializationPair().read(ByteBuffer.wrap(binaryKey));
		if (cacheKey != null) {
			this.fallback.evict(cacheKey);
		}
	}

	/**
	 * Redis pushed a null invalidation (its data set was flushed): drop every entry.
	 */
	void nearFlushed() {
		this.fallback.clear();
	}

	/**
	 * Return the serialized key prefix tracked for this cache.
	 * @return the key prefix
	 */
	byte[] nearPrefix() {
		return this.nearPrefix;
	}

	private @Nullable Object fromRedis(Object key, String cacheKey, byte[] binaryKey, byte @Nullable [] value,
			long sequence, long trust, boolean async) {
		if (value == null) {
			this.statistics.redisMiss();
			this.fallback.invalidateFromRead(cacheKey, sequence);
			return null;
		}
		Object storeValue;
		try {
			storeValue = deserializeCacheValue(value);
		}
		catch (RuntimeException ex) {
			undeserializable(cacheKey, binaryKey, ex, async);
			return null;
		}
		if (storeValue == null) {
			this.statistics.redisMiss();
			return null;
		}
		this.statistics.redisHit();
		this.fallback.mirror(cacheKey, value, timeToLive(key, fromStoreValue(storeValue)), sequence, trust, storeValue);
		return storeValue;
	}

	private void undeserializable(String cacheKey, byte[] binaryKey, RuntimeException ex, boolean async) {
		this.statistics.deserializationFailure();
		String message = "Cache '" + getName() + "' holds a value that cannot be deserialized ("
				+ ex.getClass().getName() + "; for example its class changed in a deploy): the entry is evicted and "
				+ "the read answered as a miss";
		if (this.deserializationWarned.compareAndSet(false, true)) {
			logger.warn(message + ". Further failures of this cache are logged at DEBUG and counted by the "
					+ "resilient.redis.cache.deserialization.failures meter");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
		if (async) {
			// Never block the thread that completed the Redis future.
			this.recovery.runInBackground(() -> evictUndeserializable(cacheKey, binaryKey));
		}
		else {
			evictUndeserializable(cacheKey, binaryKey);
		}
	}

	private void evictUndeserializable(String cacheKey, byte[] binaryKey) {
		this.fallback.evict(cacheKey);
		try {
			this.circuit.write(this.deleteOperation, () -> getCacheWriter().evictIfPresent(getName(), binaryKey));
		}
		catch (RuntimeException ex) {
			this.circuit.requireRedisFailure(ex);
			this.recovery.journal(this, binaryKey);
		}
	}

	/**
	 * Record a write of the key before it is sent to Redis, for a replay if Redis forgets
	 * it.
	 * @param binaryKey the serialized key
	 */
	private void recordWrite(byte[] binaryKey) {
		RecentWrites.Source recent = this.recentWrites;
		if (recent != null) {
			recent.record(binaryKey);
		}
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
	 * Return whether the current thread is one of Netty's event loops, which complete
	 * Redis futures and must never wait for a Redis reply.
	 * @return whether this is an event loop thread
	 */
	private static boolean isEventLoopThread() {
		return EVENT_LOOP_THREAD != null && EVENT_LOOP_THREAD.isInstance(Thread.currentThread());
	}

}

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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
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
 * Values that no longer deserialize (a class changed in a deploy) are evicted and
 * answered as misses.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 * @see ResilientRedisCacheManager
 */
public class ResilientRedisCache extends RedisCache {

	private static final Log logger = LogFactory.getLog(ResilientRedisCache.class);

	private static final int LOCK_STRIPES = 64;

	private static final int WRITE_STRIPES = 256;

	private static final @Nullable Class<?> EVENT_LOOP_THREAD = ClassUtils
		.isPresent("io.netty.util.concurrent.FastThreadLocalThread", ResilientRedisCache.class.getClassLoader())
				? ClassUtils.resolveClassName("io.netty.util.concurrent.FastThreadLocalThread",
						ResilientRedisCache.class.getClassLoader())
				: null;

	private final CacheResilience resilience;

	private final FallbackStore fallback;

	private final ResilientCacheStatistics statistics = new ResilientCacheStatistics();

	private final ReentrantLock[] loadLocks = new ReentrantLock[LOCK_STRIPES];

	private final AtomicBoolean deserializationWarned = new AtomicBoolean();

	private final ReentrantLock[] writeLocks = new ReentrantLock[WRITE_STRIPES];

	private final AtomicLongArray writeGenerations = new AtomicLongArray(WRITE_STRIPES);

	private final AtomicLong clearGeneration = new AtomicLong();

	private final ThreadLocal<Fill> pendingFill = new ThreadLocal<>();

	ResilientRedisCache(String name, RedisCacheWriter cacheWriter, RedisCacheConfiguration cacheConfiguration,
			CacheResilience resilience, FallbackStore fallback) {
		super(name, cacheWriter, cacheConfiguration);
		this.resilience = resilience;
		this.fallback = fallback;
		for (int i = 0; i < LOCK_STRIPES; i++) {
			this.loadLocks[i] = new ReentrantLock();
		}
		for (int i = 0; i < WRITE_STRIPES; i++) {
			this.writeLocks[i] = new ReentrantLock();
		}
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

	@Override
	protected @Nullable Object lookup(Object key) {
		String cacheKey = createCacheKey(key);
		// Taken before reading: a write or eviction of the key from now on makes a value
		// loaded after this miss too old to be stored.
		long writeGeneration = this.writeGenerations.get(stripe(cacheKey));
		long clearGeneration = this.clearGeneration.get();
		Object storeValue = read(key, cacheKey);
		if (storeValue == null) {
			this.pendingFill.set(new Fill(cacheKey, writeGeneration, clearGeneration));
		}
		else {
			this.pendingFill.remove();
		}
		return storeValue;
	}

	private @Nullable Object read(Object key, String cacheKey) {
		byte[] binaryKey = serializeCacheKey(cacheKey);
		if (!this.resilience.canRead(getName(), binaryKey)) {
			return fromFallback(cacheKey);
		}
		long sequence = this.fallback.writeSequence();
		byte[] value;
		try {
			value = this.resilience.executor().executeIdempotent(operation("GET"), () -> readFromRedis(key, binaryKey));
		}
		catch (RuntimeException ex) {
			this.resilience.requireRedisFailure(ex);
			return fromFallback(cacheKey);
		}
		return fromRedis(key, cacheKey, binaryKey, value, sequence, false);
	}

	private byte @Nullable [] readFromRedis(Object key, byte[] binaryKey) {
		RedisCacheWriter writer = getCacheWriter();
		return getCacheConfiguration().isTimeToIdleEnabled() ? writer.get(getName(), binaryKey, timeToLive(key, null))
				: writer.get(getName(), binaryKey);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		ValueWrapper cached = get(key);
		if (cached != null) {
			return (T) cached.get();
		}
		ReentrantLock lock = this.loadLocks[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
		lock.lock();
		try {
			cached = get(key);
			if (cached != null) {
				return (T) cached.get();
			}
			T value = loadCacheValue(key, valueLoader);
			put(key, value);
			return value;
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		if (isEventLoopThread() && getCacheWriter().supportsAsyncRetrieve()) {
			// A cached CompletableFuture completed by Redis itself: a synchronous write
			// here would wait for the very thread that has to read its reply.
			store(key, value);
			return;
		}
		Object storeValue = checkedStoreValue(value);
		String cacheKey = createCacheKey(key);
		byte[] binaryKey = serializeCacheKey(cacheKey);
		byte[] binaryValue = serializeCacheValue(storeValue);
		Duration timeToLive = timeToLive(key, value);
		Fill fill = this.pendingFill.get();
		if (fill != null) {
			this.pendingFill.remove();
		}
		int stripe = stripe(cacheKey);
		ReentrantLock lock = this.writeLocks[stripe];
		lock.lock();
		try {
			if (fill != null && fill.cacheKey().equals(cacheKey)) {
				// Storing what a miss of this thread loaded: only if no write or eviction
				// of the key happened since, or an older value would overwrite a newer.
				if (this.writeGenerations.get(stripe) != fill.writeGeneration()
						|| this.clearGeneration.get() != fill.clearGeneration()) {
					evictLocked(cacheKey, binaryKey, stripe);
					return;
				}
			}
			else {
				this.writeGenerations.incrementAndGet(stripe);
			}
			putLocked(cacheKey, binaryKey, storeValue, binaryValue, timeToLive);
		}
		finally {
			lock.unlock();
		}
	}

	private void putLocked(String cacheKey, byte[] binaryKey, Object storeValue, byte[] binaryValue,
			Duration timeToLive) {
		if (this.resilience.canWrite()) {
			try {
				this.resilience.executor().execute(operation("SET"), () -> {
					getCacheWriter().put(getName(), binaryKey, binaryValue, timeToLive);
					return null;
				});
				this.fallback.write(cacheKey, storeValue, timeToLive);
				this.statistics.redisPut();
				return;
			}
			catch (RuntimeException ex) {
				this.resilience.requireRedisFailure(ex);
			}
		}
		putInFallback(cacheKey, binaryKey, storeValue, timeToLive);
	}

	private void putInFallback(String cacheKey, byte[] binaryKey, Object storeValue, Duration timeToLive) {
		this.resilience.journal(this, binaryKey);
		this.fallback.write(cacheKey, storeValue, timeToLive);
		this.statistics.fallbackPut();
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		Object storeValue = preProcessCacheValue(value);
		if (storeValue == null) {
			return get(key);
		}
		String cacheKey = createCacheKey(key);
		byte[] binaryKey = serializeCacheKey(cacheKey);
		byte[] binaryValue = serializeCacheValue(storeValue);
		Duration timeToLive = timeToLive(key, value);
		int stripe = stripe(cacheKey);
		ReentrantLock lock = this.writeLocks[stripe];
		lock.lock();
		try {
			this.writeGenerations.incrementAndGet(stripe);
			return putIfAbsentLocked(key, value, cacheKey, binaryKey, storeValue, binaryValue, timeToLive);
		}
		finally {
			lock.unlock();
		}
	}

	private @Nullable ValueWrapper putIfAbsentLocked(Object key, @Nullable Object value, String cacheKey,
			byte[] binaryKey, Object storeValue, byte[] binaryValue, Duration timeToLive) {
		if (this.resilience.canRead(getName(), binaryKey)) {
			long sequence = this.fallback.writeSequence();
			byte[] existing;
			try {
				existing = this.resilience.executor()
					.execute(operation("SETNX"),
							() -> getCacheWriter().putIfAbsent(getName(), binaryKey, binaryValue, timeToLive));
			}
			catch (RuntimeException ex) {
				this.resilience.requireRedisFailure(ex);
				return putIfAbsentInFallback(cacheKey, binaryKey, storeValue, timeToLive);
			}
			if (existing == null) {
				this.fallback.write(cacheKey, storeValue, timeToLive);
				this.statistics.redisPut();
				return null;
			}
			Object existingValue = fromRedis(key, cacheKey, binaryKey, existing, sequence, false);
			if (existingValue == null) {
				// The value held was unusable and has been evicted.
				putLocked(cacheKey, binaryKey, storeValue, binaryValue, timeToLive);
				return null;
			}
			return new SimpleValueWrapper(fromStoreValue(existingValue));
		}
		return putIfAbsentInFallback(cacheKey, binaryKey, storeValue, timeToLive);
	}

	private @Nullable ValueWrapper putIfAbsentInFallback(String cacheKey, byte[] binaryKey, Object storeValue,
			Duration timeToLive) {
		FallbackStore.Entry existing = this.fallback.get(cacheKey);
		if (existing != null) {
			this.statistics.fallbackHit();
			return new SimpleValueWrapper(fromStoreValue(existing.storeValue()));
		}
		putInFallback(cacheKey, binaryKey, storeValue, timeToLive);
		return null;
	}

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		if (isEventLoopThread()) {
			this.resilience.runInBackground(() -> evictIfPresent(key));
			return false;
		}
		String cacheKey = createCacheKey(key);
		byte[] binaryKey = serializeCacheKey(cacheKey);
		int stripe = stripe(cacheKey);
		ReentrantLock lock = this.writeLocks[stripe];
		lock.lock();
		try {
			return evictLocked(cacheKey, binaryKey, stripe);
		}
		finally {
			lock.unlock();
		}
	}

	private boolean evictLocked(String cacheKey, byte[] binaryKey, int stripe) {
		this.writeGenerations.incrementAndGet(stripe);
		if (this.resilience.canWrite()) {
			try {
				boolean evicted = this.resilience.executor()
					.execute(operation("DEL"), () -> getCacheWriter().evictIfPresent(getName(), binaryKey));
				this.fallback.evict(cacheKey);
				this.statistics.redisEviction();
				return evicted;
			}
			catch (RuntimeException ex) {
				this.resilience.requireRedisFailure(ex);
			}
		}
		return evictInFallback(cacheKey, binaryKey);
	}

	private boolean evictInFallback(String cacheKey, byte[] binaryKey) {
		this.resilience.journal(this, binaryKey);
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
			this.resilience.runInBackground(() -> clear(pattern));
			return false;
		}
		// Every stripe, in order: no value loaded before the clear is stored after it.
		for (ReentrantLock lock : this.writeLocks) {
			lock.lock();
		}
		try {
			this.clearGeneration.incrementAndGet();
			return clearLocked(pattern);
		}
		finally {
			for (ReentrantLock lock : this.writeLocks) {
				lock.unlock();
			}
		}
	}

	private boolean clearLocked(byte[] pattern) {
		if (this.resilience.canWrite()) {
			try {
				boolean cleared = this.resilience.executor()
					.execute(operation("CLEAR"), () -> getCacheWriter().invalidate(getName(), pattern));
				this.fallback.clear();
				this.statistics.redisEviction();
				return cleared;
			}
			catch (RuntimeException ex) {
				this.resilience.requireRedisFailure(ex);
			}
		}
		// A clear of some keys is journaled as a clear of the cache: a superset, always
		// safe.
		this.resilience.journalClear(this);
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
		byte[] binaryKey = serializeCacheKey(cacheKey);
		if (!this.resilience.canRead(getName(), binaryKey)) {
			return CompletableFuture.completedFuture(toValueWrapper(fromFallback(cacheKey)));
		}
		if (!getCacheWriter().supportsAsyncRetrieve()) {
			return CompletableFuture.completedFuture(get(key));
		}
		long sequence = this.fallback.writeSequence();
		RedisCacheWriter writer = getCacheWriter();
		Supplier<CompletableFuture<byte[]>> retrieval = getCacheConfiguration().isTimeToIdleEnabled()
				? () -> writer.retrieve(getName(), binaryKey, timeToLive(key, null))
				: () -> writer.retrieve(getName(), binaryKey);
		return this.resilience.executeAsync(retrieval).handle((value, failure) -> {
			if (failure != null) {
				this.resilience.requireRedisFailure(failure);
				return toValueWrapper(fromFallback(cacheKey));
			}
			return toValueWrapper(fromRedis(key, cacheKey, binaryKey, value, sequence, true));
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
		Object storeValue = checkedStoreValue(value);
		String cacheKey = createCacheKey(key);
		this.writeGenerations.incrementAndGet(stripe(cacheKey));
		byte[] binaryKey = serializeCacheKey(cacheKey);
		byte[] binaryValue = serializeCacheValue(storeValue);
		Duration timeToLive = timeToLive(key, value);
		if (!getCacheWriter().supportsAsyncRetrieve()) {
			put(key, value);
			return CompletableFuture.completedFuture(null);
		}
		if (!this.resilience.canWrite()) {
			// No lock here: this may run on the thread that completes Redis futures.
			putInFallback(cacheKey, binaryKey, storeValue, timeToLive);
			return CompletableFuture.completedFuture(null);
		}
		return this.resilience.executeAsync(() -> getCacheWriter().store(getName(), binaryKey, binaryValue, timeToLive))
			.handle((stored, failure) -> {
				if (failure != null) {
					this.resilience.requireRedisFailure(failure);
					putInFallback(cacheKey, binaryKey, storeValue, timeToLive);
				}
				else {
					this.fallback.write(cacheKey, storeValue, timeToLive);
					this.statistics.redisPut();
				}
				return null;
			});
	}

	private @Nullable Object fromFallback(String cacheKey) {
		FallbackStore.Entry entry = this.fallback.get(cacheKey);
		if (entry != null) {
			this.statistics.fallbackHit();
			return entry.storeValue();
		}
		this.statistics.fallbackMiss();
		return null;
	}

	private @Nullable Object fromRedis(Object key, String cacheKey, byte[] binaryKey, byte @Nullable [] value,
			long sequence, boolean async) {
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
		this.fallback.putFromRead(cacheKey, storeValue, timeToLive(key, fromStoreValue(storeValue)), sequence);
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
			this.resilience.runInBackground(() -> evictUndeserializable(cacheKey, binaryKey));
		}
		else {
			evictUndeserializable(cacheKey, binaryKey);
		}
	}

	private void evictUndeserializable(String cacheKey, byte[] binaryKey) {
		this.fallback.evict(cacheKey);
		try {
			this.resilience.executor()
				.execute(operation("DEL"), () -> getCacheWriter().evictIfPresent(getName(), binaryKey));
		}
		catch (RuntimeException ex) {
			this.resilience.requireRedisFailure(ex);
			this.resilience.journal(this, binaryKey);
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

	private static int stripe(String cacheKey) {
		int hash = cacheKey.hashCode();
		return (hash ^ (hash >>> 16)) & (WRITE_STRIPES - 1);
	}

	private String operation(String command) {
		return command + " " + getName();
	}

	/**
	 * A miss of a thread, remembered until its value is stored: the generations of the
	 * key's stripe and of the whole cache when the miss started.
	 *
	 * @param cacheKey the key of the miss
	 * @param writeGeneration the write generation of the key's stripe
	 * @param clearGeneration the clear generation of the cache
	 */
	private record Fill(String cacheKey, long writeGeneration, long clearGeneration) {

	}

}

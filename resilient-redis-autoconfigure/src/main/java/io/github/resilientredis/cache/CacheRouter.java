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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.support.SimpleValueWrapper;
import org.springframework.data.redis.cache.RedisCacheWriter;

/**
 * The one routing decision of a {@link ResilientRedisCache}: while the breaker is closed,
 * an operation goes to Redis and the fallback mirrors it; otherwise, or when Redis fails
 * it, the key (or the whole cache) is journaled for deletion in Redis and the fallback
 * takes the operation. Reads are answered from Redis while the breaker is closed and no
 * invalidation of the key is pending, and from the fallback otherwise.
 *
 * @author resilient-redis contributors
 */
final class CacheRouter {

	private static final Log logger = LogFactory.getLog(CacheRouter.class);

	private final String name;

	private final RedisCacheWriter writer;

	private final CacheValues values;

	private final boolean timeToIdle;

	private final CacheCircuit circuit;

	private final CacheRecovery recovery;

	private final FallbackStore fallback;

	/** Where writes are recorded for a replay if Redis forgets them; null when off. */
	private final RecentWrites.@Nullable Source recentWrites;

	private final ResilientCacheStatistics statistics;

	/**
	 * How long an expired entry stays in Redis as a stale value, added to the time to
	 * live of every write; zero for none.
	 */
	private final Duration staleTimeToLive;

	private final AtomicBoolean deserializationWarned = new AtomicBoolean();

	private final String getOperation;

	private final String setOperation;

	private final String deleteOperation;

	CacheRouter(String name, RedisCacheWriter writer, CacheValues values, boolean timeToIdle, CacheCircuit circuit,
			CacheRecovery recovery, FallbackStore fallback, RecentWrites.@Nullable Source recentWrites,
			ResilientCacheStatistics statistics, Duration staleTimeToLive) {
		this.name = name;
		this.writer = writer;
		this.values = values;
		this.timeToIdle = timeToIdle;
		this.circuit = circuit;
		this.recovery = recovery;
		this.fallback = fallback;
		this.recentWrites = recentWrites;
		this.statistics = statistics;
		this.staleTimeToLive = staleTimeToLive;
		this.getOperation = "GET " + name;
		this.setOperation = "SET " + name;
		this.deleteOperation = "DEL " + name;
	}

	CacheCircuit circuit() {
		return this.circuit;
	}

	FallbackStore fallback() {
		return this.fallback;
	}

	ResilientCacheStatistics statistics() {
		return this.statistics;
	}

	RedisCacheWriter writer() {
		return this.writer;
	}

	String name() {
		return this.name;
	}

	/**
	 * Return the time to live of an entry in Redis: its time to live, and the time it
	 * stays as a stale value after. The fallback holds it for its time to live only.
	 * @param timeToLive the entry's time to live
	 * @return the time to live to write to Redis
	 */
	Duration redisTimeToLive(Duration timeToLive) {
		if (this.staleTimeToLive.isZero() || timeToLive.isZero() || timeToLive.isNegative()) {
			return timeToLive;
		}
		return timeToLive.plus(this.staleTimeToLive);
	}

	Duration staleTimeToLive() {
		return this.staleTimeToLive;
	}

	/**
	 * Read the key from Redis, or from the fallback while Redis cannot answer it.
	 * @param key the key
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param trust the near cache's trusted epoch taken before the read
	 * @return the store value, or {@code null} for a miss
	 */
	@Nullable Object read(Object key, String cacheKey, byte[] binaryKey, long trust) {
		long server = this.circuit.serverStamp();
		if (!this.circuit.canRead(this.name, binaryKey)) {
			return fromFallback(cacheKey);
		}
		long sequence = this.fallback.writeSequence(cacheKey);
		byte[] value;
		try {
			value = this.circuit.read(this.getOperation,
					() -> this.timeToIdle ? this.writer.get(this.name, binaryKey, this.values.timeToLive(key, null))
							: this.writer.get(this.name, binaryKey));
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

	/**
	 * Answer a read from the fallback: a new instance deserialized from the bytes held.
	 * @param cacheKey the Redis key, not serialized
	 * @return the store value, or {@code null} for a miss
	 */
	@Nullable Object fromFallback(String cacheKey) {
		byte[] value = this.fallback.get(cacheKey);
		Object storeValue = null;
		if (value != null) {
			try {
				storeValue = this.values.deserialize(value);
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

	/**
	 * Answer a read from what Redis replied, and mirror it in the fallback.
	 * @param key the key
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param value the reply
	 * @param sequence the fallback's write sequence taken before the read
	 * @param trust the near cache's trusted epoch taken before the read
	 * @param async whether the reply completed a future, on a thread that must not block
	 * @return the store value, or {@code null} for a miss
	 */
	@Nullable Object fromRedis(Object key, String cacheKey, byte[] binaryKey, byte @Nullable [] value, long sequence, long trust,
			boolean async) {
		return fromRedis(key, cacheKey, binaryKey, value, sequence, trust, async, null);
	}

	/**
	 * Answer a read from what Redis replied, and mirror it in the fallback for at most
	 * the given time.
	 * @param key the key
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param value the reply
	 * @param sequence the fallback's write sequence taken before the read
	 * @param trust the near cache's trusted epoch taken before the read
	 * @param async whether the reply completed a future, on a thread that must not block
	 * @param mirrorTimeToLive how long the mirror may hold the value: {@code null} for
	 * the entry's time to live, zero or negative not to mirror it
	 * @return the store value, or {@code null} for a miss
	 */
	@Nullable Object fromRedis(Object key, String cacheKey, byte[] binaryKey, byte @Nullable [] value, long sequence, long trust,
			boolean async, @Nullable Duration mirrorTimeToLive) {
		if (value == null) {
			this.statistics.redisMiss();
			this.fallback.invalidateFromRead(cacheKey, sequence);
			return null;
		}
		Object storeValue;
		try {
			storeValue = this.values.deserialize(value);
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
		if (mirrorTimeToLive == null) {
			this.fallback.mirror(cacheKey, value, this.values.timeToLive(key, this.values.fromStoreValue(storeValue)),
					sequence, trust, storeValue);
		}
		else if (!mirrorTimeToLive.isZero() && !mirrorTimeToLive.isNegative()) {
			this.fallback.mirror(cacheKey, value, mirrorTimeToLive, sequence, trust, storeValue);
		}
		return storeValue;
	}

	/**
	 * Put a value: in Redis and mirrored, or journaled and in the fallback.
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param binaryValue the serialized value
	 * @param timeToLive the entry's time to live
	 */
	void put(String cacheKey, byte[] binaryKey, byte[] binaryValue, Duration timeToLive) {
		route(this.setOperation, binaryKey, () -> {
			this.writer.put(this.name, binaryKey, binaryValue, redisTimeToLive(timeToLive));
			return null;
		}, () -> {
			this.fallback.write(cacheKey, binaryValue, timeToLive);
			this.statistics.redisPut();
		}, () -> {
			this.fallback.write(cacheKey, binaryValue, timeToLive);
			this.statistics.fallbackPut();
			return null;
		});
	}

	/**
	 * Put a value loaded under a lease: in Redis only while the lease holds, and
	 * mirrored; or journaled and in the fallback.
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param binaryValue the serialized value
	 * @param timeToLive the entry's time to live
	 * @param storeAndRelease the lease's store, through the breaker: whether it stored
	 * @return whether the value was stored; {@code false} if the lease was lost
	 */
	boolean putLeased(String cacheKey, byte[] binaryKey, byte[] binaryValue, Duration timeToLive,
			BiPredicate<byte[], Duration> storeAndRelease) {
		if (this.circuit.canWrite()) {
			recordWrite(binaryKey);
			try {
				if (!storeAndRelease.test(binaryValue, redisTimeToLive(timeToLive))) {
					return false;
				}
				this.fallback.write(cacheKey, binaryValue, timeToLive);
				this.statistics.redisPut();
				return true;
			}
			catch (RuntimeException ex) {
				this.circuit.requireRedisFailure(ex);
			}
		}
		putInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
		return true;
	}

	/**
	 * Delete the keys matching a pattern in Redis, for the leases a clear deletes beside
	 * the values: a failure is counted by the breaker and otherwise ignored, the clear
	 * that follows takes its own route.
	 * @param pattern the serialized key pattern
	 */
	void deleteMatching(byte[] pattern) {
		if (!this.circuit.canWrite()) {
			return;
		}
		try {
			this.circuit.write("CLEAR " + this.name, () -> {
				this.writer.clear(this.name, pattern);
				return null;
			});
		}
		catch (RuntimeException ex) {
			this.circuit.requireRedisFailure(ex);
		}
	}

	/**
	 * Evict a key: in Redis and from the mirror, or journaled and from the fallback.
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @return whether the key was known to be present
	 */
	boolean evict(String cacheKey, byte[] binaryKey) {
		return route(this.deleteOperation, binaryKey, () -> this.writer.evictIfPresent(this.name, binaryKey), () -> {
			this.fallback.evict(cacheKey);
			this.statistics.redisEviction();
		}, () -> evictFromFallback(cacheKey));
	}

	/**
	 * Evict a key without a call to Redis: journaled, it is deleted there by the recovery
	 * before Redis serves it again, and evicted from the fallback now.
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @return whether the key was known to be present
	 */
	boolean evictJournaled(String cacheKey, byte[] binaryKey) {
		journal(binaryKey);
		return evictFromFallback(cacheKey);
	}

	private boolean evictFromFallback(String cacheKey) {
		boolean present = this.fallback.get(cacheKey) != null;
		this.fallback.evict(cacheKey);
		this.statistics.fallbackEviction();
		return present;
	}

	/**
	 * Clear the keys matching a pattern: in Redis and the mirror, or journaled as a clear
	 * of the whole cache (a superset, always safe) and in the fallback.
	 * @param pattern the serialized key pattern
	 * @return whether the cache was known to hold entries
	 */
	boolean clear(byte[] pattern) {
		return route("CLEAR " + this.name, null, () -> this.writer.invalidate(this.name, pattern), () -> {
			this.fallback.clear();
			this.statistics.redisEviction();
		}, this::clearFallback);
	}

	/**
	 * Clear the cache without a call to Redis: journaled, it is cleared there by the
	 * recovery before Redis serves it again, and in the fallback now.
	 * @return whether the cache was known to hold entries
	 */
	boolean clearJournaled() {
		journal(null);
		return clearFallback();
	}

	private boolean clearFallback() {
		boolean present = this.fallback.size() > 0;
		this.fallback.clear();
		this.statistics.fallbackEviction();
		return present;
	}

	// The routing decision, for a key or, with a null key, the whole cache.
	private <T> T route(String operation, byte @Nullable [] binaryKey, Supplier<T> toRedis, Runnable mirror,
			Supplier<T> toFallback) {
		if (this.circuit.canWrite()) {
			recordWrite(binaryKey);
			try {
				T result = this.circuit.write(operation, toRedis);
				mirror.run();
				return result;
			}
			catch (RuntimeException ex) {
				this.circuit.requireRedisFailure(ex);
			}
		}
		journal(binaryKey);
		return toFallback.get();
	}

	/**
	 * Put a value in the fallback, journaling the key: Redis may or may not hold it, and
	 * deletes it before it serves the key again.
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param binaryValue the serialized value
	 * @param timeToLive the entry's time to live
	 */
	void putInFallback(String cacheKey, byte[] binaryKey, byte[] binaryValue, Duration timeToLive) {
		journal(binaryKey);
		this.fallback.write(cacheKey, binaryValue, timeToLive);
		this.statistics.fallbackPut();
	}

	/**
	 * Put a value unless the key holds one, answering the value held.
	 * @param key the key
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param binaryValue the serialized value
	 * @param timeToLive the entry's time to live
	 * @return the value held, or {@code null} if the value was put
	 */
	@Nullable ValueWrapper putIfAbsent(Object key, String cacheKey, byte[] binaryKey, byte[] binaryValue, Duration timeToLive) {
		long server = this.circuit.serverStamp();
		if (!this.circuit.canRead(this.name, binaryKey)) {
			return putIfAbsentInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
		}
		long sequence = this.fallback.writeSequence(cacheKey);
		recordWrite(binaryKey);
		byte[] existing;
		try {
			existing = this.circuit.write("SETNX " + this.name,
					() -> this.writer.putIfAbsent(this.name, binaryKey, binaryValue, redisTimeToLive(timeToLive)));
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
			put(cacheKey, binaryKey, binaryValue, timeToLive);
			return null;
		}
		return new SimpleValueWrapper(this.values.fromStoreValue(existingValue));
	}

	private @Nullable ValueWrapper putIfAbsentInFallback(String cacheKey, byte[] binaryKey, byte[] binaryValue,
			Duration timeToLive) {
		Object existing = fromFallback(cacheKey);
		if (existing != null) {
			return new SimpleValueWrapper(this.values.fromStoreValue(existing));
		}
		putInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
		return null;
	}

	/**
	 * Record a write of the key (a clear with {@code null}) before it is sent to Redis,
	 * for a replay if Redis forgets it.
	 * @param binaryKey the serialized key, {@code null} for the whole cache
	 */
	void recordWrite(byte @Nullable [] binaryKey) {
		RecentWrites.Source recent = this.recentWrites;
		if (recent != null) {
			if (binaryKey != null) {
				recent.record(binaryKey);
			}
			else {
				recent.recordClear();
			}
		}
	}

	private void journal(byte @Nullable [] binaryKey) {
		if (binaryKey != null) {
			this.recovery.journal(this.name, binaryKey);
		}
		else {
			this.recovery.journalClear(this.name);
		}
	}

	private void undeserializable(String cacheKey, byte[] binaryKey, RuntimeException ex, boolean async) {
		this.statistics.deserializationFailure();
		String message = "Cache '" + this.name + "' holds a value that cannot be deserialized ("
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
			this.circuit.write(this.deleteOperation, () -> this.writer.evictIfPresent(this.name, binaryKey));
		}
		catch (RuntimeException ex) {
			this.circuit.requireRedisFailure(ex);
			this.recovery.journal(this.name, binaryKey);
		}
	}

}

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
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

/**
 * The reads of a cache that refreshes early or serves stale values: the value and the
 * time it has left, in one round trip ({@code GET} and {@code PTTL} in one script),
 * through the cache's breaker, and from the fallback as any read while Redis cannot
 * answer. An entry lives in Redis for its time to live and the stale grace after it: the
 * time it has left as a fresh value is its {@code PTTL} less the grace. The fallback
 * holds it only for that time, so that no local copy outlives the fresh value.
 *
 * @author resilient-redis contributors
 */
final class ExpiringReads {

	private static final LuaScript GET_WITH_PTTL = new LuaScript("local value = redis.call('GET', KEYS[1]) "
			+ "if not value then return {} end return {value, redis.call('PTTL', KEYS[1])}");

	/** Time left of a value that does not expire, or whose expiry is not known. */
	static final long NO_EXPIRY = Long.MAX_VALUE;

	/** Time left of a key that Redis does not hold. */
	static final long ABSENT = Long.MIN_VALUE;

	private final CacheRouter router;

	private final RedisConnectionFactory connectionFactory;

	private final long staleNanos;

	private final String operation;

	private final String ttlOperation;

	ExpiringReads(CacheRouter router, RedisConnectionFactory connectionFactory) {
		this.router = router;
		this.connectionFactory = connectionFactory;
		this.staleNanos = router.staleTimeToLive().toNanos();
		this.operation = "GET+PTTL " + router.name();
		this.ttlOperation = "PTTL " + router.name();
	}

	/**
	 * Read the key with the time its value has left.
	 * @param key the key
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param trust the near cache's trusted epoch taken before the read
	 * @param acceptStale whether a value past its time to live, in its stale grace, is
	 * answered; otherwise it is a miss
	 * @return the value with its time left, or {@code null} for a miss
	 */
	@Nullable Read read(Object key, String cacheKey, byte[] binaryKey, long trust, boolean acceptStale) {
		CacheCircuit circuit = this.router.circuit();
		long server = circuit.serverStamp();
		if (!circuit.canRead(this.router.name(), binaryKey)) {
			return fromFallback(cacheKey);
		}
		long sequence = this.router.fallback().writeSequence(cacheKey);
		List<Object> reply;
		try {
			reply = circuit.read(this.operation, () -> readWithTimeToLive(binaryKey));
		}
		catch (RuntimeException ex) {
			circuit.requireRedisFailure(ex);
			return fromFallback(cacheKey);
		}
		if (!circuit.trustsReply(server)) {
			return fromFallback(cacheKey);
		}
		byte[] value = (reply != null && reply.size() == 2 && reply.get(0) instanceof byte[] bytes) ? bytes : null;
		long remainingNanos = (value != null) ? remainingNanos(reply.get(1)) : NO_EXPIRY;
		if (value != null && remainingNanos <= 0 && !acceptStale) {
			// Only a synchronized load serves a stale value, and refreshes it.
			this.router.statistics().redisMiss();
			return null;
		}
		Duration mirror = (remainingNanos == NO_EXPIRY) ? null : Duration.ofNanos(remainingNanos);
		Object storeValue = this.router.fromRedis(key, cacheKey, binaryKey, value, sequence, trust, false, mirror);
		return (storeValue != null) ? new Read(storeValue, remainingNanos) : null;
	}

	/**
	 * Return the time the key's value has left as a fresh value, as Redis tells it now.
	 * @param binaryKey the serialized key
	 * @return the time left (zero or negative when stale), {@link #NO_EXPIRY} when the
	 * value does not expire, {@link #ABSENT} when Redis holds no value
	 * @throws RuntimeException the Redis failure, counted by the breaker
	 */
	long remainingNanos(byte[] binaryKey) {
		Long pttl = this.router.circuit().read(this.ttlOperation, () -> pTtl(binaryKey));
		return (pttl != null && pttl == -2) ? ABSENT : remainingNanos(pttl);
	}

	private @Nullable Long pTtl(byte[] binaryKey) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return connection.keyCommands().pTtl(binaryKey);
		}
	}

	private @Nullable Read fromFallback(String cacheKey) {
		Object storeValue = this.router.fromFallback(cacheKey);
		// The fallback holds a value only while it is fresh.
		return (storeValue != null) ? new Read(storeValue, NO_EXPIRY) : null;
	}

	private @Nullable List<Object> readWithTimeToLive(byte[] binaryKey) {
		return GET_WITH_PTTL.eval(this.connectionFactory, ReturnType.MULTI, 1, binaryKey);
	}

	private long remainingNanos(@Nullable Object pttl) {
		if (!(pttl instanceof Long millis) || millis < 0) {
			// -1: no time to live.
			return NO_EXPIRY;
		}
		return Duration.ofMillis(millis).toNanos() - this.staleNanos;
	}

	/**
	 * A value read with the time it has left.
	 *
	 * @param storeValue the store value
	 * @param remainingNanos the time it has left as a fresh value, zero or negative when
	 * it is stale, {@link #NO_EXPIRY} when it does not expire or comes from the fallback
	 */
	record Read(Object storeValue, long remainingNanos) {

		boolean isStale() {
			return this.remainingNanos <= 0;
		}

	}

}

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
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.support.SimpleValueWrapper;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.util.ClassUtils;

/**
 * The asynchronous path of a {@link ResilientRedisCache} ({@code retrieve} and the store
 * of a value it loaded), for a writer that supports asynchronous retrieval: the same
 * routing as the synchronous path, without blocking the thread that completes Redis
 * futures.
 *
 * @author resilient-redis contributors
 */
final class AsyncCacheOperations {

	private static final @Nullable Class<?> EVENT_LOOP_THREAD = ClassUtils
		.isPresent("io.netty.util.concurrent.FastThreadLocalThread", AsyncCacheOperations.class.getClassLoader())
				? ClassUtils.resolveClassName("io.netty.util.concurrent.FastThreadLocalThread",
						AsyncCacheOperations.class.getClassLoader())
				: null;

	private final CacheRouter router;

	private final NearCacheReads near;

	private final CacheWriteFence fence;

	private final CacheValues values;

	private final boolean timeToIdle;

	private final String getOperation;

	private final String setOperation;

	AsyncCacheOperations(CacheRouter router, NearCacheReads near, CacheWriteFence fence, CacheValues values,
			boolean timeToIdle) {
		this.router = router;
		this.near = near;
		this.fence = fence;
		this.values = values;
		this.timeToIdle = timeToIdle;
		this.getOperation = "GET " + router.name();
		this.setOperation = "SET " + router.name();
	}

	/**
	 * Retrieve the key: from the JVM, from the fallback or from Redis without blocking.
	 * @param key the key
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @return the value held, completed with {@code null} for a miss
	 */
	CompletableFuture<@Nullable ValueWrapper> retrieve(Object key, String cacheKey, byte[] binaryKey) {
		long trust = this.near.trust();
		Object nearValue = this.near.read(cacheKey, trust);
		if (nearValue != null) {
			return CompletableFuture.completedFuture(toValueWrapper(nearValue));
		}
		CacheCircuit circuit = this.router.circuit();
		long server = circuit.serverStamp();
		String name = this.router.name();
		if (!circuit.canRead(name, binaryKey)) {
			return CompletableFuture.completedFuture(toValueWrapper(this.router.fromFallback(cacheKey)));
		}
		long sequence = this.router.fallback().writeSequence(cacheKey);
		RedisCacheWriter writer = this.router.writer();
		Supplier<CompletableFuture<byte[]>> retrieval = this.timeToIdle
				? () -> writer.retrieve(name, binaryKey, this.values.timeToLive(key, null))
				: () -> writer.retrieve(name, binaryKey);
		return circuit.async(this.getOperation, retrieval).handle((value, failure) -> {
			if (failure != null) {
				circuit.requireRedisFailure(failure);
				return toValueWrapper(this.router.fromFallback(cacheKey));
			}
			if (!circuit.trustsReply(server)) {
				return toValueWrapper(this.router.fromFallback(cacheKey));
			}
			return toValueWrapper(this.router.fromRedis(key, cacheKey, binaryKey, value, sequence, trust, true));
		});
	}

	/**
	 * Store a value without blocking.
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param binaryValue the serialized value
	 * @param timeToLive the entry's time to live
	 * @return completed once stored
	 */
	CompletableFuture<Void> store(String cacheKey, byte[] binaryKey, byte[] binaryValue, Duration timeToLive) {
		// This may run on the thread that completes Redis futures: it never waits for the
		// key's fence stripe. While the stripe is busy, the write is made, fenced, by
		// another thread.
		if (!this.fence.tryAdvance(cacheKey)) {
			return CompletableFuture.runAsync(() -> this.fence.write(cacheKey, () -> {
				this.router.put(cacheKey, binaryKey, binaryValue, timeToLive);
				return null;
			}));
		}
		CacheCircuit circuit = this.router.circuit();
		if (!circuit.canWrite()) {
			this.router.putInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
			return CompletableFuture.completedFuture(null);
		}
		this.router.recordWrite(binaryKey);
		return circuit
			.async(this.setOperation,
					() -> this.router.writer()
						.store(this.router.name(), binaryKey, binaryValue, this.router.redisTimeToLive(timeToLive)))
			.handle((stored, failure) -> {
				if (failure != null) {
					circuit.requireRedisFailure(failure);
					this.router.putInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
				}
				else {
					this.router.fallback().write(cacheKey, binaryValue, timeToLive);
					this.router.statistics().redisPut();
				}
				return null;
			});
	}

	private @Nullable ValueWrapper toValueWrapper(@Nullable Object storeValue) {
		return (storeValue != null) ? new SimpleValueWrapper(this.values.fromStoreValue(storeValue)) : null;
	}

	/**
	 * Return whether the current thread is one of Netty's event loops, which complete
	 * Redis futures and must never wait for a Redis reply.
	 * @return whether this is an event loop thread
	 */
	static boolean isEventLoopThread() {
		return EVENT_LOOP_THREAD != null && EVENT_LOOP_THREAD.isInstance(Thread.currentThread());
	}

}

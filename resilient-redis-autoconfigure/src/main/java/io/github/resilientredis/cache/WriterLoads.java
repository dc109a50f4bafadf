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
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache.ValueRetrievalException;

/**
 * The synchronized loads of a {@link ResilientRedisCache} made through the cache writer's
 * own get-or-load, so that a locking writer takes its Redis lock and another instance
 * does not load the same key too. Only the time spent on Redis counts toward the breaker,
 * not the loader's.
 *
 * @author resilient-redis contributors
 */
final class WriterLoads {

	private final CacheRouter router;

	private final CacheWriteFence fence;

	private final CacheValues values;

	private final boolean timeToIdle;

	/** A plain put of the cache, for a value loaded without the writer. */
	private final BiConsumer<Object, @Nullable Object> put;

	WriterLoads(CacheRouter router, CacheWriteFence fence, CacheValues values, boolean timeToIdle,
			BiConsumer<Object, @Nullable Object> put) {
		this.router = router;
		this.fence = fence;
		this.values = values;
		this.timeToIdle = timeToIdle;
		this.put = put;
	}

	/**
	 * Call the loader, wrapping its failure as {@link Cache#get(Object, Callable)}
	 * requires.
	 * @param <T> the value type
	 * @param key the key
	 * @param valueLoader the loader
	 * @return the loaded value
	 */
	static <T> @Nullable T call(Object key, Callable<T> valueLoader) {
		try {
			return valueLoader.call();
		}
		catch (Exception ex) {
			throw new ValueRetrievalException(key, valueLoader, ex);
		}
	}

	/**
	 * Load the key through the writer, or without it while the breaker refuses Redis.
	 * @param <T> the value type
	 * @param key the key
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param valueLoader the loader
	 * @return the value held or loaded
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable T load(Object key, String cacheKey, byte[] binaryKey, Callable<T> valueLoader) {
		CacheCircuit circuit = this.router.circuit();
		if (!circuit.tryAcquirePermission()) {
			return loadAndPut(key, valueLoader);
		}
		long[] loaderNanos = new long[1];
		Object[] loaded = new Object[1];
		boolean[] loaderRan = new boolean[1];
		long sequence = this.router.fallback().writeSequence(cacheKey);
		long server = circuit.serverStamp();
		this.router.recordWrite(binaryKey);
		long start = System.nanoTime();
		byte[] value;
		try {
			value = this.router.writer().get(this.router.name(), binaryKey, () -> {
				long loadStart = System.nanoTime();
				loaderRan[0] = true;
				try {
					T result = call(key, valueLoader);
					loaded[0] = result;
					return this.values.serialize(result);
				}
				finally {
					loaderNanos[0] = System.nanoTime() - loadStart;
				}
			}, this.values.timeToLive(key, null), this.timeToIdle);
		}
		catch (ValueRetrievalException ex) {
			circuit.released();
			throw ex;
		}
		catch (RuntimeException ex) {
			circuit.failed(System.nanoTime() - start - loaderNanos[0], ex);
			circuit.requireRedisFailure(ex);
			if (!loaderRan[0]) {
				return loadAndPut(key, valueLoader);
			}
			// Redis may or may not hold the loaded value: journaled, it is deleted there
			// before Redis serves it again.
			T result = (T) loaded[0];
			byte[] binaryValue = this.values.serialize(result);
			Duration timeToLive = this.values.timeToLive(key, result);
			this.fence.write(cacheKey, () -> {
				this.router.putInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
				return null;
			});
			return result;
		}
		circuit.succeeded(System.nanoTime() - start - loaderNanos[0]);
		if (loaderRan[0]) {
			this.router.fallback().write(cacheKey, value, this.values.timeToLive(key, loaded[0]));
			this.router.statistics().redisPut();
			return (T) loaded[0];
		}
		if (!circuit.trustsReply(server)) {
			// Possibly from a server not checked yet: load instead.
			return loadAndPut(key, valueLoader);
		}
		Object storeValue = this.router.fromRedis(key, cacheKey, binaryKey, value, sequence, FallbackStore.UNTRUSTED,
				false);
		return (storeValue != null) ? (T) this.values.fromStoreValue(storeValue) : null;
	}

	private <T> @Nullable T loadAndPut(Object key, Callable<T> valueLoader) {
		T value = call(key, valueLoader);
		this.put.accept(key, value);
		return value;
	}

}

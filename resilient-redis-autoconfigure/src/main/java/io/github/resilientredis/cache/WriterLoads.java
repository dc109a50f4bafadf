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
 * does not load the same key too. The fill fence holds through it: the loaded value is
 * handed to the writer only if the key was not written since the miss, and the key's
 * fence stripe is held until the writer has stored it. Only the time spent on Redis
 * counts toward the breaker, not the loader's.
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
	 * @param generation the fence generation read before the miss
	 * @param valueLoader the loader
	 * @return the value held or loaded
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable T load(Object key, String cacheKey, byte[] binaryKey, long generation, Callable<T> valueLoader) {
		CacheCircuit circuit = this.router.circuit();
		if (!circuit.tryAcquirePermission()) {
			return loadAndPut(key, valueLoader);
		}
		long[] loaderNanos = new long[1];
		Object[] loaded = new Object[1];
		boolean[] loaderRan = new boolean[1];
		boolean[] filling = new boolean[1];
		Thread caller = Thread.currentThread();
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
					byte[] serialized = this.values.serialize(result);
					// Spring Data Redis's writers call the loader on the caller's thread.
					if (Thread.currentThread() == caller) {
						if (!this.fence.tryEnterFill(cacheKey, generation)) {
							throw new FillSuperseded();
						}
						filling[0] = true;
					}
					return serialized;
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
		catch (FillSuperseded ex) {
			// Written since the miss, or being written: the loaded value is answered,
			// not stored.
			circuit.succeeded(System.nanoTime() - start - loaderNanos[0]);
			this.router.statistics().fillSuperseded();
			return (T) loaded[0];
		}
		catch (RuntimeException ex) {
			if (filling[0]) {
				this.fence.exitFill(cacheKey);
			}
			return failed(key, cacheKey, binaryKey, valueLoader, ex, start, loaderNanos[0], loaderRan[0],
					(T) loaded[0]);
		}
		try {
			return loaded(key, cacheKey, binaryKey, valueLoader, value, start, loaderNanos[0], loaderRan[0],
					(T) loaded[0], sequence, server);
		}
		finally {
			if (filling[0]) {
				this.fence.exitFill(cacheKey);
			}
		}
	}

	private <T> @Nullable T failed(Object key, String cacheKey, byte[] binaryKey, Callable<T> valueLoader,
			RuntimeException ex, long start, long loaderNanos, boolean loaderRan, @Nullable T loaded) {
		CacheCircuit circuit = this.router.circuit();
		circuit.failed(System.nanoTime() - start - loaderNanos, ex);
		circuit.requireRedisFailure(ex);
		if (!loaderRan) {
			return loadAndPut(key, valueLoader);
		}
		// Redis may or may not hold the loaded value: journaled, it is deleted there
		// before Redis serves it again.
		byte[] binaryValue = this.values.serialize(loaded);
		Duration timeToLive = this.values.timeToLive(key, loaded);
		this.fence.write(cacheKey, () -> {
			this.router.putInFallback(cacheKey, binaryKey, binaryValue, timeToLive);
			return null;
		});
		return loaded;
	}

	@SuppressWarnings("unchecked")
	private <T> @Nullable T loaded(Object key, String cacheKey, byte[] binaryKey, Callable<T> valueLoader, byte[] value,
			long start, long loaderNanos, boolean loaderRan, @Nullable T loaded, long sequence, long server) {
		CacheCircuit circuit = this.router.circuit();
		circuit.succeeded(System.nanoTime() - start - loaderNanos);
		if (loaderRan) {
			this.router.fallback().write(cacheKey, value, this.values.timeToLive(key, loaded));
			this.router.statistics().redisPut();
			return loaded;
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

	/**
	 * Thrown by the loader handed to the writer when the key was written since the miss:
	 * the writer does not store the loaded value.
	 */
	private static final class FillSuperseded extends RuntimeException {

		FillSuperseded() {
			super(null, null, false, false);
		}

	}

}

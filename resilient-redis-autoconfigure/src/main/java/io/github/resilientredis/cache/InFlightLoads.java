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

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One load per key at a time in this JVM, for {@code get(key, loader)}, without a lock
 * held while the loader runs: the first caller publishes a future for the key and loads;
 * the others wait for that future and share its value or its failure. A loader may so
 * call any other cached method, on any thread, as Caffeine's {@code AsyncCache} allows. A
 * load that asks for its own key again on its own thread is refused, since it could only
 * wait for itself.
 * <p>
 * A waiter shares the load's value only if the key was not written since the load started
 * (the fence generation is unchanged): otherwise that value may be older than a write
 * that completed before the waiter called, and the waiter starts over, reading the cache
 * again as Spring's own synchronized loads do after their lock.
 *
 * @author resilient-redis contributors
 */
final class InFlightLoads {

	private final String cacheName;

	private final Map<String, Load> loads = new ConcurrentHashMap<>();

	InFlightLoads(String cacheName) {
		this.cacheName = cacheName;
	}

	/**
	 * Run the load of the key, or wait for the one in flight and answer its outcome.
	 * @param <T> the value type
	 * @param cacheKey the Redis key, not serialized
	 * @param generation the key's fence generation now: a waiter shares a load's value
	 * only if it did not change since the load started
	 * @param load the load
	 * @return the loaded value
	 * @throws IllegalStateException if this thread is already loading the key
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable T load(String cacheKey, LongSupplier generation, Supplier<@Nullable T> load) {
		while (true) {
			Load own = new Load(Thread.currentThread(), new CompletableFuture<>(), generation.getAsLong());
			Load running = this.loads.putIfAbsent(cacheKey, own);
			if (running == null) {
				return run(cacheKey, own, load);
			}
			if (running.thread() == Thread.currentThread()) {
				throw new IllegalStateException("Cache '" + this.cacheName + "': the load of key '" + cacheKey
						+ "' asked for the same key again; a synchronized load (@Cacheable(sync = true) or "
						+ "Cache.get(key, loader)) must not recursively load its own key");
			}
			Object value = await(running.result());
			if (generation.getAsLong() == running.generation()) {
				return (T) value;
			}
			// Written since that load started: its value may be older than the write.
		}
	}

	private <T> @Nullable T run(String cacheKey, Load own, Supplier<@Nullable T> load) {
		try {
			T value = load.get();
			own.result().complete(value);
			return value;
		}
		catch (RuntimeException | Error ex) {
			own.result().completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.loads.remove(cacheKey, own);
		}
	}

	private static @Nullable Object await(CompletableFuture<@Nullable Object> result) {
		try {
			return result.join();
		}
		catch (CompletionException ex) {
			// The loader's own failure, as the caller that ran it saw it.
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtimeException) {
				throw runtimeException;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/**
	 * A load in flight.
	 *
	 * @param thread the thread that runs it
	 * @param result its outcome
	 * @param generation the key's fence generation when it started
	 */
	private record Load(Thread thread, CompletableFuture<@Nullable Object> result, long generation) {

	}

}

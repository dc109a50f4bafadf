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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Load for integration tests: calls from a few threads at a fixed rate, numbered, and
 * keeps the exceptions that reached the callers.
 *
 * @author resilient-redis contributors
 */
final class CacheLoad implements AutoCloseable {

	private final ScheduledExecutorService scheduler;

	private final AtomicLong calls = new AtomicLong();

	private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

	private CacheLoad(int threads, Duration period, LongConsumer call) {
		this.scheduler = Executors.newScheduledThreadPool(threads);
		for (int i = 0; i < threads; i++) {
			this.scheduler.scheduleAtFixedRate(() -> call(call), 0, period.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Call {@code @Cacheable}, {@code @CachePut} and {@code @CacheEvict} methods in turn
	 * for 50 keys from three threads, each about a thousand times a second.
	 * @param catalog the cached service
	 * @param keyPrefix the prefix of the keys
	 * @return the running load
	 */
	static CacheLoad start(Catalog catalog, String keyPrefix) {
		return start(3, Duration.ofMillis(1), (call) -> {
			String id = keyPrefix + (call % 50);
			switch ((int) (call % 3)) {
				case 0 -> catalog.find(id);
				case 1 -> catalog.update(id, "v" + call);
				default -> catalog.evict(id);
			}
		});
	}

	/**
	 * Run the given call from each thread once per period, with a growing number.
	 * @param threads the number of threads
	 * @param period the time between two calls of one thread
	 * @param call the call, given its number
	 * @return the running load
	 */
	static CacheLoad start(int threads, Duration period, LongConsumer call) {
		return new CacheLoad(threads, period, call);
	}

	private void call(LongConsumer call) {
		try {
			call.accept(this.calls.incrementAndGet());
		}
		catch (Throwable ex) {
			this.failures.add(ex);
		}
	}

	long calls() {
		return this.calls.get();
	}

	int failures() {
		Throwable first = this.failures.peek();
		if (first != null) {
			first.printStackTrace();
		}
		return this.failures.size();
	}

	void assertNoCallFailed() {
		assertThat(this.failures).as("exceptions that reached the callers").isEmpty();
	}

	@Override
	public void close() throws InterruptedException {
		this.scheduler.shutdownNow();
		this.scheduler.awaitTermination(5, TimeUnit.SECONDS);
	}

}

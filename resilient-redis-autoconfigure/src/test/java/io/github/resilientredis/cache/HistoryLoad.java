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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.resilientredis.test.history.History;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.awaitility.Awaitility.await;

/**
 * Calls {@code @CachePut}, {@code @CacheEvict} and {@code @Cacheable} methods from a few
 * threads and records every call in a {@link History}. Each thread writes and evicts keys
 * of its own (one writer per key, as the service's database has no ordering of its own
 * between two writers), with versions unique across the run, and reads the keys of every
 * thread, so that reads race with writes and evictions of other threads. Every twentieth
 * call of a thread settles a key: it is written once, a few hundred milliseconds later a
 * second time, and then only read, so that a fault that brings back its first version or
 * loses its second stays visible until the final reads.
 *
 * @author resilient-redis contributors
 */
final class HistoryLoad implements AutoCloseable {

	private static final int KEYS_PER_THREAD = 10;

	private static final long PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

	// Every this many calls a thread settles a key: it writes a new key, and writes for
	// the second and last time the key it wrote SETTLE_AFTER settles ago
	private static final int SETTLE_EVERY = 20;

	private static final int SETTLE_AFTER = 10;

	private final History history;

	private final Records records;

	private final String prefix;

	/** Whether reads are synchronized loads ({@code @Cacheable(sync = true)}). */
	private final boolean synchronizedReads;

	private final int threadCount;

	private final AtomicLong versions = new AtomicLong();

	private final AtomicLong calls = new AtomicLong();

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicIntegerArray settled;

	private volatile boolean running = true;

	private HistoryLoad(History history, Records records, String prefix, int threads, boolean synchronizedReads) {
		this.history = history;
		this.records = records;
		this.prefix = prefix;
		this.synchronizedReads = synchronizedReads;
		this.threadCount = threads;
		this.settled = new AtomicIntegerArray(threads);
		for (int i = 0; i < threads; i++) {
			int index = i;
			Thread thread = new Thread(() -> run(index), "history-load-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
		}
		this.threads.forEach(Thread::start);
	}

	/**
	 * Start the load.
	 * @param history the history to record in
	 * @param records the cached service
	 * @param prefix the prefix of every key
	 * @param threads the number of calling threads
	 * @return the running load
	 */
	static HistoryLoad start(History history, Records records, String prefix, int threads) {
		return start(history, records, prefix, threads, false);
	}

	/**
	 * Start the load.
	 * @param history the history to record in
	 * @param records the cached service
	 * @param prefix the prefix of every key
	 * @param threads the number of calling threads
	 * @param synchronizedReads whether reads are synchronized loads
	 * ({@code @Cacheable(sync = true)})
	 * @return the running load
	 */
	static HistoryLoad start(History history, Records records, String prefix, int threads, boolean synchronizedReads) {
		return new HistoryLoad(history, records, prefix, threads, synchronizedReads);
	}

	private void run(int thread) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (long call = 1; this.running; call++) {
			int choice = random.nextInt(100);
			if (call % SETTLE_EVERY == 0) {
				int settle = this.settled.incrementAndGet(thread);
				write(settledKey(thread, settle));
				if (settle > SETTLE_AFTER) {
					write(settledKey(thread, settle - SETTLE_AFTER));
				}
			}
			else if (choice < 10 && this.settled.get(thread) > 0) {
				// Keys written once or twice long ago: a lost or stale value stays
				// visible
				int owner = random.nextInt(this.threadCount);
				String id = settledKey(owner, 1 + random.nextInt(Math.max(1, this.settled.get(owner))));
				this.history.get("app", id, () -> version(read(id)));
			}
			else if (choice < 40) {
				write(key(thread, random.nextInt(KEYS_PER_THREAD)));
			}
			else if (choice < 50) {
				String id = key(thread, random.nextInt(KEYS_PER_THREAD));
				this.history.evict("app", id, () -> this.records.delete(id));
			}
			else {
				String id = key(random.nextInt(this.threadCount), random.nextInt(KEYS_PER_THREAD));
				this.history.get("app", id, () -> version(read(id)));
			}
			this.calls.incrementAndGet();
			LockSupport.parkNanos(PAUSE_NANOS);
		}
	}

	private long read(String id) {
		return this.synchronizedReads ? this.records.readSynchronized(id) : this.records.read(id);
	}

	private void write(String id) {
		long version = this.versions.incrementAndGet();
		this.history.put("app", id, version, () -> this.records.write(id, version));
	}

	private String key(int thread, int key) {
		return this.prefix + thread + "-" + key;
	}

	private String settledKey(int thread, int settle) {
		return this.prefix + "settled-" + thread + "-" + settle;
	}

	static @Nullable Long version(long read) {
		return (read != Records.NOTHING) ? read : null;
	}

	long calls() {
		return this.calls.get();
	}

	/**
	 * Wait at least the given time, and until the load made calls meanwhile.
	 * @param duration the time to wait
	 */
	void awaitProgress(Duration duration) {
		long before = calls();
		await().pollDelay(duration)
			.atMost(duration.plusSeconds(15))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> calls() > before + 10);
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
	}

	/**
	 * A service whose records are cached, over a map that stands for its database.
	 */
	static class Records {

		static final long NOTHING = -1;

		private final Map<String, Long> database = new ConcurrentHashMap<>();

		private final Set<String> keys = ConcurrentHashMap.newKeySet();

		@CachePut(cacheNames = "records", key = "#id")
		long write(String id, long version) {
			this.keys.add(id);
			this.database.put(id, version);
			return version;
		}

		@CacheEvict("records")
		void delete(String id) {
			this.keys.add(id);
			this.database.remove(id);
		}

		@Cacheable("records")
		long read(String id) {
			this.keys.add(id);
			return this.database.getOrDefault(id, NOTHING);
		}

		@Cacheable(cacheNames = "records", sync = true)
		long readSynchronized(String id) {
			this.keys.add(id);
			return this.database.getOrDefault(id, NOTHING);
		}

		Set<String> keys() {
			return Set.copyOf(this.keys);
		}

	}

	/**
	 * Caching enabled, with the {@link Records}.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class RecordsConfiguration {

		@Bean
		Records records() {
			return new Records();
		}

	}

}

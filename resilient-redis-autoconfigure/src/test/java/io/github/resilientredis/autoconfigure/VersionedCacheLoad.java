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

package io.github.resilientredis.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls {@code @CachePut} and {@code @Cacheable} methods back to back from a few threads,
 * each thread on keys of its own with increasing versions, so that any read older than
 * the thread's last write is a stale read. Every call is timed into 100 ms buckets, from
 * which the throughput and the median latency of any window are read.
 *
 * @author resilient-redis contributors
 */
final class VersionedCacheLoad implements AutoCloseable {

	private static final long BUCKET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final int BUCKETS = 1200;

	// Latencies in bins of a quarter power of two, in microseconds
	private static final int LATENCY_BINS = 96;

	private static final int KEYS_PER_THREAD = 20;

	private final VersionedValues values;

	private final String keyPrefix;

	private final long started = System.nanoTime();

	private final AtomicLongArray calls = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray latencies = new AtomicLongArray(BUCKETS * LATENCY_BINS);

	private final AtomicLong staleReads = new AtomicLong();

	private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

	private final List<Thread> threads = new ArrayList<>();

	private final List<long[]> versions = new ArrayList<>();

	private volatile boolean running = true;

	private VersionedCacheLoad(VersionedValues values, String keyPrefix, int threads) {
		this.values = values;
		this.keyPrefix = keyPrefix;
		for (int i = 0; i < threads; i++) {
			long[] written = new long[KEYS_PER_THREAD];
			this.versions.add(written);
			int index = i;
			Thread thread = new Thread(() -> run(index, written), "versioned-cache-load-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
		}
		this.threads.forEach(Thread::start);
	}

	/**
	 * Start the load.
	 * @param values the cached service
	 * @param keyPrefix the prefix of every key, for example a cluster hash tag
	 * @param threads the number of calling threads
	 * @return the running load
	 */
	static VersionedCacheLoad start(VersionedValues values, String keyPrefix, int threads) {
		return new VersionedCacheLoad(values, keyPrefix, threads);
	}

	private void run(int thread, long[] written) {
		long version = 0;
		while (this.running) {
			version++;
			int key = (int) (version % KEYS_PER_THREAD);
			String id = id(thread, key);
			try {
				long start = System.nanoTime();
				this.values.write(id, version);
				written[key] = version;
				long between = System.nanoTime();
				record(between, between - start);
				long read = this.values.read(id);
				long end = System.nanoTime();
				record(end, end - between);
				if (read != version) {
					this.staleReads.incrementAndGet();
				}
			}
			catch (Throwable ex) {
				this.failures.add(ex);
			}
		}
	}

	private String id(int thread, int key) {
		return this.keyPrefix + thread + "-" + key;
	}

	private void record(long at, long latencyNanos) {
		int bucket = (int) ((at - this.started) / BUCKET_NANOS);
		if (bucket >= BUCKETS) {
			return;
		}
		this.calls.incrementAndGet(bucket);
		long micros = Math.max(1, TimeUnit.NANOSECONDS.toMicros(latencyNanos));
		int bin = (int) Math.min(LATENCY_BINS - 1, Math.round(4 * Math.log(micros) / Math.log(2)));
		this.latencies.incrementAndGet(bucket * LATENCY_BINS + bin);
	}

	/**
	 * Return the number of calls so far.
	 * @return the number of calls
	 */
	long calls() {
		long total = 0;
		for (int i = 0; i < BUCKETS; i++) {
			total += this.calls.get(i);
		}
		return total;
	}

	/**
	 * Return the calls completed per second between two {@link System#nanoTime()}
	 * instants, counting whole 100 ms buckets.
	 * @param from the start of the window
	 * @param to the end of the window
	 * @return the throughput in calls per second
	 */
	double throughput(long from, long to) {
		int first = firstBucket(from);
		int last = lastBucket(to);
		long total = 0;
		for (int i = first; i <= last; i++) {
			total += this.calls.get(i);
		}
		return total * 1e9 / ((last - first + 1) * BUCKET_NANOS);
	}

	/**
	 * Return the median latency of the calls completed between two instants.
	 * @param from the start of the window
	 * @param to the end of the window
	 * @return the median latency, within a fifth
	 */
	Duration median(long from, long to) {
		long[] bins = new long[LATENCY_BINS];
		long total = 0;
		for (int bucket = firstBucket(from); bucket <= lastBucket(to); bucket++) {
			for (int bin = 0; bin < LATENCY_BINS; bin++) {
				long count = this.latencies.get(bucket * LATENCY_BINS + bin);
				bins[bin] += count;
				total += count;
			}
		}
		long seen = 0;
		for (int bin = 0; bin < LATENCY_BINS; bin++) {
			seen += bins[bin];
			if (seen * 2 >= total) {
				return Duration.ofNanos(Math.round(1000 * Math.pow(2, bin / 4.0)));
			}
		}
		return Duration.ZERO;
	}

	private int firstBucket(long from) {
		// The first whole bucket in the window
		return (int) Math.max(0, Math.min(BUCKETS - 1, (from - this.started + BUCKET_NANOS - 1) / BUCKET_NANOS));
	}

	private int lastBucket(long to) {
		// The last whole bucket in the window
		return (int) Math.max(0, Math.min(BUCKETS - 1, (to - this.started) / BUCKET_NANOS - 1));
	}

	/**
	 * Return the throughput and median latency of each second so far, one line each.
	 * @param origin the instant to count seconds from
	 * @return the timeline
	 */
	String timeline(long origin) {
		StringBuilder timeline = new StringBuilder();
		long now = System.nanoTime();
		for (long from = origin; from + 1_000_000_000L <= now; from += 1_000_000_000L) {
			timeline.append(String.format("%+3ds %6.0f calls/s p50 %.2f ms%n", (from - origin) / 1_000_000_000L,
					throughput(from, from + 1_000_000_000L), median(from, from + 1_000_000_000L).toNanos() / 1e6));
		}
		return timeline.toString();
	}

	long staleReads() {
		return this.staleReads.get();
	}

	Queue<Throwable> failures() {
		return this.failures;
	}

	/**
	 * Stop the load and check that every key now reads as its last written version.
	 */
	void stopAndAssertLatestVersions() throws InterruptedException {
		close();
		for (int thread = 0; thread < this.versions.size(); thread++) {
			long[] written = this.versions.get(thread);
			for (int key = 0; key < written.length; key++) {
				assertThat(this.values.read(id(thread, key))).as("last version of " + id(thread, key))
					.isEqualTo(written[key]);
			}
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
	}

	/**
	 * A service whose values are cached in Redis, over a map that stands for the
	 * database.
	 */
	static class VersionedValues {

		private final Map<String, Long> database = new ConcurrentHashMap<>();

		@CachePut(cacheNames = "versions", key = "#id")
		long write(String id, long version) {
			this.database.put(id, version);
			return version;
		}

		@Cacheable("versions")
		long read(String id) {
			return this.database.getOrDefault(id, -1L);
		}

	}

	/**
	 * Caching enabled, with the {@link VersionedValues}.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class VersionedValuesConfiguration {

		@Bean
		VersionedValues versionedValues() {
			return new VersionedValues();
		}

	}

}

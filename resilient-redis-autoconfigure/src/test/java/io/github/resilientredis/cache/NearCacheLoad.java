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
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Load for the near cache tests: a writer instance sets versioned values, a reader
 * instance reads them through the near cache, and each read is compared with the history
 * of what Redis acknowledged.
 *
 * @author resilient-redis contributors
 */
final class NearCacheLoad {

	static final Duration MAX_STALENESS = Duration.ofMillis(250);

	static final int KEYS = 16;

	static final int MAX_VERSIONS = 200_000;

	static final Duration PHASE = Duration.ofMillis(1500);

	private NearCacheLoad() {
	}

	/**
	 * When each version of each key was sent to Redis and when Redis acknowledged it,
	 * when Redis lost every key (FLUSHALL, restart), and which versions a failover lost.
	 */
	static final class History {

		private final AtomicLongArray[] invoked = new AtomicLongArray[KEYS];

		private final AtomicLongArray[] acknowledged = new AtomicLongArray[KEYS];

		private final AtomicIntegerArray latest = new AtomicIntegerArray(KEYS);

		private final List<Long> resets = new CopyOnWriteArrayList<>();

		private final AtomicIntegerArray lostFrom = new AtomicIntegerArray(KEYS);

		private final AtomicIntegerArray lostTo = new AtomicIntegerArray(KEYS);

		private volatile long lostAt;

		History() {
			for (int key = 0; key < KEYS; key++) {
				this.invoked[key] = new AtomicLongArray(MAX_VERSIONS);
				this.acknowledged[key] = new AtomicLongArray(MAX_VERSIONS);
			}
		}

		/**
		 * Record a write that Redis acknowledged.
		 * @param key the key
		 * @param version the version written
		 * @param invokedNanos when the write was invoked, before it was sent
		 * @param acknowledgedNanos when its reply came back
		 */
		void acknowledged(int key, int version, long invokedNanos, long acknowledgedNanos) {
			this.invoked[key].set(version, invokedNanos);
			this.acknowledged[key].set(version, acknowledgedNanos);
			this.latest.set(key, version);
		}

		/**
		 * Redis is about to lose every key: call before the command that loses them, so
		 * that each version acknowledged before counts as lost from then on.
		 */
		void reset() {
			this.resets.add(System.nanoTime());
		}

		/**
		 * The master was killed at {@code killedAt} and a replica that held
		 * {@code survivors} (the version of each key, {@code 0} for none) is promoted:
		 * the versions the old master acknowledged above them are lost from the kill on,
		 * every other acknowledged version still counts. Call once the old master can
		 * acknowledge nothing more.
		 * @param killedAt when the master was killed
		 * @param survivors the version of each key on the replica after the kill
		 */
		void failover(long killedAt, int[] survivors) {
			for (int key = 0; key < KEYS; key++) {
				this.lostFrom.set(key, survivors[key] + 1);
				this.lostTo.set(key, this.latest.get(key));
			}
			this.lostAt = killedAt;
		}

		/**
		 * Return how many acknowledged versions a failover lost.
		 * @return the number of lost versions
		 */
		int lostVersions() {
			int lost = 0;
			for (int key = 0; key < KEYS; key++) {
				lost += Math.max(0, this.lostTo.get(key) - this.lostFrom.get(key) + 1);
			}
			return lost;
		}

		private boolean lost(int key, int version) {
			return this.lostAt != 0 && version >= this.lostFrom.get(key) && version <= this.lostTo.get(key);
		}

		/**
		 * Return how long before {@code readStart} Redis already held something newer
		 * than the version read: a newer version, counted from when its write was invoked
		 * (strict by up to a round trip), or no such version after a reset or a failover
		 * that lost it; {@code 0} if it did not.
		 */
		long lagNanos(int key, int version, long readStart) {
			long newer = 0;
			int latestVersion = this.latest.get(key);
			for (int v = version + 1; v <= latestVersion; v++) {
				long at = this.invoked[key].get(v);
				if (at != 0 && !lost(key, v)) {
					newer = at;
					break;
				}
			}
			long written = this.acknowledged[key].get(version);
			for (long reset : this.resets) {
				if (written != 0 && reset - written > 0 && (newer == 0 || reset - newer < 0)) {
					newer = reset;
				}
			}
			if (lost(key, version) && (newer == 0 || this.lostAt - newer < 0)) {
				newer = this.lostAt;
			}
			return (newer != 0 && readStart - newer > 0) ? readStart - newer : 0;
		}

	}

	/**
	 * The writer instance: sets the next version of each key in turn through its own
	 * connection, about one write per millisecond.
	 */
	static final class Writer implements Runnable {

		private final StringRedisTemplate redis;

		private final History history;

		private final int[] versions = new int[KEYS];

		private final AtomicBoolean running = new AtomicBoolean(true);

		final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

		private final Thread thread = new Thread(this, "near-cache-writer");

		Writer(StringRedisTemplate redis, History history) {
			this.redis = redis;
			this.history = history;
		}

		void start() {
			this.thread.start();
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.thread.join(TimeUnit.SECONDS.toMillis(10));
		}

		@Override
		public void run() {
			int key = 0;
			while (this.running.get()) {
				int version = this.versions[key] + 1;
				if (version >= MAX_VERSIONS) {
					this.failure.compareAndSet(null, new IllegalStateException("Too many versions"));
					return;
				}
				try {
					long invoked = System.nanoTime();
					this.redis.opsForValue().set("versions::" + key, Integer.toString(version));
					this.history.acknowledged(key, version, invoked, System.nanoTime());
					this.versions[key] = version;
				}
				catch (RuntimeException ex) {
					// Redis is down or the connection was killed: the same version again.
				}
				key = (key + 1) % KEYS;
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}

	}

	/**
	 * The reader instance: one thread reads keys in turn through the near cache, and
	 * tells where each read was answered from by the cache's counters.
	 */
	static final class Reader implements Runnable {

		private final ResilientRedisCache cache;

		private final History history;

		private final AtomicBoolean running = new AtomicBoolean(true);

		final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

		private final Thread thread = new Thread(this, "near-cache-reader");

		final List<String> violations = new CopyOnWriteArrayList<>();

		final List<String> violationSamples = new CopyOnWriteArrayList<>();

		final Map<String, Long> nearHitsByPhase = new ConcurrentSkipListMap<>();

		private volatile long reads;

		private volatile long nearHits;

		private volatile long redisReads;

		private volatile long fallbackReads;

		private volatile long misses;

		private volatile long maxNearLagNanos;

		private volatile long maxLagNanos;

		Reader(ResilientRedisCache cache, History history) {
			this.cache = cache;
			this.history = history;
		}

		void start() {
			this.thread.start();
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.thread.join(TimeUnit.SECONDS.toMillis(10));
		}

		/**
		 * Let the reads run for one phase, and record its near hits.
		 */
		void phase(String name) {
			long before = this.nearHits;
			long deadline = System.nanoTime() + PHASE.toNanos();
			await().atMost(PHASE.plusSeconds(5)).until(() -> System.nanoTime() - deadline > 0);
			this.nearHitsByPhase.put(name, this.nearHits - before);
		}

		@Override
		public void run() {
			ResilientCacheStatistics statistics = this.cache.getResilienceStatistics();
			int key = 0;
			try {
				while (this.running.get()) {
					long nearBefore = statistics.getNearHits();
					long fallbackBefore = statistics.getFallbackHits() + statistics.getFallbackMisses();
					long start = System.nanoTime();
					Cache.ValueWrapper wrapper = this.cache.get(key);
					boolean near = statistics.getNearHits() != nearBefore;
					boolean fallback = statistics.getFallbackHits() + statistics.getFallbackMisses() != fallbackBefore;
					this.reads++;
					if (near) {
						this.nearHits++;
					}
					else if (fallback) {
						this.fallbackReads++;
					}
					else {
						this.redisReads++;
					}
					if (wrapper == null) {
						this.misses++;
					}
					else if (!fallback) {
						check(key, Integer.parseInt((String) wrapper.get()), start, near);
					}
					key = (key + 1) % KEYS;
					LockSupport.parkNanos(20_000);
				}
			}
			catch (Throwable ex) {
				this.failure.set(ex);
			}
		}

		private void check(int key, int version, long start, boolean near) {
			long lag = this.history.lagNanos(key, version, start);
			if (near && lag > this.maxNearLagNanos) {
				this.maxNearLagNanos = lag;
			}
			if (lag > this.maxLagNanos) {
				this.maxLagNanos = lag;
			}
			if (lag > MAX_STALENESS.toNanos()) {
				this.violations.add(key + "@" + version);
				if (this.violationSamples.size() < 10) {
					this.violationSamples.add("key " + key + " version " + version + (near ? " (near hit)" : " (Redis)")
							+ " " + TimeUnit.NANOSECONDS.toMillis(lag) + " ms behind");
				}
			}
		}

		String report() {
			return this.reads + " reads (" + this.nearHits + " near hits, " + this.redisReads + " from Redis, "
					+ this.fallbackReads + " from the outage fallback, " + this.misses + " misses); near hits by phase "
					+ this.nearHitsByPhase + "; largest lag behind Redis " + lagMillis(this.maxLagNanos)
					+ " ms (near hits " + lagMillis(this.maxNearLagNanos) + " ms), max staleness "
					+ MAX_STALENESS.toMillis() + " ms; " + this.violations.size() + " reads beyond it";
		}

		private double lagMillis(long nanos) {
			return nanos / 1_000_000.0;
		}

	}

}

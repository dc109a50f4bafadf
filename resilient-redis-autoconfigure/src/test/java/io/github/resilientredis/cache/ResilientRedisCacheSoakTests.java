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

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A soak of the circuit-breaking cache: many threads read, write and evict versioned
 * values while faults are injected at random (freeze, kill and restart, slow commands,
 * killed connections and, where supported, a silent partition). No exception may reach a
 * caller, no read may return a version older than the last acknowledged write or eviction
 * of its key, and everything the application opened is closed at shutdown.
 * <p>
 * CI runs a short soak; {@code -Dresilient.redis.soak.duration=60s} (and
 * {@code -Dresilient.redis.soak.threads}, {@code -Dresilient.redis.soak.seed}) runs the
 * long one.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisCacheSoakTests {

	private static final Duration DURATION = DurationStyle
		.detectAndParse(System.getProperty("resilient.redis.soak.duration", "15s"));

	private static final int THREADS = Integer.getInteger("resilient.redis.soak.threads", 64);

	private static final long SEED = Long.getLong("resilient.redis.soak.seed", System.nanoTime());

	private static final int KEYS_PER_THREAD = 16;

	@Test
	void underRandomFaultsNoCallFailsAndNoReadIsOlderThanTheLastAcknowledgedWrite() throws Exception {
		boolean partitions = RedisServer.isBlackholeSupported();
		RedisServer.Builder builder = RedisServer.builder();
		try (RedisServer server = (partitions ? builder.isolatedNetwork() : builder).start()) {
			Set<String> threadsBefore = threadNames();
			long heapBefore = usedHeapAfterGc();
			Soak soak = new Soak();
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
								ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
				.withUserConfiguration(SoakConfiguration.class)
				.withPropertyValues(server.springProperties())
				.withPropertyValues("spring.data.redis.timeout=500ms",
						"resilient.redis.circuit-breaker.wait-duration-in-open-state=500ms",
						"resilient.redis.retry.budget=1s", "resilient.redis.heartbeat.interval=2s")
				.run((context) -> {
					soak.run(context.getBean(VersionedCatalog.class), server, partitions);
					ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
					await().atMost(Duration.ofSeconds(30))
						.pollInterval(Duration.ofMillis(20))
						.until(() -> cacheManager.getCircuitBreakerState() == State.CLOSED
								&& !cacheManager.isServingFromFallback());
					soak.checkEveryKey(context.getBean(VersionedCatalog.class));
				});
			System.out.printf(
					"Soak (seed %d, %d threads, %s): %d calls, %d failed, %d stale reads, slowest call %d ms; faults %s%n",
					SEED, THREADS, DURATION, soak.calls.sum(), soak.failures.sum(), soak.staleReads.sum(),
					TimeUnit.NANOSECONDS.toMillis(soak.slowest.get()), soak.faults);
			assertThat(soak.firstFailure.get()).as("exception that reached a caller").isNull();
			assertThat(soak.failures.sum()).isZero();
			assertThat(soak.firstStaleRead.get()).as("read older than the last acknowledged write").isNull();
			assertThat(soak.faults).isNotEmpty();
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(50))
				.untilAsserted(() -> assertThat(server.execute("CLIENT", "LIST").lines())
					.as("connections left open after shutdown")
					.hasSize(1));
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(100))
				.untilAsserted(() -> assertThat(threadNames()).as("threads started by the soak and left running")
					.isSubsetOf(threadsBefore));
			long heapAfter = usedHeapAfterGc();
			System.out.printf("Heap after GC: %d MB before, %d MB after the soak%n", heapBefore >> 20, heapAfter >> 20);
			assertThat(heapAfter).as("heap after the soak").isLessThan(heapBefore + (64 << 20));
		}
	}

	private static Set<String> threadNames() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			// Test and JDK infrastructure: Awaitility, the JDK's process reapers of the
			// redis-server processes, the common pool's idle workers.
			.filter((name) -> !name.startsWith("awaitility") && !name.startsWith("process reaper")
					&& !name.startsWith("ForkJoinPool.commonPool"))
			.collect(Collectors.toSet());
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * The state of one soak: the acknowledged versions and what went wrong.
	 */
	static final class Soak {

		private final Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();

		private final LongAdder calls = new LongAdder();

		private final LongAdder failures = new LongAdder();

		private final LongAdder staleReads = new LongAdder();

		private final AtomicLong slowest = new AtomicLong();

		private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

		private final AtomicReference<String> firstStaleRead = new AtomicReference<>();

		private final List<String> faults = new ArrayList<>();

		void run(VersionedCatalog catalog, RedisServer server, boolean partitions) throws InterruptedException {
			for (int t = 0; t < THREADS; t++) {
				for (int k = 0; k < KEYS_PER_THREAD; k++) {
					this.acknowledged.put(key(t, k), new AtomicLong());
				}
			}
			long deadline = System.nanoTime() + DURATION.toNanos();
			CountDownLatch done = new CountDownLatch(THREADS);
			for (int t = 0; t < THREADS; t++) {
				int owner = t;
				Thread worker = new Thread(() -> {
					try {
						while (System.nanoTime() - deadline < 0) {
							call(catalog, owner);
						}
					}
					finally {
						done.countDown();
					}
				}, "soak-" + t);
				worker.setDaemon(true);
				worker.start();
			}
			injectFaults(server, partitions, deadline);
			assertThat(done.await(1, TimeUnit.MINUTES)).as("workers finished").isTrue();
		}

		private void call(VersionedCatalog catalog, int owner) {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			int operation = random.nextInt(10);
			long started = System.nanoTime();
			try {
				if (operation < 7) {
					String key = key(random.nextInt(THREADS), random.nextInt(KEYS_PER_THREAD));
					long floor = this.acknowledged.get(key).get();
					long read = catalog.find(key);
					if (read < floor) {
						this.staleReads.increment();
						this.firstStaleRead.compareAndSet(null,
								key + " read version " + read + " after version " + floor + " was acknowledged");
					}
				}
				else {
					String key = key(owner, random.nextInt(KEYS_PER_THREAD));
					long version = (operation < 9) ? catalog.write(key) : catalog.evict(key);
					this.acknowledged.get(key).set(version);
				}
			}
			catch (RuntimeException ex) {
				this.failures.increment();
				this.firstFailure.compareAndSet(null, ex);
			}
			finally {
				this.calls.increment();
				this.slowest.accumulateAndGet(System.nanoTime() - started, Math::max);
			}
		}

		private void injectFaults(RedisServer server, boolean partitions, long deadline) {
			Random random = new Random(SEED);
			List<String> kinds = new ArrayList<>(List.of("freeze", "kill", "slow", "kill-clients"));
			if (partitions) {
				kinds.add("blackhole");
			}
			Duration outage = Duration.ofMillis(1500);
			while (deadline - System.nanoTime() > outage.plusSeconds(2).toNanos()) {
				pause(Duration.ofMillis(1000 + random.nextInt(1500)));
				String kind = kinds.get(random.nextInt(kinds.size()));
				this.faults.add(kind);
				switch (kind) {
					case "freeze" -> during(outage, server, RedisServer::freeze, RedisServer::thaw);
					case "kill" -> during(outage, server, RedisServer::kill, RedisServer::restart);
					case "slow" -> server.slow(outage);
					case "kill-clients" -> server.killClients();
					default -> during(outage, server, RedisServer::blackhole, RedisServer::heal);
				}
			}
		}

		private void during(Duration outage, RedisServer server, Consumer<RedisServer> fault,
				Consumer<RedisServer> heal) {
			fault.accept(server);
			try {
				pause(outage);
			}
			finally {
				heal.accept(server);
			}
		}

		private static void pause(Duration duration) {
			// The fault injector paces itself; callers never wait on it.
			long end = System.nanoTime() + duration.toNanos();
			while (end - System.nanoTime() > 0) {
				LockSupport.parkNanos(end - System.nanoTime());
			}
		}

		void checkEveryKey(VersionedCatalog catalog) {
			this.acknowledged
				.forEach((key, version) -> assertThat(catalog.find(key)).as("version of %s after the soak", key)
					.isGreaterThanOrEqualTo(version.get()));
		}

		private static String key(int owner, int index) {
			return owner + ":" + index;
		}

	}

	/**
	 * A cached view of versions kept in a map that stands for the database.
	 */
	public static class VersionedCatalog {

		private final Map<String, AtomicLong> database = new ConcurrentHashMap<>();

		@Cacheable("soak")
		public long find(String key) {
			return version(key).get();
		}

		@CachePut(cacheNames = "soak", key = "#key")
		public long write(String key) {
			return version(key).incrementAndGet();
		}

		@CacheEvict(cacheNames = "soak", key = "#key")
		public long evict(String key) {
			return version(key).incrementAndGet();
		}

		private AtomicLong version(String key) {
			return this.database.computeIfAbsent(key, (k) -> new AtomicLong());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class SoakConfiguration {

		@Bean
		VersionedCatalog versionedCatalog() {
			return new VersionedCatalog();
		}

	}

}

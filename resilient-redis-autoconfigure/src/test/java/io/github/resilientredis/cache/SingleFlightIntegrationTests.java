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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of single flight across instances: three application contexts, each
 * with its own connection factory, against one real {@code redis-server}.
 *
 * @author resilient-redis contributors
 */
class SingleFlightIntegrationTests {

	private static final int INSTANCES = 3;

	private static final Duration TIME_TO_LIVE = Duration.ofMillis(500);

	private final Database database = new Database();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(HotConfiguration.class)
		.withBean(Database.class, () -> this.database)
		.withPropertyValues("spring.data.redis.timeout=500ms", "spring.cache.redis.time-to-live=500ms",
				"resilient.redis.circuit-breaker.wait-duration-in-open-state=500ms", "resilient.redis.retry.budget=1s");

	@Test
	void whenKeysExpireUnderLoadThenEachExpiryIsLoadedOnceAcrossInstances() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			Stampede off = stampede(redis, false);
			Stampede on = stampede(redis, true);
			System.out.printf(
					"Single flight across %d instances x 16 threads, 5 keys, time to live %d ms, loader 50-100 ms: "
							+ "on: %d loads, %d loads in a window already loaded (max %d loads in one window), "
							+ "roles %s, lease waits %d, mean %.1f ms; off: %d loads, %d loads in a window already "
							+ "loaded (max %d in one window)%n",
					INSTANCES, TIME_TO_LIVE.toMillis(), on.loads(), on.extraLoads(), on.maxPerWindow(), on.roles(),
					on.leaseWaits(), on.meanLeaseWaitMillis(), off.loads(), off.extraLoads(), off.maxPerWindow());
			assertThat(on.failures()).isZero();
			assertThat(on.extraLoads()).as("loads of a key in a window another load already filled").isZero();
			assertThat(on.roles().get("follower")).isPositive();
			assertThat(on.roles().get("waited-out")).isZero();
			assertThat(off.extraLoads()).as("without single flight, each instance loads each window").isPositive();
		}
	}

	private Stampede stampede(RedisServer redis, boolean singleFlight) throws Exception {
		this.database.reset();
		redis.execute("FLUSHALL");
		List<Stampede> result = new ArrayList<>();
		instances(this.contextRunner.withPropertyValues(redis.springProperties())
			.withPropertyValues("resilient.redis.cache.single-flight.enabled=" + singleFlight), (contexts) -> {
				List<CacheLoad> loads = new ArrayList<>();
				long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
				for (AssertableApplicationContext context : contexts) {
					HotService service = context.getBean(HotService.class);
					loads.add(CacheLoad.start(16, Duration.ofMillis(2), (call) -> service.find("k" + (call % 5))));
				}
				await().atMost(Duration.ofSeconds(20)).until(() -> System.nanoTime() > end);
				int failures = 0;
				for (CacheLoad load : loads) {
					failures += load.failures();
					load.close();
				}
				Map<String, Long> roles = new TreeMap<>();
				long waits = 0;
				long waitNanos = 0;
				for (AssertableApplicationContext context : contexts) {
					ResilientCacheStatistics statistics = cache(context).getResilienceStatistics();
					roles.merge("leader", statistics.getLeaderLoads(), Long::sum);
					roles.merge("follower", statistics.getFollowerLoads(), Long::sum);
					roles.merge("waited-out", statistics.getWaitedOutLoads(), Long::sum);
					roles.merge("local", statistics.getLocalLoads(), Long::sum);
					waits += statistics.getLeaseWaits();
					waitNanos += statistics.getLeaseWaitNanos();
				}
				result.add(new Stampede(this.database.loadCount(), this.database.extraLoads(TIME_TO_LIVE),
						this.database.maxLoadsPerWindow(TIME_TO_LIVE), roles, waits,
						(waits > 0) ? waitNanos / 1e6 / waits : 0, failures));
			});
		return result.get(0);
	}

	@Test
	void whenALeaseIsHeldByADeadInstanceThenOthersWaitAtMostTheLeaseAndOneLoads() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			instances(this.contextRunner.withPropertyValues(redis.springProperties())
				.withPropertyValues("resilient.redis.cache.single-flight.enabled=true",
						"resilient.redis.cache.single-flight.lease-time=1500ms"),
					(contexts) -> {
						// Taken by an instance that died before it released it.
						redis.execute("SET", "hot::dead~lease", "dead-instance:1", "PX", "1500");
						long start = System.nanoTime();
						List<Future<String>> calls = callAll(contexts, 4, (service) -> service.find("dead"));
						List<Long> waitedMillis = new ArrayList<>();
						for (Future<String> call : calls) {
							assertThat(call.get(10, TimeUnit.SECONDS)).startsWith("dead:");
							waitedMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
						}
						long longest = waitedMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
						System.out.printf(
								"Lease held by a dead instance (1500 ms): %d callers on %d instances answered "
										+ "after at most %d ms, %d loads%n",
								calls.size(), INSTANCES, longest, this.database.loadCount());
						assertThat(this.database.loadCount()).isEqualTo(1);
						assertThat(longest).isLessThanOrEqualTo(1500 + 1000);
					});
		}
	}

	@Test
	void whenASlowLeaderLostItsLeaseThenItDoesNotStoreOverTheNextLeadersValue() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			instances(this.contextRunner.withPropertyValues(redis.springProperties())
				.withPropertyValues("resilient.redis.cache.single-flight.enabled=true",
						"resilient.redis.cache.single-flight.lease-time=200ms", "spring.cache.redis.time-to-live=60s"),
					(contexts) -> {
						this.database.withoutLatency();
						CountDownLatch slowGate = this.database.gate("slow");
						CompletableFuture<String> slow = CompletableFuture
							.supplyAsync(() -> contexts.get(0).getBean(HotService.class).find("slow"));
						await().atMost(Duration.ofSeconds(5)).until(() -> this.database.loadCount() == 1);
						await().atMost(Duration.ofSeconds(5))
							.until(() -> "0".equals(redis.execute("EXISTS", "hot::slow~lease")));
						String next = contexts.get(1).getBean(HotService.class).find("slow");
						assertThat(redis.execute("GET", "hot::slow")).contains(next);
						slowGate.countDown();
						String old = slow.get(10, TimeUnit.SECONDS);
						System.out.printf(
								"Slow leader that lost its lease: loaded %s, next leader %s, Redis holds %s%n", old,
								next, redis.execute("GET", "hot::slow"));
						assertThat(old).isNotEqualTo(next);
						assertThat(redis.execute("GET", "hot::slow")).contains(next).doesNotContain(old);
						assertThat(cache(contexts.get(0)).getResilienceStatistics().getSupersededFills()).isEqualTo(1);
					});
		}
	}

	@Test
	void whenAKeyIsEvictedOrPutOnAnotherInstanceWhileALeaderLoadsThenTheLeadersValueIsNotStored() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			instances(this.contextRunner.withPropertyValues(redis.springProperties())
				.withPropertyValues("resilient.redis.cache.single-flight.enabled=true",
						"spring.cache.redis.time-to-live=60s"),
					(contexts) -> {
						this.database.withoutLatency();
						HotService leader = contexts.get(0).getBean(HotService.class);
						HotService other = contexts.get(1).getBean(HotService.class);
						// Evicted while the leader loads: the key stays empty.
						CountDownLatch evictedGate = this.database.gate("evicted");
						CompletableFuture<String> evicted = CompletableFuture.supplyAsync(() -> leader.find("evicted"));
						await().atMost(Duration.ofSeconds(5))
							.until(() -> "1".equals(redis.execute("EXISTS", "hot::evicted~lease")));
						other.evict("evicted");
						evictedGate.countDown();
						evicted.get(10, TimeUnit.SECONDS);
						assertThat(redis.execute("EXISTS", "hot::evicted")).isEqualTo("0");
						// Put while the leader loads: the put's value stays.
						CountDownLatch putGate = this.database.gate("put");
						CompletableFuture<String> put = CompletableFuture.supplyAsync(() -> leader.find("put"));
						await().atMost(Duration.ofSeconds(5))
							.until(() -> "1".equals(redis.execute("EXISTS", "hot::put~lease")));
						other.put("put", "written");
						putGate.countDown();
						String loaded = put.get(10, TimeUnit.SECONDS);
						System.out.printf(
								"Written on another instance while a leader loaded: leader loaded %s, "
										+ "Redis holds %s and %s%n",
								loaded, redis.execute("GET", "hot::evicted"), redis.execute("GET", "hot::put"));
						assertThat(redis.execute("GET", "hot::put")).contains("written");
						assertThat(cache(contexts.get(0)).getResilienceStatistics().getSupersededFills()).isEqualTo(2);
					});
		}
	}

	@Test
	void whenRedisIsFrozenInTheMiddleThenNoCallFailsAndLoadsRunPerJvm() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			instances(this.contextRunner.withPropertyValues(redis.springProperties())
				.withPropertyValues("resilient.redis.cache.single-flight.enabled=true"), (contexts) -> {
					List<CacheLoad> loads = new ArrayList<>();
					for (AssertableApplicationContext context : contexts) {
						HotService service = context.getBean(HotService.class);
						loads.add(CacheLoad.start(4, Duration.ofMillis(5), (call) -> service.find("k" + (call % 5))));
					}
					await().atMost(Duration.ofSeconds(10)).until(() -> leaderLoads(contexts) > 5);
					redis.freeze();
					try {
						await().atMost(Duration.ofSeconds(10)).until(() -> localLoads(contexts) >= INSTANCES);
					}
					finally {
						redis.thaw();
					}
					await().atMost(Duration.ofSeconds(10))
						.until(() -> contexts.stream()
							.allMatch((context) -> context.getBean(CircuitBreaker.class).getState() == State.CLOSED));
					long leadersAfter = leaderLoads(contexts);
					await().atMost(Duration.ofSeconds(10)).until(() -> leaderLoads(contexts) > leadersAfter);
					int failures = 0;
					for (CacheLoad load : loads) {
						failures += load.failures();
						load.close();
					}
					System.out.printf("Redis frozen under single flight: %d loads, %d local, %d failed calls%n",
							this.database.loadCount(), localLoads(contexts), failures);
					assertThat(failures).isZero();
				});
		}
	}

	private static long leaderLoads(List<AssertableApplicationContext> contexts) {
		return contexts.stream()
			.mapToLong((context) -> cache(context).getResilienceStatistics().getLeaderLoads())
			.sum();
	}

	private static long localLoads(List<AssertableApplicationContext> contexts) {
		return contexts.stream().mapToLong((context) -> cache(context).getResilienceStatistics().getLocalLoads()).sum();
	}

	private static List<Future<String>> callAll(List<AssertableApplicationContext> contexts, int threadsEach,
			Function<HotService, String> call) {
		ExecutorService executor = Executors.newFixedThreadPool(contexts.size() * threadsEach);
		List<Future<String>> calls = new ArrayList<>();
		for (AssertableApplicationContext context : contexts) {
			HotService service = context.getBean(HotService.class);
			for (int i = 0; i < threadsEach; i++) {
				calls.add(executor.submit(() -> call.apply(service)));
			}
		}
		executor.shutdown();
		return calls;
	}

	// Start the instances one inside the other, and run the body with all of them.
	private static void instances(ApplicationContextRunner runner, Instances body) {
		instances(runner, new ArrayList<>(), body);
	}

	private static void instances(ApplicationContextRunner runner, List<AssertableApplicationContext> started,
			Instances body) {
		if (started.size() == INSTANCES) {
			try {
				body.run(List.copyOf(started));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			return;
		}
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			started.add(context);
			instances(runner, started, body);
		});
	}

	static ResilientRedisCache cache(AssertableApplicationContext context) {
		Cache cache = context.getBean(CacheManager.class).getCache("hot");
		return (ResilientRedisCache) ((cache instanceof TransactionAwareCacheDecorator decorator)
				? decorator.getTargetCache() : cache);
	}

	/**
	 * What runs with every instance started.
	 */
	@FunctionalInterface
	private interface Instances {

		void run(List<AssertableApplicationContext> contexts) throws Exception;

	}

	/**
	 * What a stampede run measured.
	 */
	private record Stampede(int loads, int extraLoads, int maxPerWindow, Map<String, Long> roles, long leaseWaits,
			double meanLeaseWaitMillis, int failures) {

	}

	/**
	 * The database behind the cached service, shared by every instance: each load takes
	 * 50 to 100 ms and is recorded.
	 */
	static final class Database {

		private final List<Load> loads = new CopyOnWriteArrayList<>();

		private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

		private final AtomicInteger versions = new AtomicInteger();

		private volatile boolean latency = true;

		String load(String id) {
			long start = System.nanoTime();
			this.loads.add(new Load(id, start));
			// A gate holds the first load of its key only.
			CountDownLatch gate = this.gates.remove(id);
			try {
				if (gate != null) {
					gate.await(30, TimeUnit.SECONDS);
				}
				else if (this.latency) {
					// The database's own latency.
					Thread.sleep(50 + (start % 51));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return id + ":" + this.versions.incrementAndGet();
		}

		CountDownLatch gate(String id) {
			return this.gates.computeIfAbsent(id, (key) -> new CountDownLatch(1));
		}

		void reset() {
			this.loads.clear();
			this.gates.clear();
		}

		void withoutLatency() {
			this.latency = false;
		}

		int loadCount() {
			return this.loads.size();
		}

		// A window starts with a load of the key and lasts until its value, stored at
		// the latest 100 ms later, has expired; a load that starts within a window
		// loaded a value that was already being loaded or held.
		private List<List<Load>> windows(Duration timeToLive) {
			long window = timeToLive.toNanos();
			List<List<Load>> windows = new ArrayList<>();
			Map<String, List<Load>> byKey = new TreeMap<>();
			for (Load load : this.loads) {
				byKey.computeIfAbsent(load.id(), (id) -> new ArrayList<>()).add(load);
			}
			for (List<Load> keyLoads : byKey.values()) {
				keyLoads.sort(Comparator.comparingLong(Load::startNanos));
				List<Load> current = null;
				for (Load load : keyLoads) {
					if (current == null || load.startNanos() - current.get(0).startNanos() >= window) {
						current = new ArrayList<>();
						windows.add(current);
					}
					current.add(load);
				}
			}
			return windows;
		}

		int extraLoads(Duration timeToLive) {
			return windows(timeToLive).stream().mapToInt((window) -> window.size() - 1).sum();
		}

		int maxLoadsPerWindow(Duration timeToLive) {
			return windows(timeToLive).stream().mapToInt(List::size).max().orElse(0);
		}

		private record Load(String id, long startNanos) {

		}

	}

	/**
	 * The cached service of each instance.
	 */
	public static class HotService {

		private final Database database;

		HotService(Database database) {
			this.database = database;
		}

		@Cacheable(cacheNames = "hot", sync = true)
		public String find(String id) {
			return this.database.load(id);
		}

		@CachePut(cacheNames = "hot", key = "#id")
		public String put(String id, String value) {
			return value;
		}

		@CacheEvict("hot")
		public void evict(String id) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class HotConfiguration {

		@Bean
		HotService hotService(Database database) {
			return new HotService(database);
		}

	}

}

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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
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
import io.github.resilientredis.autoconfigure.ResilientRedisMonitoringAutoConfiguration;
import io.github.resilientredis.execution.RedisErrorCounter;
import io.github.resilientredis.test.RedisClusterServers;
import io.github.resilientredis.test.RedisSentinelSet;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
		.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class, ResilientRedisCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class))
		.withUserConfiguration(HotConfiguration.class)
		.withBean(Database.class, () -> this.database)
		.withPropertyValues("spring.data.redis.timeout=500ms", "spring.cache.redis.time-to-live=500ms",
				"resilient.redis.circuit-breaker.wait-duration-in-open-state=500ms", "resilient.redis.retry.budget=1s");

	@Test
	void whenKeysExpireUnderLoadThenEachExpiryIsLoadedOnceAcrossInstances() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			redis.execute("FLUSHALL");
			Stampede off = stampede(redis.springProperties(), false, Duration.ofSeconds(3));
			redis.execute("FLUSHALL");
			Stampede on = stampede(redis.springProperties(), true, Duration.ofSeconds(3));
			print("standalone", on, off);
			assertSingleFlight(on, off);
		}
	}

	@Test
	void whenKeysExpireOnSentinelThenEachExpiryIsLoadedOnceAcrossInstances() throws Exception {
		assumeTrue(RedisSentinelSet.isSupported(), "a Sentinel set needs redis-server on the PATH");
		try (RedisSentinelSet sentinel = RedisSentinelSet.start()) {
			Stampede off = stampede(sentinel.springProperties(), false, Duration.ofSeconds(2));
			sentinel.master().execute("FLUSHALL");
			Stampede on = stampede(sentinel.springProperties(), true, Duration.ofSeconds(2));
			print("Sentinel", on, off);
			assertSingleFlight(on, off);
		}
	}

	@Test
	void whenKeysExpireOnAClusterThenEachExpiryIsLoadedOnceAcrossInstancesWithLeasesInTheValuesSlot() throws Exception {
		assumeTrue(RedisClusterServers.isSupported(), "a cluster needs redis-server and redis-cli on the PATH");
		try (RedisClusterServers cluster = RedisClusterServers.start()) {
			// Six nodes and three instances share the machine: a command timeout that
			// load
			// alone does not reach.
			String[] properties = with(cluster.springProperties(), "spring.data.redis.timeout=2s");
			Stampede off = stampede(properties, false, Duration.ofSeconds(2));
			cluster.masters().forEach((master) -> master.execute("FLUSHALL"));
			Stampede on = stampede(properties, true, Duration.ofSeconds(2));
			print("cluster", on, off);
			assertSingleFlight(on, off);
			this.database.reset();
			this.database.withoutLatency();
			instances(this.contextRunner.withPropertyValues(cluster.springProperties())
				.withPropertyValues("resilient.redis.cache.single-flight.enabled=true",
						"spring.cache.redis.time-to-live=60s"),
					(contexts) -> {
						// No hash tag: the lease is braced, and hashes as the whole key.
						assertLeaseInSlot(cluster, contexts, "plain", "{hot::plain}~lease", "hot::plain");
						// A hash tag: the lease keeps it.
						assertLeaseInSlot(cluster, contexts, "{tag}b", "hot::{tag}b~lease", "tag");
						// A clear deletes the braced leases before the values.
						CountDownLatch gate = this.database.gate("cleared");
						RedisServer master = cluster.masterOf(RedisClusterServers.slot("hot::cleared"));
						CompletableFuture<String> cleared = CompletableFuture
							.supplyAsync(() -> contexts.get(0).getBean(HotService.class).find("cleared"));
						await().atMost(Duration.ofSeconds(5))
							.until(() -> "1".equals(master.execute("EXISTS", "{hot::cleared}~lease")));
						cache(contexts.get(2)).clear();
						assertThat(master.execute("EXISTS", "{hot::cleared}~lease")).isEqualTo("0");
						gate.countDown();
						cleared.get(10, TimeUnit.SECONDS);
						assertThat(master.execute("EXISTS", "hot::cleared")).isEqualTo("0");
					});
		}
	}

	private void assertLeaseInSlot(RedisClusterServers cluster, List<AssertableApplicationContext> contexts, String id,
			String leaseKey, String hashed) throws Exception {
		int slot = RedisClusterServers.slot("hot::" + id);
		assertThat(RedisClusterServers.slot(leaseKey)).isEqualTo(slot).isEqualTo(RedisClusterServers.slot(hashed));
		RedisServer master = cluster.masterOf(slot);
		int loadsBefore = this.database.loadCount();
		long waitsBefore = cache(contexts.get(1)).getResilienceStatistics().getLeaseWaits();
		// EXISTS on the master of the value's slot: a key of another slot would be MOVED.
		long wokenMillis = wokenFollower(contexts, id, () -> "1".equals(master.execute("EXISTS", leaseKey)));
		System.out.printf("Cluster, key %s: lease %s in slot %d, follower on another instance answered %d ms after "
				+ "the leader's load ended%n", id, leaseKey, slot, wokenMillis);
		assertThat(wokenMillis).isLessThan(5_000);
		assertThat(this.database.loadCount() - loadsBefore).isOne();
		assertThat(cache(contexts.get(1)).getResilienceStatistics().getLeaseWaits()).isGreaterThan(waitsBefore);
		assertThat(master.execute("EXISTS", leaseKey)).isEqualTo("0");
	}

	// Instance 0 loads the key behind a gate while instance 1 waits for it: only the
	// wake-up ends that wait before the 10 s lease time. Answers how long after the
	// leader's load ended the follower answered.
	private long wokenFollower(List<AssertableApplicationContext> contexts, String id, Callable<Boolean> leaseHeld)
			throws Exception {
		CountDownLatch gate = this.database.gate(id);
		CompletableFuture<String> leader = CompletableFuture
			.supplyAsync(() -> contexts.get(0).getBean(HotService.class).find(id));
		await().atMost(Duration.ofSeconds(5)).until(leaseHeld);
		CompletableFuture<String> follower = CompletableFuture
			.supplyAsync(() -> contexts.get(1).getBean(HotService.class).find(id));
		LoadWakeups wakeups = contexts.get(1).getBean(ResilientRedisCacheManager.class).loadWakeups();
		assertThat(wakeups).isNotNull();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> wakeups.isWaiting(("hot::" + id).getBytes(StandardCharsets.UTF_8)));
		long start = System.nanoTime();
		gate.countDown();
		assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo(leader.get(10, TimeUnit.SECONDS));
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	private static long redisErrors(List<AssertableApplicationContext> contexts) {
		return contexts.stream()
			.flatMap((context) -> context.getBean(RedisErrorCounter.class).getCounts().values().stream())
			.mapToLong(Long::longValue)
			.sum();
	}

	private static String[] with(String[] properties, String property) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add(property);
		return all.toArray(String[]::new);
	}

	private static void print(String topology, Stampede on, Stampede off) {
		System.out.printf("Single flight across %d instances x 16 threads on %s, 5 keys, time to live %d ms, loader "
				+ "50-100 ms: on: %d loads, %d loads in a window already loaded (max %d loads in one window), roles "
				+ "%s, lease waits %d, mean %.1f ms, %d failed calls, %d Redis errors; off: %d loads, %d loads in a "
				+ "window already loaded (max %d in one window)%n", INSTANCES, topology, TIME_TO_LIVE.toMillis(),
				on.loads(), on.extraLoads(), on.maxPerWindow(), on.roles(), on.leaseWaits(), on.meanLeaseWaitMillis(),
				on.failures(), on.redisErrors(), off.loads(), off.extraLoads(), off.maxPerWindow());
	}

	private static void assertSingleFlight(Stampede on, Stampede off) {
		assertThat(on.failures()).isZero();
		// While Redis answers every call, one load per window. A call Redis fails (the
		// machine is shared) makes a load local, or a leader's store journaled and
		// deleted in Redis, so that a second leader loads: at most one extra load for
		// each.
		assertThat(on.extraLoads()).as("loads of a key in a window another load already filled")
			.isLessThanOrEqualTo((int) (on.roles().get("local") + on.redisErrors()));
		if (on.redisErrors() == 0) {
			assertThat(on.extraLoads()).isZero();
		}
		assertThat(on.roles().get("follower")).isPositive();
		assertThat(on.roles().get("waited-out")).isZero();
		assertThat(off.extraLoads()).as("without single flight, each instance loads each window").isPositive();
	}

	private Stampede stampede(String[] properties, boolean singleFlight, Duration duration) throws Exception {
		this.database.reset();
		List<Stampede> result = new ArrayList<>();
		instances(this.contextRunner.withPropertyValues(properties)
			.withPropertyValues("resilient.redis.cache.single-flight.enabled=" + singleFlight), (contexts) -> {
				// Every instance connected and served by Redis before the load starts.
				await().atMost(Duration.ofSeconds(20)).until(() -> contexts.stream().allMatch((context) -> {
					for (int key = 0; key < 5; key++) {
						cache(context).evictIfPresent("k" + key);
					}
					ResilientRedisCacheManager manager = context.getBean(ResilientRedisCacheManager.class);
					return manager.getCircuitBreakerState() == State.CLOSED && !manager.isServingFromFallback();
				}));
				long errorsBefore = redisErrors(contexts);
				List<CacheLoad> loads = new ArrayList<>();
				long end = System.nanoTime() + duration.toNanos();
				for (AssertableApplicationContext context : contexts) {
					HotService service = context.getBean(HotService.class);
					loads.add(CacheLoad.start(16, Duration.ofMillis(2), (call) -> service.find("k" + (call % 5))));
				}
				await().atMost(Duration.ofSeconds(20)).until(() -> System.nanoTime() > end);
				int failures = 0;
				for (CacheLoad load : loads) {
					load.stop();
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
						(waits > 0) ? waitNanos / 1e6 / waits : 0, failures, redisErrors(contexts) - errorsBefore));
			});
		return result.get(0);
	}

	@Test
	void whenALeaseIsHeldByADeadInstanceThenOthersWaitAtMostTheLeaseAndOneLoads() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			singleFlight(redis, new String[] { "resilient.redis.cache.single-flight.lease-time=1500ms" },
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
			singleFlight(redis, new String[] { "resilient.redis.cache.single-flight.lease-time=200ms",
					"spring.cache.redis.time-to-live=60s" }, (contexts) -> {
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
			singleFlight(redis, new String[] { "spring.cache.redis.time-to-live=60s" }, (contexts) -> {
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
	void whenTheWakeUpSubscriptionsAreKilledThenFollowersAreStillWokenAfterTheyResubscribe() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			singleFlight(redis, new String[] { "spring.cache.redis.time-to-live=60s" }, (contexts) -> {
				this.database.withoutLatency();
				// A first load subscribes each instance.
				for (int i = 0; i < INSTANCES; i++) {
					contexts.get(i).getBean(HotService.class).find("first-" + i);
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> subscribers(redis) == INSTANCES);
				assertThat(redis.execute("CLIENT", "KILL", "TYPE", "pubsub")).isEqualTo(String.valueOf(INSTANCES));
				await().atMost(Duration.ofSeconds(10)).until(() -> subscribers(redis) == INSTANCES);
				long wokenMillis = wokenFollower(contexts, "after",
						() -> "1".equals(redis.execute("EXISTS", "hot::after~lease")));
				System.out.printf("Wake-up subscriptions killed and resubscribed: the follower answered %d ms "
						+ "after the leader's load ended (lease time 10 s)%n", wokenMillis);
				assertThat(wokenMillis).isLessThan(5_000);
			});
		}
	}

	@Test
	void whenTheNearCacheIsOnThenItServesTheValueAWokenFollowerRead() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			singleFlight(redis,
					new String[] { "resilient.redis.cache.near.enabled=true", "spring.cache.redis.time-to-live=60s" },
					(contexts) -> {
						this.database.withoutLatency();
						// The tracking link starts with the first near-cached cache.
						contexts.forEach((context) -> assertThat(cache(context).isNearCached()).isTrue());
						await().atMost(Duration.ofSeconds(10))
							.until(() -> contexts.stream()
								.allMatch((context) -> context.getBean(NearCacheTracking.class).isTrusted()));
						long wokenMillis = wokenFollower(contexts, "near",
								() -> "1".equals(redis.execute("EXISTS", "hot::near~lease")));
						ResilientCacheStatistics follower = cache(contexts.get(1)).getResilienceStatistics();
						long nearHits = follower.getNearHits();
						long redisReads = follower.getRedisHits() + follower.getRedisMisses();
						String value = contexts.get(1).getBean(HotService.class).find("near");
						System.out.printf(
								"Near cache and single flight: the follower answered %d ms after the "
										+ "leader's load ended, then read %s from the near cache%n",
								wokenMillis, value);
						assertThat(follower.getNearHits()).isEqualTo(nearHits + 1);
						assertThat(follower.getRedisHits() + follower.getRedisMisses()).isEqualTo(redisReads);
						assertThat(follower.getFollowerLoads()).isOne();
						assertThat(this.database.loadCount()).isOne();
					});
		}
	}

	private static int subscribers(RedisServer redis) {
		String reply = redis.execute("PUBSUB", "NUMSUB", LoadLeases.CHANNEL);
		return (reply != null) ? Integer.parseInt(reply.split("\n")[1].trim()) : 0;
	}

	@Test
	void whenRedisIsFrozenInTheMiddleThenNoCallFailsAndLoadsRunPerJvm() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			singleFlight(redis, new String[0], (contexts) -> {
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

	private void singleFlight(RedisServer redis, String[] properties, Instances body) {
		instances(this.contextRunner.withPropertyValues(redis.springProperties())
			.withPropertyValues("resilient.redis.cache.single-flight.enabled=true")
			.withPropertyValues(properties), body);
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
			double meanLeaseWaitMillis, int failures, long redisErrors) {

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

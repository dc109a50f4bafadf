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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.RedisClusterServers;
import io.github.resilientredis.test.RedisSentinelSet;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Integration tests of the circuit-breaking cache through a Sentinel failover, a cluster
 * failover and a whole cluster outage, against real {@code redis-server} topologies:
 * callers under load never see an exception, the cache answers from its fallback, returns
 * to Redis on the promoted master, and a key evicted or updated meanwhile never comes
 * back with the value the promoted replica still holds. The recovery times are printed;
 * the README quotes them.
 *
 * @author resilient-redis contributors
 */
class CacheFailoverIntegrationTests {

	private static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

	// One hash tag: in a cluster every key of the test lives in the same slot
	private static final String EVICTED = "{failover}evicted";

	private static final String UPDATED = "{failover}updated";

	private static final String KEPT = "{failover}kept";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CatalogConfiguration.class)
		.withPropertyValues("spring.data.redis.timeout=500ms",
				"resilient.redis.circuit-breaker.wait-duration-in-open-state=500ms", "resilient.redis.retry.budget=1s");

	@Test
	void whenSentinelMasterIsKilledUnderLoadThenTheCacheReturnsToRedisOnThePromotedMasterWithoutStaleReads() {
		assumeTrue(RedisSentinelSet.isSupported(), "a Sentinel set needs redis-server on the PATH");
		try (RedisSentinelSet sentinel = RedisSentinelSet.start()) {
			this.contextRunner.withPropertyValues(sentinel.springProperties()).run((context) -> {
				Catalog catalog = primed(context);
				RedisServer master = sentinel.master();
				awaitReplicated(master);
				survivesFailover(context, catalog, master::kill, "Sentinel failover (cache)", "the master");
				assertThat(sentinel.master()).isNotSameAs(master);
				assertNoStaleReads(context, catalog);
			});
		}
	}

	@Test
	void whenClusterMasterIsKilledUnderLoadThenTheCacheReturnsToRedisOnThePromotedReplicaWithoutStaleReads() {
		assumeTrue(RedisClusterServers.isSupported(), "a cluster needs redis-server and redis-cli on the PATH");
		try (RedisClusterServers cluster = RedisClusterServers.start()) {
			this.contextRunner.withPropertyValues(cluster.springProperties()).run((context) -> {
				Catalog catalog = primed(context);
				int slot = RedisClusterServers.slot("products::" + UPDATED);
				RedisServer master = cluster.masterOf(slot);
				awaitReplicated(master);
				survivesFailover(context, catalog, master::kill, "Cluster failover (cache)",
						"the master of their slots");
				assertThat(cluster.masterOf(slot)).isNotSameAs(master);
				assertNoStaleReads(context, catalog);
			});
		}
	}

	@Test
	void whenTheWholeClusterIsDownThenTheCacheServesFromItsFallbackAndReturnsToRedisWhenItIsBack() {
		assumeTrue(RedisClusterServers.isSupported(), "a cluster needs redis-server and redis-cli on the PATH");
		try (RedisClusterServers cluster = RedisClusterServers.start()) {
			this.contextRunner.withPropertyValues(cluster.springProperties()).run((context) -> {
				Catalog catalog = primed(context);
				ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
				try (CacheLoad load = CacheLoad.start(catalog, "{failover}load-")) {
					await().atMost(Duration.ofSeconds(5)).until(() -> load.calls() > 100);
					cluster.killAll();
					awaitServingFromFallback(cacheManager, catalog);
					changeDuringOutage(catalog);
					cluster.restartAll();
					long restarted = System.nanoTime();
					Duration recovery = awaitBackOnRedis(cacheManager, restarted);
					System.out.printf(
							"Whole cluster down (cache): %d calls under load, none failed; the cache was "
									+ "back on Redis %d ms after every node was back and the cluster healthy%n",
							load.calls(), recovery.toMillis());
					load.assertNoCallFailed();
				}
				assertNoStaleReads(context, catalog);
			});
		}
	}

	private static Catalog primed(ApplicationContext context) {
		Catalog catalog = context.getBean(Catalog.class);
		// Right after a topology starts, the client may still be discovering it
		await().atMost(Duration.ofSeconds(10))
			.until(() -> context.getBean(ResilientRedisCacheManager.class).getCircuitBreakerState() == State.CLOSED);
		for (String id : new String[] { EVICTED, UPDATED, KEPT }) {
			catalog.store(id, "v1");
			assertThat(catalog.find(id)).isEqualTo("v1");
		}
		int loads = catalog.loads();
		assertThat(catalog.find(UPDATED)).isEqualTo("v1");
		assertThat(catalog.loads()).as("served by Redis").isEqualTo(loads);
		return catalog;
	}

	private static void survivesFailover(ApplicationContext context, Catalog catalog, Runnable killMaster,
			String scenario, String master) throws InterruptedException {
		try (CacheLoad load = CacheLoad.start(catalog, "{failover}load-")) {
			await().atMost(Duration.ofSeconds(5)).until(() -> load.calls() > 100);
			killMaster.run();
			long killed = System.nanoTime();
			Duration recovery = survivesOutage(context, catalog, killed);
			System.out.printf(
					"%s: %d calls under load, none failed; the cache was back on Redis (breaker closed, "
							+ "journal replayed) %d ms after %s was killed%n",
					scenario, load.calls(), recovery.toMillis(), master);
			load.assertNoCallFailed();
		}
	}

	private static Duration survivesOutage(ApplicationContext context, Catalog catalog, long faultInjected) {
		ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
		awaitServingFromFallback(cacheManager, catalog);
		changeDuringOutage(catalog);
		return awaitBackOnRedis(cacheManager, faultInjected);
	}

	private static void awaitServingFromFallback(ResilientRedisCacheManager cacheManager, Catalog catalog) {
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
			assertThat(catalog.find(KEPT)).isEqualTo("v1");
			return cacheManager.getCircuitBreakerState() != State.CLOSED;
		});
		assertThat(catalog.find(KEPT)).as("answered by the fallback").isEqualTo("v1");
	}

	private static void changeDuringOutage(Catalog catalog) {
		// The promoted replica still holds v1 for both keys: the invalidation journal
		// has to delete them there before Redis answers reads again.
		catalog.store(EVICTED, "v2");
		catalog.evict(EVICTED);
		catalog.update(UPDATED, "v2");
		assertThat(catalog.find(EVICTED)).as("read-your-writes during the outage").isEqualTo("v2");
		assertThat(catalog.find(UPDATED)).as("read-your-writes during the outage").isEqualTo("v2");
	}

	private static Duration awaitBackOnRedis(ResilientRedisCacheManager cacheManager, long since) {
		await().atMost(RECOVERY_BOUND)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> cacheManager.getCircuitBreakerState() == State.CLOSED
					&& !cacheManager.isServingFromFallback());
		return Duration.ofNanos(System.nanoTime() - since);
	}

	private static void assertNoStaleReads(ApplicationContext context, Catalog catalog) {
		assertThat(catalog.find(EVICTED)).as("never stale after the failover").isEqualTo("v2");
		assertThat(catalog.find(UPDATED)).as("never stale after the failover").isEqualTo("v2");
		int loads = catalog.loads();
		assertThat(catalog.find(UPDATED)).isEqualTo("v2");
		assertThat(catalog.loads()).as("served by Redis again").isEqualTo(loads);
		assertThat(context.getBean(ResilientRedisCacheManager.class).isServingFromFallback()).isFalse();
	}

	/**
	 * Waits until the replicas of the given master have every write it acknowledged, so
	 * that the old values are on the replica that will be promoted.
	 */
	private static void awaitReplicated(RedisServer master) {
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
			String replication = String.valueOf(master.execute("INFO", "replication"));
			Matcher offset = Pattern.compile("master_repl_offset:(\\d+)").matcher(replication);
			Matcher replica = Pattern.compile("slave0:.*offset=(\\d+)").matcher(replication);
			return offset.find() && replica.find() && offset.group(1).equals(replica.group(1));
		});
	}

}

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

package io.github.resilientredis.health;

import java.time.Duration;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.actuate.endpoint.RedisEndpoint;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisMonitoringAutoConfiguration;
import io.github.resilientredis.autoconfigure.endpoint.ResilientRedisEndpointAutoConfiguration;
import io.github.resilientredis.autoconfigure.health.ResilientRedisHealthContributorAutoConfiguration;
import io.github.resilientredis.test.RedisClusterServers;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Integration tests of the Redis health indicator and the {@code redis} endpoint against
 * real {@code redis-server} processes: up, killed, frozen, with a user that may not run
 * {@code INFO}, with the circuit breaker open, out of memory, a replica, and a cluster
 * with a shard down.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisHealthIndicatorIntegrationTests {

	private static final String PASSWORD = "s3cret-health";

	// The default health timeout is 1 s and the command timeout here 3 s: an answer
	// within 2.5 s came from the health timeout, with a margin a loaded machine keeps
	private static final Duration HEALTH_BOUND = Duration.ofMillis(2500);

	private RedisServer server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void whenRedisAnswersThenHealthIsUpWithLatencyVersionModeAndRole() {
		this.server = RedisServer.builder().password(PASSWORD).start();
		run(false, (context) -> {
			awaitStatus(context, Status.UP);
			Health health = health(context);
			assertThat(health.getDetails()).containsKeys("latency_ms", "reconnects")
				.containsEntry("mode", "standalone")
				.containsEntry("role", "master")
				.containsEntry("circuit_breaker", "CLOSED")
				.doesNotContainKey("error");
			assertThat((String) health.getDetails().get("version")).matches("\\d+\\.\\d+\\.\\d+");
			assertThat(health.toString()).doesNotContain(PASSWORD);
		});
	}

	@Test
	void whenRedisIsKilledAndTheCacheServesFromItsFallbackThenHealthIsDegraded() {
		this.server = RedisServer.builder().password(PASSWORD).start();
		run(true, (context) -> {
			awaitStatus(context, Status.UP);
			this.server.kill();
			awaitStatus(context, ResilientRedisHealthIndicator.DEGRADED);
			Health health = health(context);
			assertThat(health.getDetails()).containsKeys("error", "fallback_serving");
			assertThat(health.toString()).doesNotContain(PASSWORD);
			this.server.restart();
			awaitStatus(context, Status.UP);
			assertThat(health(context).getDetails()).containsKey("last_error");
		});
	}

	@Test
	void whenRedisIsKilledAndNothingTakesItsPlaceThenHealthIsDown() {
		this.server = RedisServer.start();
		run(false, (context) -> {
			this.server.kill();
			awaitStatus(context, Status.DOWN);
		});
	}

	@Test
	void whenRedisIsFrozenThenHealthAnswersWithinItsOwnTimeout() {
		this.server = RedisServer.start();
		run(true, (context) -> {
			awaitStatus(context, Status.UP);
			this.server.freeze();
			try {
				for (int i = 0; i < 3; i++) {
					Health health = timedHealth(context, "standalone, Redis frozen");
					assertThat(health.getStatus()).isEqualTo(ResilientRedisHealthIndicator.DEGRADED);
					assertThat(health.getDetails().get("error")).asString().startsWith("timeout: ");
				}
			}
			finally {
				this.server.thaw();
			}
		});
	}

	@Test
	void whenTheCircuitBreakerIsOpenThenHealthIsNeverUpAndNamesTheBreaker() {
		this.server = RedisServer.start();
		run(true, (context) -> {
			awaitStatus(context, Status.UP);
			CircuitBreaker breaker = context.getBean("redisCircuitBreaker", CircuitBreaker.class);
			breaker.transitionToOpenState();
			Health health = timedHealth(context, "circuit breaker open");
			assertThat(health.getStatus()).isEqualTo(ResilientRedisHealthIndicator.DEGRADED);
			assertThat(health.getDetails()).containsEntry("circuit_breaker", "OPEN")
				.containsEntry("fallback_serving", true)
				.containsKey("latency_ms");
			assertThat(health.getDetails().get("error")).asString()
				.startsWith("circuit_open: the circuit breaker 'redis' is OPEN");
			breaker.transitionToForcedOpenState();
			assertThat(health(context).getStatus()).isEqualTo(ResilientRedisHealthIndicator.DEGRADED);
			breaker.transitionToClosedState();
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void whenTheCircuitBreakerIsOpenAndNoCacheServesThenHealthIsDown() {
		this.server = RedisServer.start();
		run(false, (context) -> {
			awaitStatus(context, Status.UP);
			context.getBean("redisCircuitBreaker", CircuitBreaker.class).transitionToForcedOpenState();
			assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void whenRedisRefusesWritesForLackOfMemoryThenHealthIsNotUpAndSaysOom() {
		this.server = RedisServer.builder().maxmemory("64mb", "noeviction").start();
		run(true, (context) -> {
			awaitStatus(context, Status.UP);
			this.server.execute("CONFIG", "SET", "maxmemory", "1");
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			assertThatException().isThrownBy(() -> redis.opsForValue().set("key", "value"))
				.withStackTraceContaining("OOM");
			Health health = timedHealth(context, "out of memory");
			assertThat(health.getStatus()).isEqualTo(ResilientRedisHealthIndicator.DEGRADED);
			assertThat(health.getDetails().get("error")).asString()
				.startsWith("oom: used_memory ")
				.contains("maxmemory-policy is noeviction");
			assertThat(health.getDetails()).containsEntry("maxmemory", 1L)
				.containsEntry("maxmemory_policy", "noeviction");
			this.server.execute("CONFIG", "SET", "maxmemory", "0");
			awaitStatus(context, Status.UP);
		});
	}

	@Test
	void whenTheConfiguredEndpointIsAReplicaThenHealthIsNotUpAndSaysRoleReplica() {
		this.server = RedisServer.start();
		try (RedisServer primary = RedisServer.start()) {
			run(true, (context) -> {
				awaitStatus(context, Status.UP);
				// A demoted primary behind a stable endpoint
				this.server.execute("REPLICAOF", primary.host(), String.valueOf(primary.port()));
				Health health = timedHealth(context, "endpoint is a replica");
				assertThat(health.getStatus()).isEqualTo(ResilientRedisHealthIndicator.DEGRADED);
				assertThat(health.getDetails()).containsEntry("role", "replica");
				assertThat(health.getDetails().get("error")).asString()
					.startsWith("replica: the configured endpoint is a replica of ")
					.contains(":" + primary.port(), "READONLY");
				this.server.execute("REPLICAOF", "NO", "ONE");
				awaitStatus(context, Status.UP);
				assertThat(health(context).getDetails()).containsEntry("role", "master");
			});
		}
	}

	@Test
	void whenAClusterShardHasNeitherMasterNorReplicaThenHealthIsNotUpAndSaysClusterStateFail() {
		assumeTrue(RedisClusterServers.isSupported(), "a cluster needs redis-server and redis-cli on the PATH");
		try (RedisClusterServers cluster = RedisClusterServers.start()) {
			runWithCluster(cluster, (context) -> {
				awaitStatus(context, Status.UP);
				assertThat(health(context).getDetails()).containsEntry("cluster_state", "ok")
					.containsEntry("slots_up", 16384L);
				RedisServer master = cluster.masterOf(RedisClusterServers.slot("shard-down"));
				RedisServer replica = replicaOf(cluster, master);
				master.kill();
				replica.kill();
				await().atMost(Duration.ofSeconds(20))
					.untilAsserted(
							() -> assertThat(health(context).getDetails()).containsEntry("cluster_state", "fail"));
				for (int i = 0; i < 3; i++) {
					Health health = timedHealth(context, "cluster, a shard down");
					assertThat(health.getStatus()).isEqualTo(ResilientRedisHealthIndicator.DEGRADED);
					assertThat(health.getDetails().get("error")).asString()
						.startsWith("cluster_down: cluster_state is fail")
						.contains("CLUSTERDOWN");
				}
			});
		}
	}

	@Test
	void whenAClusterMasterIsFrozenThenHealthAnswersWithinItsTimeout() {
		assumeTrue(RedisClusterServers.isSupported(), "a cluster needs redis-server and redis-cli on the PATH");
		try (RedisClusterServers cluster = RedisClusterServers.start()) {
			runWithCluster(cluster, (context) -> {
				awaitStatus(context, Status.UP);
				RedisServer frozen = cluster.masterOf(RedisClusterServers.slot("frozen"));
				frozen.freeze();
				try {
					for (int i = 0; i < 3; i++) {
						Health health = timedHealth(context, "cluster, a master frozen");
						assertThat(nodes(health)).filteredOn((node) -> node.address().endsWith(":" + frozen.port()))
							.singleElement()
							.satisfies((node) -> assertThat(node.reachable()).isFalse());
					}
				}
				finally {
					frozen.thaw();
				}
			});
		}
	}

	@Test
	void whenTheUserMayNotRunInfoThenPingAloneMakesItUpWithTheModeFromTheConfigurationAndStatsSayWhyTheServerIsUnavailable() {
		this.server = RedisServer.builder().aclUser("app", PASSWORD, "+@all", "-info", "-config", "-debug").start();
		run(true, (context) -> {
			awaitStatus(context, Status.UP);
			Health health = health(context);
			assertThat(health.getDetails().get("version")).asString().startsWith("unavailable: NOPERM");
			assertThat(health.getDetails()).as("mode from the configuration")
				.containsEntry("mode", "standalone")
				.doesNotContainKey("role");
			RedisEndpoint.StatsDescriptor stats = context.getBean(RedisEndpoint.class).stats();
			assertThat(stats.server()).isNull();
			assertThat(stats.unavailable()).hasEntrySatisfying("server",
					(reason) -> assertThat(reason).startsWith("noperm: NOPERM"));
			assertThat(stats.mode()).isEqualTo("standalone");
			assertThat(stats.nodes()).as("no node list for a standalone server").isNull();
			assertThat(stats.client().circuitBreaker()).isNotNull();
			assertThat(stats.client().retries()).isNotNull();
			assertThat(stats.client().connections()).isNotNull();
			assertThat(stats.client().errors()).isNotNull();
			assertThat(stats.client().caches()).isNotNull();
			assertThat(stats.toString()).doesNotContain(PASSWORD);
		});
	}

	@Test
	void whenCacheIsOnANoevictionServerThenStatsAdviseAnEvictionPolicy() {
		this.server = RedisServer.builder().maxmemory("64mb", "noeviction").start();
		run(true, (context) -> {
			RedisEndpoint endpoint = context.getBean(RedisEndpoint.class);
			RedisEndpoint.PingDescriptor ping = endpoint.ping();
			assertThat(ping.status()).isEqualTo("connected");
			assertThat(ping.latencyMs()).isNotNull();
			RedisEndpoint.StatsDescriptor stats = endpoint.stats();
			assertThat(stats.server()).isNotNull();
			assertThat(stats.server().maxmemoryPolicy()).isEqualTo("noeviction");
			assertThat(stats.server().connectedClients()).isPositive();
			assertThat(stats.server().usedMemoryHuman()).isNotBlank();
			assertThat(stats.server().role()).isEqualTo("master");
			assertThat(stats.advisories()).anyMatch((advice) -> advice.startsWith("maxmemory-policy is noeviction"));
		});
	}

	private static RedisServer replicaOf(RedisClusterServers cluster, RedisServer master) {
		return cluster.nodes()
			.stream()
			.filter((node) -> node != master)
			.filter((node) -> String.valueOf(node.execute("INFO", "replication"))
				.contains("master_port:" + master.port()))
			.findFirst()
			.orElseThrow();
	}

	private void run(boolean caching, ContextConsumer<AssertableApplicationContext> test) {
		ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(configurations())
			.withPropertyValues(this.server.springProperties())
			.withPropertyValues("spring.data.redis.timeout=3s", "resilient.redis.health.cache-time=0",
					"management.endpoints.web.exposure.include=redis");
		if (caching) {
			runner = runner.withUserConfiguration(CachingConfiguration.class);
		}
		runner.run(test);
	}

	private static void runWithCluster(RedisClusterServers cluster,
			ContextConsumer<AssertableApplicationContext> test) {
		new ApplicationContextRunner().withConfiguration(configurations())
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues(cluster.springProperties())
			.withPropertyValues("resilient.redis.health.cache-time=0")
			.run(test);
	}

	private static AutoConfigurations configurations() {
		return AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
				ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class,
				ResilientRedisMonitoringAutoConfiguration.class, ResilientRedisHealthContributorAutoConfiguration.class,
				ResilientRedisEndpointAutoConfiguration.class);
	}

	private static void awaitStatus(AssertableApplicationContext context, Status status) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(health(context).getStatus()).isEqualTo(status));
	}

	private static Health timedHealth(AssertableApplicationContext context, String situation) {
		long started = System.nanoTime();
		Health health = health(context);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		System.out.printf("Health (%s) answered in %d ms: %s %s%n", situation, took.toMillis(), health.getStatus(),
				health.getDetails());
		assertThat(took).isLessThanOrEqualTo(HEALTH_BOUND);
		return health;
	}

	private static Health health(AssertableApplicationContext context) {
		Health health = context.getBean("redisHealthContributor", HealthIndicator.class).health();
		assertThat(health).isNotNull();
		return health;
	}

	@SuppressWarnings("unchecked")
	private static List<RedisNodeDescriptor> nodes(Health health) {
		return (List<RedisNodeDescriptor>) health.getDetails().get("nodes");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}

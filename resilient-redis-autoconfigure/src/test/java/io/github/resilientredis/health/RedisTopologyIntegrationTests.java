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

import io.github.resilientredis.actuate.endpoint.RedisEndpoint;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisMonitoringAutoConfiguration;
import io.github.resilientredis.autoconfigure.endpoint.ResilientRedisEndpointAutoConfiguration;
import io.github.resilientredis.autoconfigure.health.ResilientRedisHealthContributorAutoConfiguration;
import io.github.resilientredis.test.RedisClusterServers;
import io.github.resilientredis.test.RedisSentinelSet;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Integration tests of the mode and the nodes that the Redis health indicator and
 * {@code /actuator/redis/stats} report for a real Sentinel set and a real cluster, with a
 * node killed or frozen.
 *
 * @author resilient-redis contributors
 */
class RedisTopologyIntegrationTests {

	private static final Duration HEALTH_TIMEOUT = Duration.ofMillis(500);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

	// The PING, discovery and the concurrent pings of the nodes share one deadline: an
	// answer within the health timeout plus a margin a loaded machine keeps, well below
	// the command timeout, came from that deadline
	private static final Duration BOUND = HEALTH_TIMEOUT.plusMillis(1500);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class,
				ResilientRedisHealthContributorAutoConfiguration.class, ResilientRedisEndpointAutoConfiguration.class))
		.withPropertyValues("resilient.redis.health.timeout=" + HEALTH_TIMEOUT.toMillis() + "ms",
				"spring.data.redis.timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
				"resilient.redis.health.cache-time=0s", "management.endpoints.web.exposure.include=redis");

	@Test
	void whenSentinelIsConfiguredThenHealthReportsTheModeAndEveryNodeAndAKilledReplicaAsUnreachable() {
		assumeTrue(RedisSentinelSet.isSupported(), "a Sentinel set needs redis-server on the PATH");
		try (RedisSentinelSet sentinel = RedisSentinelSet.start()) {
			this.contextRunner.withPropertyValues(sentinel.springProperties()).run((context) -> {
				HealthIndicator indicator = context.getBean("redisHealthContributor", HealthIndicator.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(nodes(indicator.health(true))).hasSize(5).allSatisfy((node) -> {
						assertThat(node.reachable()).isTrue();
						assertThat(node.latencyMs()).isNotNull();
					}));
				Health health = indicator.health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("mode", "sentinel");
				RedisServer master = sentinel.master();
				assertThat(nodes(health)).extracting(RedisNodeDescriptor::role)
					.containsExactlyInAnyOrder("master", "replica", "sentinel", "sentinel", "sentinel");
				assertThat(nodes(health)).filteredOn((node) -> "master".equals(node.role()))
					.singleElement()
					.satisfies((node) -> assertThat(node.address()).endsWith(":" + master.port()));
				RedisServer replica = sentinel.dataNodes().stream().filter((node) -> node != master).findFirst().get();
				replica.kill();
				long started = System.nanoTime();
				health = indicator.health(true);
				Duration took = Duration.ofNanos(System.nanoTime() - started);
				System.out.println("Sentinel health with a killed replica answered in " + took.toMillis() + " ms: "
						+ health.getDetails().get("nodes"));
				assertThat(took).isLessThan(BOUND);
				assertThat(health.getStatus()).as("the master answers").isEqualTo(Status.UP);
				assertThat(nodes(health)).filteredOn((node) -> "replica".equals(node.role()))
					.singleElement()
					.satisfies((node) -> {
						assertThat(node.reachable()).isFalse();
						assertThat(node.error()).isNotBlank();
					});
			});
		}
	}

	@Test
	void whenClusterIsConfiguredThenStatsReportTheModeAndEveryNodeAndAFrozenNodeWithinTheHealthTimeout() {
		assumeTrue(RedisClusterServers.isSupported(), "a cluster needs redis-server and redis-cli on the PATH");
		try (RedisClusterServers cluster = RedisClusterServers.start()) {
			this.contextRunner.withPropertyValues(cluster.springProperties()).run((context) -> {
				RedisEndpoint endpoint = context.getBean(RedisEndpoint.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(endpoint.stats().nodes()).hasSize(6)
						.allSatisfy((node) -> assertThat(node.reachable()).isTrue()));
				RedisEndpoint.StatsDescriptor stats = endpoint.stats();
				assertThat(stats.mode()).isEqualTo("cluster");
				assertThat(stats.nodes()).extracting(RedisNodeDescriptor::role)
					.containsExactlyInAnyOrder("master", "master", "master", "replica", "replica", "replica");
				HealthIndicator indicator = context.getBean("redisHealthContributor", HealthIndicator.class);
				assertThat(indicator.health(true).getDetails()).containsEntry("mode", "cluster").containsKey("nodes");
				RedisServer frozen = cluster.masterOf(RedisClusterServers.slot("frozen"));
				frozen.freeze();
				try {
					long started = System.nanoTime();
					stats = endpoint.stats();
					Duration took = Duration.ofNanos(System.nanoTime() - started);
					System.out.println("Cluster stats with a frozen master answered in " + took.toMillis() + " ms: "
							+ stats.nodes());
					assertThat(took).isLessThan(BOUND);
					assertThat(stats.nodes()).filteredOn((node) -> node.address().endsWith(":" + frozen.port()))
						.singleElement()
						.satisfies((node) -> {
							assertThat(node.reachable()).isFalse();
							assertThat(node.error()).startsWith("timeout");
						});
					assertThat(stats.advisories()).anyMatch((advice) -> advice.contains(":" + frozen.port()));
				}
				finally {
					frozen.thaw();
				}
			});
		}
	}

	@SuppressWarnings("unchecked")
	private static List<RedisNodeDescriptor> nodes(Health health) {
		return (List<RedisNodeDescriptor>) health.getDetails().get("nodes");
	}

}

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

package io.github.resilientredis.actuate;

import java.time.Duration;

import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisEndpointAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisHealthContributorAutoConfiguration;
import io.github.resilientredis.test.RedisServer;
import org.assertj.core.api.InstanceOfAssertFactories;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of the Redis health indicator and the {@code redis} endpoint against
 * a real {@code redis-server}: up, killed, frozen and with a user that may not run
 * {@code INFO}.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisHealthIndicatorIntegrationTests {

	private static final String PASSWORD = "s3cret-health";

	private RedisServer server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void whenRedisAnswersThenHealthIsUpWithLatencyVersionAndMode() {
		this.server = RedisServer.builder().password(PASSWORD).start();
		run(false, (context) -> {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(health(context).getStatus()).isEqualTo(Status.UP));
			Health health = health(context);
			assertThat(health.getDetails()).containsKeys("latency_ms", "reconnects")
				.containsEntry("mode", "standalone")
				.containsEntry("circuit_breaker", "CLOSED");
			assertThat((String) health.getDetails().get("version")).matches("\\d+\\.\\d+\\.\\d+");
			assertThat(health.toString()).doesNotContain(PASSWORD);
		});
	}

	@Test
	void whenRedisIsKilledAndTheCacheServesFromItsFallbackThenHealthIsDegraded() {
		this.server = RedisServer.builder().password(PASSWORD).start();
		run(true, (context) -> {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(health(context).getStatus()).isEqualTo(Status.UP));
			this.server.kill();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(health(context).getStatus())
					.isEqualTo(ResilientRedisHealthIndicator.DEGRADED));
			Health health = health(context);
			assertThat(health.getDetails()).containsKeys("error", "fallback_serving");
			assertThat(health.toString()).doesNotContain(PASSWORD);
			this.server.restart();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(health(context).getStatus()).isEqualTo(Status.UP));
			assertThat(health(context).getDetails()).containsKey("last_error");
		});
	}

	@Test
	void whenRedisIsKilledAndNothingTakesItsPlaceThenHealthIsDown() {
		this.server = RedisServer.start();
		run(false, (context) -> {
			this.server.kill();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(health(context).getStatus()).isEqualTo(Status.DOWN));
		});
	}

	@Test
	void whenRedisIsFrozenThenHealthAnswersWithinItsOwnTimeout() {
		this.server = RedisServer.start();
		run(true, (context) -> {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(health(context).getStatus()).isEqualTo(Status.UP));
			this.server.freeze();
			try {
				for (int i = 0; i < 3; i++) {
					long started = System.nanoTime();
					Health health = health(context);
					Duration took = Duration.ofNanos(System.nanoTime() - started);
					assertThat(took).isLessThan(Duration.ofMillis(1200));
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
	void whenTheUserMayNotRunInfoThenPingAloneMakesItUpWithTheModeFromTheConfigurationAndStatsSayWhyTheServerIsUnavailable() {
		this.server = RedisServer.builder().aclUser("app", PASSWORD, "+@all", "-info", "-config", "-debug").start();
		run(true, (context) -> {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(health(context).getStatus()).isEqualTo(Status.UP));
			Health health = health(context);
			assertThat(health.getDetails().get("version")).asString().startsWith("unavailable: NOPERM");
			assertThat(health.getDetails()).as("mode from the configuration").containsEntry("mode", "standalone");
			RedisEndpoint.StatsDescriptor stats = context.getBean(RedisEndpoint.class).stats();
			assertThat(stats.server()).asString().startsWith("unavailable: noperm: NOPERM");
			assertThat(stats.mode()).isEqualTo("standalone");
			assertThat(stats.nodes()).as("no node list for a standalone server").isNull();
			assertThat(stats.client()).containsKeys("circuit_breaker", "retries", "connections", "errors", "caches");
			assertThat(stats.toString()).doesNotContain(PASSWORD);
		});
	}

	@Test
	void whenCacheIsOnANoevictionServerThenStatsAdviseAnEvictionPolicy() {
		this.server = RedisServer.builder().maxmemory("64mb", "noeviction").start();
		run(true, (context) -> {
			RedisEndpoint endpoint = context.getBean(RedisEndpoint.class);
			assertThat(endpoint.ping().status()).isEqualTo("connected");
			RedisEndpoint.StatsDescriptor stats = endpoint.stats();
			assertThat(stats.server()).asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsEntry("maxmemory_policy", "noeviction")
				.containsKeys("connected_clients", "used_memory_human", "keyspace_hits", "hit_rate", "role");
			assertThat(stats.advisories()).anyMatch((advice) -> advice.startsWith("maxmemory-policy is noeviction"));
		});
	}

	private void run(boolean caching, ContextConsumer<AssertableApplicationContext> test) {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
					DataRedisAutoConfiguration.class, ResilientRedisCacheAutoConfiguration.class,
					CacheAutoConfiguration.class, ResilientRedisHealthContributorAutoConfiguration.class,
					ResilientRedisEndpointAutoConfiguration.class))
			.withPropertyValues(this.server.springProperties())
			.withPropertyValues("spring.data.redis.timeout=3s", "resilient.redis.health.cache-time=0",
					"management.endpoints.web.exposure.include=redis");
		if (caching) {
			runner = runner.withUserConfiguration(CachingConfiguration.class);
		}
		runner.run(test);
	}

	private static Health health(AssertableApplicationContext context) {
		Health health = context.getBean("redisHealthContributor", HealthIndicator.class).health();
		assertThat(health).isNotNull();
		return health;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}

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
import java.util.Properties;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.connection.HeartbeatNettyCustomizer;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The whole starter against a Redis user that may not run {@code INFO}, {@code CONFIG} or
 * {@code DEBUG}, as on managed Redis services and hardened servers.
 *
 * @author resilient-redis contributors
 */
class RestrictedUserIntegrationTests {

	private final RedisServer server = RedisServer.builder()
		.aclUser("app", "restricted-pw", "+@all", "-info", "-config", "-debug")
		.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void aUserWithoutInfoConfigOrDebugCanRunTheWholeStarter() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
							ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
			.withUserConfiguration(CatalogConfiguration.class)
			.withPropertyValues(this.server.springProperties())
			.withPropertyValues("resilient.redis.startup.wait-for-redis=true", "resilient.redis.heartbeat.interval=1s",
					"spring.data.redis.timeout=500ms",
					"resilient.redis.circuit-breaker.wait-duration-in-open-state=500ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				assertThat(catchThrowable(() -> redis
					.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info())))
					.as("the user really is restricted")
					.hasStackTraceContaining("NOPERM");
				Catalog catalog = context.getBean(Catalog.class);
				catalog.store("a", "v1");
				assertThat(catalog.find("a")).isEqualTo("v1");
				assertThat(catalog.find("a")).isEqualTo("v1");
				assertThat(catalog.loads()).as("served by Redis").isEqualTo(1);
				catalog.update("a", "v2");
				catalog.evict("a");
				catalog.store("a", "v3");
				assertThat(catalog.find("a")).isEqualTo("v3");
				RedisCommandExecutor executor = context.getBean(RedisCommandExecutor.class);
				assertThat(executor.executeIdempotent("INCR", () -> redis.opsForValue().increment("hits")))
					.isEqualTo(1L);
				HeartbeatNettyCustomizer heartbeat = context.getBean(HeartbeatNettyCustomizer.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> heartbeat.getHeartbeatsSent() > 0);
				assertThat(heartbeat.getHeartbeatFailures()).isZero();

				ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
				this.server.kill();
				await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
					assertThat(catalog.find("a")).isEqualTo("v3");
					return cacheManager.getCircuitBreakerState() != State.CLOSED;
				});
				catalog.evict("a");
				catalog.store("a", "v4");
				this.server.restart();
				await().atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(10))
					.until(() -> !cacheManager.isServingFromFallback());
				assertThat(catalog.find("a")).isEqualTo("v4");
			});
	}

}

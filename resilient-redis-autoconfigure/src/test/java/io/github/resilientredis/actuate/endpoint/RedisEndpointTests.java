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

package io.github.resilientredis.actuate.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisMonitoringAutoConfiguration;
import io.github.resilientredis.autoconfigure.endpoint.ResilientRedisEndpointAutoConfiguration;
import io.github.resilientredis.autoconfigure.health.ResilientRedisHealthContributorAutoConfiguration;
import io.github.resilientredis.autoconfigure.metrics.ResilientRedisMetricsAutoConfiguration;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisEndpoint}: typed answers, in JSON with {@code snake_case} keys
 * like the health details, against a real {@code redis-server}.
 *
 * @author resilient-redis contributors
 */
class RedisEndpointTests {

	private static final String PASSWORD = "s3cret-endpoint";

	// Maps whose keys are names from Redis or the application, not field names
	private static final Set<String> MAPS = Set.of("by_name", "command_latency", "errors", "percentiles_ms",
			"unavailable");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void pingAndStatsAndHealthAnswerInJsonWithSnakeCaseKeysOnlyAndNoPassword() {
		try (RedisServer server = RedisServer.builder().password(PASSWORD).start()) {
			contextRunner(server).run((context) -> {
				context.getBean(CacheManager.class).getCache("products").get("key");
				RedisEndpoint endpoint = context.getBean(RedisEndpoint.class);
				OperationResponseBody ping = endpoint.redis("ping");
				OperationResponseBody stats = endpoint.redis("stats");
				Object health = context.getBean("redisHealthContributor", HealthIndicator.class)
					.health(true)
					.getDetails();
				JsonNode pingJson = this.json.valueToTree(ping);
				assertThat(pingJson.path("latency_ms").isNumber()).isTrue();
				assertThat(pingJson.has("latencyMs")).isFalse();
				JsonNode statsJson = this.json.valueToTree(stats);
				assertThat(statsJson.path("server").path("connected_clients").isNumber()).isTrue();
				assertThat(statsJson.path("client")
					.path("caches")
					.path("by_name")
					.path("products")
					.path("redis_misses")
					.asLong()).isEqualTo(1);
				assertThat(
						statsJson.path("client").path("command_latency").path("GET").path("percentiles_ms").has("p99"))
					.isTrue();
				for (Object answer : List.of(ping, stats, health)) {
					String text = this.json.writeValueAsString(answer);
					assertThat(fieldNames(this.json.readTree(text))).isNotEmpty()
						.allSatisfy((name) -> assertThat(name).matches("[a-z][a-z0-9_]*"));
					assertThat(text).doesNotContain(PASSWORD);
				}
				assertThat(endpoint.redis("other")).isNull();
			});
		}
	}

	@Test
	void whenRedisIsDownThenPingSaysErrorWithoutLatencyAndStatsSayWhyTheServerIsUnavailable() {
		RedisServer server = RedisServer.builder().password(PASSWORD).start();
		try (server) {
			contextRunner(server).run((context) -> {
				server.kill();
				RedisEndpoint endpoint = context.getBean(RedisEndpoint.class);
				RedisEndpoint.PingDescriptor ping = endpoint.ping();
				assertThat(ping.status()).isEqualTo("error");
				assertThat(ping.latencyMs()).isNull();
				assertThat(this.json.writeValueAsString(ping)).doesNotContain("latency_ms").doesNotContain(PASSWORD);
				RedisEndpoint.StatsDescriptor stats = endpoint.stats();
				assertThat(stats.server()).isNull();
				JsonNode statsJson = this.json.valueToTree(stats);
				assertThat(statsJson.has("server")).isFalse();
				assertThat(statsJson.path("unavailable").path("server").asString()).isNotBlank();
			});
		}
	}

	private ApplicationContextRunner contextRunner(RedisServer server) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
					DataRedisAutoConfiguration.class, ResilientRedisCacheAutoConfiguration.class,
					CacheAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class,
					ResilientRedisMetricsAutoConfiguration.class,
					ResilientRedisHealthContributorAutoConfiguration.class,
					ResilientRedisEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues(server.springProperties())
			.withPropertyValues("resilient.redis.health.cache-time=0", "resilient.redis.metrics.command-latency=true",
					"management.endpoints.web.exposure.include=redis");
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>();
		collect(node, false, names);
		return names;
	}

	private static void collect(JsonNode node, boolean map, List<String> names) {
		if (node.isArray()) {
			node.forEach((element) -> collect(element, false, names));
		}
		else if (node.isObject()) {
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				if (!map) {
					names.add(field.getKey());
				}
				collect(field.getValue(), !map && MAPS.contains(field.getKey()), names);
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}

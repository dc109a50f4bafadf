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

package io.github.resilientredis.autoconfigure;

import java.time.Duration;

import io.github.resilientredis.cache.NearCacheTracking;
import io.github.resilientredis.cache.ResilientRedisCache;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the near cache's auto-configuration: off by default, on for the named caches,
 * backing off for a user's tracking bean, and a startup failure that names the property
 * for a topology it does not support.
 *
 * @author resilient-redis contributors
 */
class NearCacheAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class);

	private final InvalidRedisConfigurationFailureAnalyzer analyzer = new InvalidRedisConfigurationFailureAnalyzer();

	@Test
	void whenTheNearCacheIsNotEnabledThenNoCacheIsNearCached() {
		this.contextRunner.withPropertyValues("spring.data.redis.port=1").run((context) -> {
			assertThat(context).doesNotHaveBean(NearCacheTracking.class);
			ResilientRedisCacheManager manager = context.getBean(ResilientRedisCacheManager.class);
			assertThat(manager.getNearCacheTracking()).isNull();
			assertThat(((ResilientRedisCache) manager.getCache("products")).isNearCached()).isFalse();
		});
	}

	@Test
	void whenTheNearCacheIsEnabledThenTheNamedCachesAreNearCachedAndTrustedOnceTracked() {
		try (RedisServer server = RedisServer.start()) {
			this.contextRunner.withPropertyValues(server.springProperties())
				.withPropertyValues("resilient.redis.cache.near.enabled=true",
						"resilient.redis.cache.near.cache-names=products")
				.run((context) -> {
					assertThat(context).hasSingleBean(NearCacheTracking.class);
					ResilientRedisCacheManager manager = context.getBean(ResilientRedisCacheManager.class);
					NearCacheTracking tracking = context.getBean(NearCacheTracking.class);
					assertThat(manager.getNearCacheTracking()).isSameAs(tracking);
					assertThat(((ResilientRedisCache) manager.getCache("products")).isNearCached()).isTrue();
					assertThat(((ResilientRedisCache) manager.getCache("orders")).isNearCached()).isFalse();
					assertThat(tracking.getMaxStaleness()).isEqualTo(Duration.ofMillis(250));
					await().atMost(Duration.ofSeconds(10)).until(tracking::isTrusted);
					assertThat(server.execute("CLIENT", "LIST")).containsPattern("flags=[a-zA-Z]*t[a-zA-Z]*B");
				});
		}
	}

	@Test
	void whenTheApplicationDefinesTheTrackingThenItIsUsed() {
		this.contextRunner.withUserConfiguration(UserTrackingConfiguration.class)
			.withPropertyValues("spring.data.redis.port=1", "resilient.redis.cache.near.enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(NearCacheTracking.class);
				assertThat(context.getBean(NearCacheTracking.class).getMaxStaleness())
					.isEqualTo(Duration.ofMillis(100));
			});
	}

	@Test
	void whenRedisIsAClusterThenStartupFailsNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1,127.0.0.1:2",
					"resilient.redis.cache.near.enabled=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).isEqualTo("Invalid Redis configuration: "
						+ "resilient.redis.cache.near.enabled is not supported with Redis Cluster yet.");
				assertThat(analysis.getAction()).contains("resilient.redis.cache.near.enabled=false");
			});
	}

	@Test
	void whenReadsGoToReplicasThenStartupFailsNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.port=1", "spring.data.redis.lettuce.read-from=replica-preferred",
					"resilient.redis.cache.near.enabled=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).startsWith("Invalid Redis configuration: "
						+ "resilient.redis.cache.near.enabled needs reads from the master");
			});
	}

	@Test
	void whenTheMaximumStalenessIsZeroThenStartupFailsNamingIt() {
		this.contextRunner.withPropertyValues("resilient.redis.cache.near.max-staleness=0ms").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).isEqualTo("Invalid Redis configuration: "
					+ "resilient.redis.cache.near.max-staleness must be greater than zero.");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserTrackingConfiguration {

		@Bean
		NearCacheTracking userNearCacheTracking(LettuceConnectionFactory connectionFactory) {
			return new NearCacheTracking(connectionFactory, Duration.ofMillis(100));
		}

	}

}

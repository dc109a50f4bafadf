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

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.actuate.endpoint.RedisEndpoint;
import io.github.resilientredis.autoconfigure.endpoint.ResilientRedisEndpointAutoConfiguration;
import io.github.resilientredis.autoconfigure.health.ResilientRedisHealthContributorAutoConfiguration;
import io.github.resilientredis.autoconfigure.metrics.ResilientRedisCacheMetricsAutoConfiguration;
import io.github.resilientredis.autoconfigure.metrics.ResilientRedisMetricsAutoConfiguration;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.connection.HeartbeatNettyCustomizer;
import io.github.resilientredis.connection.ReadOnlyReplyNettyCustomizer;
import io.github.resilientredis.connection.RedisConnections;
import io.github.resilientredis.connection.RedisServerWatch;
import io.github.resilientredis.connection.SentinelMasterSwitchListener;
import io.github.resilientredis.health.ResilientRedisHealthIndicator;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every auto-configuration of the starter works on an application without
 * Actuator, which the starter does not bring, and that the Actuator features appear when
 * the application has it.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisActuatorClasspathTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
				ResilientRedisCacheAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class,
				RedisSanitizingAutoConfiguration.class, ResilientRedisEndpointAutoConfiguration.class,
				ResilientRedisHealthContributorAutoConfiguration.class,
				ResilientRedisCacheMetricsAutoConfiguration.class, ResilientRedisMetricsAutoConfiguration.class,
				DataRedisAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:1",
				"management.endpoints.web.exposure.include=redis");

	@Test
	void whenActuatorIsAbsentThenEveryResilienceFeatureIsConfiguredWithoutActuatorBeans() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
					"org.springframework.boot.health", "org.springframework.boot.micrometer"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(ResilientRedisCacheManager.class)
					.hasBean("redisCircuitBreaker")
					.hasSingleBean(RedisConnections.class)
					.hasSingleBean(HeartbeatNettyCustomizer.class)
					.hasSingleBean(RedisServerWatch.class)
					.hasSingleBean(ReadOnlyReplyNettyCustomizer.class)
					.hasSingleBean(SentinelMasterSwitchListener.class)
					.doesNotHaveBean(ResilientRedisHealthIndicator.class)
					.doesNotHaveBean(RedisEndpoint.class);
				assertThat(context.getBean(ClientResources.class).nettyCustomizer())
					.isSameAs(context.getBean(RedisConnections.class));
				assertThat(context.getBean("redisCircuitBreaker", CircuitBreaker.class).getState())
					.isEqualTo(CircuitBreaker.State.CLOSED);
			});
	}

	@Test
	void whenTheApplicationHasActuatorThenTheHealthComponentAndTheEndpointAreConfigured() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(ResilientRedisCacheManager.class)
			.hasSingleBean(ResilientRedisHealthIndicator.class)
			.hasSingleBean(RedisEndpoint.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}

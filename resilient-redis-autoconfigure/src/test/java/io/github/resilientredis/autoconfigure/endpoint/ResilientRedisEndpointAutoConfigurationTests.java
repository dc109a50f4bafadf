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

package io.github.resilientredis.autoconfigure.endpoint;

import io.github.resilientredis.actuate.endpoint.RedisClientStatistics;
import io.github.resilientredis.actuate.endpoint.RedisEndpoint;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisMonitoringAutoConfiguration;
import io.github.resilientredis.autoconfigure.metrics.ResilientRedisMetricsAutoConfiguration;
import io.github.resilientredis.health.RedisProbe;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link ResilientRedisEndpointAutoConfiguration}.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class,
				ResilientRedisMetricsAutoConfiguration.class, ResilientRedisEndpointAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:1");

	@Test
	void whenTheEndpointIsNotExposedThenItIsNotAvailable() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RedisEndpoint.class)
			.doesNotHaveBean(RedisClientStatistics.class)
			.hasSingleBean(RedisProbe.class));
	}

	@Test
	void whenTheEndpointIsExposedThenItIsAvailable() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=redis")
			.run((context) -> assertThat(context).hasSingleBean(RedisEndpoint.class)
				.hasSingleBean(RedisClientStatistics.class));
	}

	@Test
	void whenTheUserDefinesTheEndpointThenTheirsIsUsed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=redis")
			.withUserConfiguration(UserEndpointConfiguration.class)
			.run((context) -> assertThat(context).getBean(RedisEndpoint.class)
				.isSameAs(context.getBean(UserEndpointConfiguration.class).endpoint));
	}

	@Test
	void whenActuatorIsAbsentThenTheStarterStillStartsWithoutTheEndpoint() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=redis")
			.withClassLoader(
					new FilteredClassLoader("org.springframework.boot.health", "org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisEndpoint.class));
	}

	@Test
	void whenResilientRedisIsDisabledThenThereIsNoEndpoint() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=redis", "resilient.redis.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisEndpoint.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpointConfiguration {

		final RedisEndpoint endpoint = new RedisEndpoint(mock(RedisProbe.class), mock(RedisClientStatistics.class));

		@Bean
		RedisEndpoint userRedisEndpoint() {
			return this.endpoint;
		}

	}

}

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

import io.github.resilientredis.actuate.RedisClientStatistics;
import io.github.resilientredis.actuate.RedisEndpoint;
import io.github.resilientredis.actuate.RedisProbe;
import io.github.resilientredis.actuate.ResilientRedisHealthIndicator;
import io.github.resilientredis.metrics.RedisClientMeterBinder;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.support.TestPropertySourceUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests of the auto-configurations of the health indicator, the {@code redis} endpoint
 * and the connection meters.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisActuatorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class, ResilientRedisHealthContributorAutoConfiguration.class,
				ResilientRedisEndpointAutoConfiguration.class, ResilientRedisMetricsAutoConfiguration.class,
				DataRedisHealthContributorAutoConfiguration.class,
				DataRedisReactiveHealthContributorAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:1");

	@Test
	void whenActuatorIsPresentThenTheResilientIndicatorIsTheOnlyRedisHealthContributor() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HealthContributor.class);
			assertThat(context.getBean("redisHealthContributor")).isInstanceOf(ResilientRedisHealthIndicator.class);
		});
	}

	@Test
	void whenTheUserDefinesARedisHealthContributorThenTheIndicatorBacksOff() {
		this.contextRunner.withUserConfiguration(UserHealthConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(ResilientRedisHealthIndicator.class);
			assertThat(context.getBean("redisHealthContributor", HealthIndicator.class).health())
				.isEqualTo(Health.up().build());
		});
	}

	@Test
	void whenTheRedisHealthIndicatorIsDisabledThenThereIsNone() {
		this.contextRunner.withPropertyValues("management.health.redis.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HealthContributor.class));
	}

	@Test
	void whenActuatorIsAbsentThenTheStarterStillStartsWithoutIndicatorOrEndpoint() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
					DataRedisAutoConfiguration.class, ResilientRedisHealthContributorAutoConfiguration.class,
					ResilientRedisEndpointAutoConfiguration.class, ResilientRedisMetricsAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:1")
			.withClassLoader(
					new FilteredClassLoader("org.springframework.boot.health", "org.springframework.boot.actuate"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ResilientRedisHealthIndicator.class);
				assertThat(context).doesNotHaveBean(RedisEndpoint.class);
				assertThat(context).hasSingleBean(RedisClientMeterBinder.class);
			});
	}

	@Test
	void whenMicrometerIsAbsentThenThereAreNoMeters() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisClientMeterBinder.class));
	}

	@Test
	void whenTheEndpointIsNotExposedThenItIsNotAvailable() {
		this.contextRunner
			.run((context) -> assertThat(context).doesNotHaveBean(RedisEndpoint.class).hasSingleBean(RedisProbe.class));
	}

	@Test
	void whenTheEndpointIsExposedThenItIsAvailable() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=redis")
			.run((context) -> assertThat(context).hasSingleBean(RedisEndpoint.class));
	}

	@Test
	void whenTheUserDefinesTheEndpointThenTheirsIsUsed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=redis")
			.withUserConfiguration(UserEndpointConfiguration.class)
			.run((context) -> assertThat(context).getBean(RedisEndpoint.class)
				.isSameAs(context.getBean(UserEndpointConfiguration.class).endpoint));
	}

	@Test
	void whenResilientRedisIsDisabledThenBootsIndicatorIsUsed() {
		this.contextRunner.withPropertyValues("resilient.redis.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ResilientRedisHealthIndicator.class)
				.hasBean("redisHealthContributor"));
	}

	@Test
	void whenNoStatusOrderIsSetThenDegradedIsOrderedBetweenOutOfServiceAndUp() {
		StandardEnvironment environment = new StandardEnvironment();
		new RedisHealthStatusEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoint.health.status.order"))
			.isEqualTo("DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN");
	}

	@Test
	void whenTheUserSetsAStatusOrderThenItIsKept() {
		StandardEnvironment environment = new StandardEnvironment();
		TestPropertySourceUtils.addInlinedPropertiesToEnvironment(environment,
				"management.endpoint.health.status.order=DOWN,UP");
		new RedisHealthStatusEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoint.health.status.order")).isEqualTo("DOWN,UP");
	}

	@Configuration(proxyBeanMethods = false)
	static class UserHealthConfiguration {

		@Bean
		HealthIndicator redisHealthContributor() {
			return () -> Health.up().build();
		}

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

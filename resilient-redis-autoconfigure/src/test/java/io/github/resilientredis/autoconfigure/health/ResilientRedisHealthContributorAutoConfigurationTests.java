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

package io.github.resilientredis.autoconfigure.health;

import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisMonitoringAutoConfiguration;
import io.github.resilientredis.health.RedisProbe;
import io.github.resilientredis.health.ResilientRedisHealthIndicator;
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

/**
 * Tests for {@link ResilientRedisHealthContributorAutoConfiguration} and
 * {@link RedisHealthStatusEnvironmentPostProcessor}.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class,
				ResilientRedisHealthContributorAutoConfiguration.class,
				DataRedisHealthContributorAutoConfiguration.class,
				DataRedisReactiveHealthContributorAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:1");

	@Test
	void whenActuatorIsPresentThenTheResilientIndicatorIsTheOnlyRedisHealthContributor() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HealthContributor.class).hasSingleBean(RedisProbe.class);
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
	void whenTheHealthModuleIsAbsentThenTheStarterStillStartsWithoutIndicator() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
					DataRedisAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class,
					ResilientRedisHealthContributorAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:1")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilientRedisHealthIndicator.class));
	}

	@Test
	void whenResilientRedisIsDisabledThenBootsIndicatorIsUsed() {
		this.contextRunner.withPropertyValues("resilient.redis.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ResilientRedisHealthIndicator.class)
				.doesNotHaveBean(RedisProbe.class)
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

}

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

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;

import io.github.resilientredis.autoconfigure.endpoint.ResilientRedisEndpointAutoConfiguration;
import io.github.resilientredis.autoconfigure.health.ResilientRedisHealthContributorAutoConfiguration;
import io.github.resilientredis.autoconfigure.metrics.ResilientRedisCacheMetricsAutoConfiguration;
import io.github.resilientredis.autoconfigure.metrics.ResilientRedisMetricsAutoConfiguration;
import io.github.resilientredis.connection.RedisConnectionEvents;
import io.github.resilientredis.execution.RedisErrorClassifier;
import io.github.resilientredis.execution.RedisErrorCounter;
import io.github.resilientredis.health.RedisProbe;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResilientRedisMonitoringAutoConfiguration}.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisMonitoringAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:1");

	@Test
	void whenRedisIsConfiguredThenTheProbeTheConnectionEventsAndTheErrorCounterAreThere() {
		this.contextRunner.withPropertyValues("resilient.redis.health.timeout=300ms").run((context) -> {
			assertThat(context).hasSingleBean(RedisConnectionEvents.class).hasSingleBean(RedisErrorCounter.class);
			assertThat(context).getBean(RedisProbe.class)
				.satisfies((probe) -> assertThat(probe.getTimeout()).isEqualTo(Duration.ofMillis(300)));
		});
	}

	@Test
	void whenTheUserDefinesAProbeThenTheirsIsUsed() {
		this.contextRunner.withUserConfiguration(UserProbeConfiguration.class)
			.run((context) -> assertThat(context).getBeans(RedisProbe.class).containsOnlyKeys("userProbe"));
	}

	@Test
	void whenResilientRedisIsDisabledThenThereIsNothingToObserve() {
		this.contextRunner.withPropertyValues("resilient.redis.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisProbe.class)
				.doesNotHaveBean(RedisErrorCounter.class));
	}

	@Test
	void everyAutoConfigurationIsRegisteredAndPublicFinal() {
		List<String> registered = ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
			.getCandidates();
		List<Class<?>> configurations = List.of(ResilientRedisMonitoringAutoConfiguration.class,
				ResilientRedisHealthContributorAutoConfiguration.class, ResilientRedisEndpointAutoConfiguration.class,
				ResilientRedisMetricsAutoConfiguration.class, ResilientRedisCacheMetricsAutoConfiguration.class);
		assertThat(configurations).allSatisfy((configuration) -> {
			assertThat(registered).contains(configuration.getName());
			assertThat(
					Modifier.isPublic(configuration.getModifiers()) && Modifier.isFinal(configuration.getModifiers()))
				.as(configuration.getName())
				.isTrue();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserProbeConfiguration {

		@Bean
		RedisProbe userProbe(RedisConnectionFactory connectionFactory) {
			return new RedisProbe(connectionFactory, Duration.ofSeconds(1), Duration.ZERO, new RedisErrorClassifier());
		}

	}

}

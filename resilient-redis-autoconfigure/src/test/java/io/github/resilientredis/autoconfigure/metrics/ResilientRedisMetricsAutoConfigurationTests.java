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

package io.github.resilientredis.autoconfigure.metrics;

import io.github.resilientredis.actuate.endpoint.RedisCommandLatencies;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisMonitoringAutoConfiguration;
import io.github.resilientredis.connection.RedisConnectionEvents;
import io.github.resilientredis.execution.RedisErrorCounter;
import io.github.resilientredis.metrics.RedisClientMeterBinder;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResilientRedisMetricsAutoConfiguration}.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisMonitoringAutoConfiguration.class, ResilientRedisMetricsAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:1");

	@Test
	void whenMicrometerIsPresentThenConnectionMetersAreBoundButNotLettucesCommandLatencies() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RedisClientMeterBinder.class)
			.hasSingleBean(RedisConnectionEvents.class)
			.hasSingleBean(RedisErrorCounter.class)
			.doesNotHaveBean(RedisCommandLatencies.class)
			.doesNotHaveBean("redisCommandLatencyCustomizer")
			.doesNotHaveBean("redisCommandLatencyMeterFilter"));
	}

	@Test
	void whenCommandLatencyIsEnabledThenLettucesRecorderAndItsPercentilesAreConfigured() {
		this.contextRunner.withPropertyValues("resilient.redis.metrics.command-latency=true")
			.run((context) -> assertThat(context).hasSingleBean(RedisCommandLatencies.class)
				.hasBean("redisCommandLatencyCustomizer")
				.hasBean("redisCommandLatencyMeterFilter"));
	}

	@Test
	void whenActuatorIsAbsentThenTheMetersAreStillBound() {
		this.contextRunner
			.withClassLoader(
					new FilteredClassLoader("org.springframework.boot.health", "org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(RedisClientMeterBinder.class));
	}

	@Test
	void whenMicrometerIsAbsentThenThereAreNoMeters() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisClientMeterBinder.class));
	}

	@Test
	void whenTheUserDefinesTheMeterBinderThenTheirsIsUsed() {
		this.contextRunner.withUserConfiguration(UserMeterBinderConfiguration.class)
			.run((context) -> assertThat(context).getBeans(RedisClientMeterBinder.class)
				.containsOnlyKeys("userMeterBinder"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserMeterBinderConfiguration {

		@Bean
		RedisClientMeterBinder userMeterBinder() {
			return new RedisClientMeterBinder(null, null, null);
		}

	}

}

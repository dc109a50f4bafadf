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
import io.github.resilientredis.autoconfigure.ResilientRedisProperties;
import io.github.resilientredis.connection.HeartbeatNettyCustomizer;
import io.github.resilientredis.connection.RedisConnectionEvents;
import io.github.resilientredis.execution.RedisErrorCounter;
import io.github.resilientredis.metrics.MicrometerRedisCommandLatencies;
import io.github.resilientredis.metrics.RedisClientMeterBinder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the Micrometer meters of Redis connections, heartbeats and
 * errors by type ({@link RedisClientMeterBinder}) and, with
 * {@code resilient.redis.metrics.command-latency}, Lettuce's command latency timers, when
 * Micrometer is present.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@AutoConfiguration(after = { DataRedisAutoConfiguration.class, ResilientRedisAutoConfiguration.class,
		ResilientRedisMonitoringAutoConfiguration.class })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBooleanProperty(name = "resilient.redis.enabled", matchIfMissing = true)
@ConditionalOnBean({ RedisConnectionFactory.class, ResilientRedisProperties.class })
public final class ResilientRedisMetricsAutoConfiguration {

	ResilientRedisMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	RedisClientMeterBinder redisClientMeterBinder(ObjectProvider<RedisConnectionEvents> connectionEvents,
			ObjectProvider<HeartbeatNettyCustomizer> heartbeat, ObjectProvider<RedisErrorCounter> errors) {
		return new RedisClientMeterBinder(connectionEvents.getIfAvailable(), heartbeat.getIfAvailable(),
				errors.getIfAvailable());
	}

	/**
	 * Lettuce's own command latency timers ({@code lettuce.command.completion} and
	 * {@code .firstresponse} by command, with client-side percentiles), opt-in: Spring
	 * Boot's observation of Lettuce already times every command.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("resilient.redis.metrics.command-latency")
	static class CommandLatencyConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "redisCommandLatencyCustomizer")
		ClientResourcesBuilderCustomizer redisCommandLatencyCustomizer(ObjectProvider<MeterRegistry> meterRegistry) {
			return (builder) -> {
				MeterRegistry registry = meterRegistry.getIfAvailable();
				if (registry != null) {
					builder.commandLatencyRecorder(
							new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.create()));
				}
			};
		}

		@Bean
		@ConditionalOnMissingBean(name = "redisCommandLatencyMeterFilter")
		MeterFilter redisCommandLatencyMeterFilter() {
			return MicrometerRedisCommandLatencies.percentiles();
		}

		@Bean
		@ConditionalOnMissingBean
		RedisCommandLatencies redisCommandLatencies(ObjectProvider<MeterRegistry> meterRegistry) {
			return new MicrometerRedisCommandLatencies(meterRegistry::getIfAvailable);
		}

	}

}

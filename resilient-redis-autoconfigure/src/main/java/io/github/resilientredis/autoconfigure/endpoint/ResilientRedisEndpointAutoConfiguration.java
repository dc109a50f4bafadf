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

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilientredis.actuate.endpoint.RedisClientStatistics;
import io.github.resilientredis.actuate.endpoint.RedisCommandLatencies;
import io.github.resilientredis.actuate.endpoint.RedisEndpoint;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisMonitoringAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisProperties;
import io.github.resilientredis.autoconfigure.metrics.ResilientRedisMetricsAutoConfiguration;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.connection.HeartbeatNettyCustomizer;
import io.github.resilientredis.connection.RedisConnectionEvents;
import io.github.resilientredis.execution.RedisErrorCounter;
import io.github.resilientredis.health.RedisProbe;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@link RedisEndpoint} ({@code /actuator/redis/stats} and
 * {@code /actuator/redis/ping}), available but, like every endpoint except
 * {@code health}, not exposed over HTTP unless asked for.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@AutoConfiguration(after = { DataRedisAutoConfiguration.class, ResilientRedisAutoConfiguration.class,
		ResilientRedisCacheAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class,
		ResilientRedisMetricsAutoConfiguration.class })
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBooleanProperty(name = "resilient.redis.enabled", matchIfMissing = true)
@ConditionalOnBean({ RedisConnectionFactory.class, ResilientRedisProperties.class })
public final class ResilientRedisEndpointAutoConfiguration {

	ResilientRedisEndpointAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(RedisEndpoint.class)
	RedisClientStatistics redisClientStatistics(
			@Qualifier("redisCircuitBreaker") ObjectProvider<CircuitBreaker> circuitBreaker,
			@Qualifier("redisRetry") ObjectProvider<Retry> retry, ObjectProvider<RedisErrorCounter> errors,
			ObjectProvider<RedisConnectionEvents> connectionEvents, ObjectProvider<HeartbeatNettyCustomizer> heartbeat,
			ObjectProvider<ResilientRedisCacheManager> cacheManager, ObjectProvider<RedisCommandLatencies> latencies) {
		return new RedisClientStatistics(circuitBreaker.getIfAvailable(), retry.getIfAvailable(),
				errors.getIfAvailable(), connectionEvents.getIfAvailable(), heartbeat.getIfAvailable(),
				cacheManager::getIfAvailable, latencies.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(RedisEndpoint.class)
	RedisEndpoint redisEndpoint(RedisProbe redisProbe, RedisClientStatistics redisClientStatistics) {
		return new RedisEndpoint(redisProbe, redisClientStatistics);
	}

}

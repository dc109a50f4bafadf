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
import io.github.resilientredis.connection.RedisConnectionEvents;
import io.github.resilientredis.execution.RedisErrorClassifier;
import io.github.resilientredis.execution.RedisErrorCounter;
import io.github.resilientredis.health.RedisProbe;
import io.lettuce.core.resource.ClientResources;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of what the health indicator, the {@code redis} endpoint and the
 * meters observe: the {@link RedisProbe}, the Lettuce connection events and the errors by
 * type. It runs after Spring Boot's Redis auto-configuration, which creates the
 * connection factory and the client resources it observes.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@AutoConfiguration(after = { DataRedisAutoConfiguration.class, ResilientRedisAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "resilient.redis.enabled", matchIfMissing = true)
@ConditionalOnBean({ RedisConnectionFactory.class, ResilientRedisProperties.class })
public final class ResilientRedisMonitoringAutoConfiguration {

	ResilientRedisMonitoringAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	RedisProbe redisProbe(RedisConnectionFactory connectionFactory, ResilientRedisProperties properties,
			RedisErrorClassifier classifier) {
		ResilientRedisProperties.Health health = properties.getHealth();
		return new RedisProbe(connectionFactory, health.getTimeout(), health.getCacheTime(), classifier);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ClientResources.class)
	RedisConnectionEvents redisConnectionEvents(ClientResources clientResources) {
		return new RedisConnectionEvents(clientResources.eventBus());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(name = "redisCircuitBreaker")
	RedisErrorCounter redisErrorCounter(CircuitBreaker redisCircuitBreaker, RedisErrorClassifier classifier) {
		return new RedisErrorCounter(redisCircuitBreaker, classifier);
	}

}

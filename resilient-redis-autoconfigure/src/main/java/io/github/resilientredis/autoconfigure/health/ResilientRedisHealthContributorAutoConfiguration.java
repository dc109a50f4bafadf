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

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisMonitoringAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisProperties;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.connection.RedisConnectionEvents;
import io.github.resilientredis.execution.RedisErrorCounter;
import io.github.resilientredis.health.RedisProbe;
import io.github.resilientredis.health.ResilientRedisHealthIndicator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@link ResilientRedisHealthIndicator} as the {@code redis}
 * health contributor, in place of Spring Boot's (which backs off from a bean named
 * {@code redisHealthContributor}), so that there are not two opinions about Redis.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@AutoConfiguration(
		after = { DataRedisAutoConfiguration.class, ResilientRedisAutoConfiguration.class,
				ResilientRedisCacheAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class },
		before = { DataRedisHealthContributorAutoConfiguration.class,
				DataRedisReactiveHealthContributorAutoConfiguration.class })
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBooleanProperty(name = "resilient.redis.enabled", matchIfMissing = true)
@ConditionalOnBean({ RedisConnectionFactory.class, ResilientRedisProperties.class })
public final class ResilientRedisHealthContributorAutoConfiguration {

	ResilientRedisHealthContributorAutoConfiguration() {
	}

	@Bean
	@ConditionalOnEnabledHealthIndicator("redis")
	@ConditionalOnMissingBean(name = { "redisHealthIndicator", "redisHealthContributor" })
	ResilientRedisHealthIndicator redisHealthContributor(RedisProbe redisProbe,
			@Qualifier("redisCircuitBreaker") ObjectProvider<CircuitBreaker> circuitBreaker,
			ObjectProvider<RedisErrorCounter> errors, ObjectProvider<ResilientRedisCacheManager> cacheManager,
			ObjectProvider<RedisConnectionEvents> connectionEvents, ResilientRedisProperties properties) {
		return new ResilientRedisHealthIndicator(redisProbe, circuitBreaker.getIfAvailable(), errors.getIfAvailable(),
				cacheManager::getIfAvailable, connectionEvents.getIfAvailable(),
				properties.getHealth().isReportDegraded());
	}

}

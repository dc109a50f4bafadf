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

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.execution.RedisCommandExecutor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the circuit-breaking {@link ResilientRedisCacheManager} in place
 * of Spring Boot's {@link RedisCacheManager} when caching is enabled. It honours
 * {@code spring.cache.*}, {@code spring.cache.redis.*}, {@code RedisCacheConfiguration}
 * and {@code RedisCacheManagerBuilderCustomizer} beans and {@code CacheManagerCustomizer}
 * beans the way Spring Boot does, and backs off when the application defines its own
 * {@link CacheManager} or another {@code spring.cache.type}.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@AutoConfiguration(after = { DataRedisAutoConfiguration.class, ResilientRedisAutoConfiguration.class },
		before = CacheAutoConfiguration.class)
@ConditionalOnClass({ RedisCacheManager.class, CacheAutoConfiguration.class, Caffeine.class, CircuitBreaker.class })
@ConditionalOnBooleanProperty(name = "resilient.redis.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "resilient.redis.cache.enabled", matchIfMissing = true)
@ConditionalOnBean({ RedisConnectionFactory.class, CacheAspectSupport.class, RedisCommandExecutor.class })
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
@ConditionalOnProperty(name = "spring.cache.type", havingValue = "redis", matchIfMissing = true)
@EnableConfigurationProperties(CacheProperties.class)
@Import(ResilientRedisCacheConfiguration.class)
public final class ResilientRedisCacheAutoConfiguration {

	ResilientRedisCacheAutoConfiguration() {
	}

}

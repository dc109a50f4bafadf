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

import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.metrics.ResilientRedisCacheManagerMetrics;
import io.github.resilientredis.metrics.ResilientRedisCacheMeterBinderProvider;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the Micrometer meters of the {@link ResilientRedisCacheManager}
 * and its caches: Micrometer's {@code cache.*} meters and the starter's own
 * {@code resilient.redis.cache.*} meters beside them.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@AutoConfiguration(after = ResilientRedisCacheAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBooleanProperty(name = "resilient.redis.enabled", matchIfMissing = true)
@ConditionalOnSingleCandidate(ResilientRedisCacheManager.class)
public final class ResilientRedisCacheMetricsAutoConfiguration {

	ResilientRedisCacheMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	ResilientRedisCacheManagerMetrics resilientRedisCacheManagerMetrics(ResilientRedisCacheManager cacheManager,
			ListableBeanFactory beanFactory) {
		String[] names = beanFactory.getBeanNamesForType(ResilientRedisCacheManager.class);
		return new ResilientRedisCacheManagerMetrics(cacheManager, (names.length > 0) ? names[0] : "cacheManager");
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CacheMeterBinderProvider.class)
	static class CacheMeterBinderProviderConfiguration {

		// Ahead of Spring Boot's provider for the RedisCache a ResilientRedisCache
		// extends
		@Bean
		@ConditionalOnMissingBean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		ResilientRedisCacheMeterBinderProvider resilientRedisCacheMeterBinderProvider() {
			return new ResilientRedisCacheMeterBinderProvider();
		}

	}

}

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

import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.metrics.ResilientCacheMeterBinder;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer meters of the circuit-breaking cache, when Micrometer is present.
 *
 * @author resilient-redis contributors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterBinder.class)
class ResilientRedisCacheMetricsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ResilientRedisCacheManager.class)
	ResilientCacheMeterBinder resilientCacheMeterBinder(ResilientRedisCacheManager cacheManager) {
		return new ResilientCacheMeterBinder(cacheManager);
	}

}

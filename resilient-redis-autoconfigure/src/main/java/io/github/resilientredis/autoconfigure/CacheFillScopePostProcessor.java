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

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cache.interceptor.BeanFactoryCacheOperationSourceAdvisor;
import org.springframework.cache.interceptor.CacheInterceptor;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;

/**
 * Decorates the {@link CacheInterceptor} of Spring's cache advisor so that fills are
 * fenced ({@link ResilientRedisCacheManager#fencingFills}). Priority-ordered, so that it
 * is in place before the auto-proxy creator first asks for the advisor.
 *
 * @author resilient-redis contributors
 */
class CacheFillScopePostProcessor implements BeanPostProcessor, PriorityOrdered {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof BeanFactoryCacheOperationSourceAdvisor advisor
				&& advisor.getAdvice() instanceof CacheInterceptor cacheInterceptor) {
			advisor.setAdvice(ResilientRedisCacheManager.fencingFills(cacheInterceptor));
		}
		return bean;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}

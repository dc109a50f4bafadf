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

package io.github.resilientredis.cache;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Decorates Spring's {@code CacheInterceptor} so that a {@link ResilientRedisCache}
 * recognizes the {@code put} that fills a miss the same interception saw, and fences only
 * that one: the value loaded after a {@code @Cacheable} miss is not stored over a write
 * of the key made since the miss, while every other {@code put} (a {@code @CachePut}, a
 * {@code put} of the cached method's own code, a {@code put} outside any interception) is
 * a plain put.
 * <p>
 * It marks where each interception starts and ends, and where the cached method itself
 * runs within it. The auto-configuration decorates the interceptor of
 * {@code @EnableCaching} in proxy mode; without it, or with other cache interceptors
 * (AspectJ mode, JCache annotations), every {@code put} is a plain put.
 *
 * @author resilient-redis contributors
 * @see ResilientRedisCacheManager#fencingFills(MethodInterceptor)
 */
final class CacheFillScope implements MethodInterceptor {

	private final MethodInterceptor cacheInterceptor;

	/**
	 * Decorate a cache interceptor.
	 * @param cacheInterceptor the interceptor that looks caches up, runs the method on a
	 * miss and puts its result
	 */
	CacheFillScope(MethodInterceptor cacheInterceptor) {
		Assert.notNull(cacheInterceptor, "'cacheInterceptor' must not be null");
		this.cacheInterceptor = cacheInterceptor;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		PendingFills.enterInterception();
		try {
			return this.cacheInterceptor.invoke(new CachedMethod(invocation));
		}
		finally {
			PendingFills.exit();
		}
	}

	/**
	 * The invocation of the cached method as the cache interceptor sees it: its
	 * {@code proceed()} runs the method's own code on a level of its own.
	 */
	private static final class CachedMethod implements MethodInvocation {

		private final MethodInvocation invocation;

		CachedMethod(MethodInvocation invocation) {
			this.invocation = invocation;
		}

		@Override
		public Method getMethod() {
			return this.invocation.getMethod();
		}

		@Override
		public Object[] getArguments() {
			return this.invocation.getArguments();
		}

		@Override
		public @Nullable Object proceed() throws Throwable {
			PendingFills.enterMethod();
			try {
				return this.invocation.proceed();
			}
			finally {
				PendingFills.exit();
			}
		}

		@Override
		public @Nullable Object getThis() {
			return this.invocation.getThis();
		}

		@Override
		public AccessibleObject getStaticPart() {
			return this.invocation.getStaticPart();
		}

	}

}

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

package io.github.resilientredis.metrics;

import io.github.resilientredis.cache.ResilientRedisCache;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;

/**
 * {@link CacheMeterBinderProvider} for a {@link ResilientRedisCache}, so that Spring
 * Boot's cache metrics ({@code CacheMetricsRegistrar}) bind
 * {@link ResilientRedisCacheMetrics} rather than the meters of the plain
 * {@code RedisCache} it extends, which would not count what the fallback answers. It must
 * come before Spring Boot's {@code RedisCacheMeterBinderProvider}.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class ResilientRedisCacheMeterBinderProvider implements CacheMeterBinderProvider<ResilientRedisCache> {

	@Override
	public MeterBinder getMeterBinder(ResilientRedisCache cache, Iterable<Tag> tags) {
		return new ResilientRedisCacheMetrics(cache, tags);
	}

}

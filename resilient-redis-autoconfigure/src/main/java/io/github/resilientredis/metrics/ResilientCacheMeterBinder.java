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

import java.util.function.ToDoubleFunction;

import io.github.resilientredis.cache.ResilientCacheStatistics;
import io.github.resilientredis.cache.ResilientRedisCache;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;

/**
 * Binds the meters of a {@link ResilientRedisCacheManager} and of each of its caches,
 * including the caches created at runtime:
 * <ul>
 * <li>{@code resilient.redis.cache.gets} with tags {@code cache} and {@code result}
 * ({@code redis-hit}, {@code redis-miss}, {@code fallback-hit}, {@code fallback-miss},
 * {@code error});</li>
 * <li>{@code resilient.redis.cache.puts} and {@code resilient.redis.cache.evictions} with
 * tags {@code cache} and {@code destination} ({@code redis}, {@code fallback});</li>
 * <li>{@code resilient.redis.cache.deserialization.failures} and
 * {@code resilient.redis.cache.fallback.size} with tag {@code cache};</li>
 * <li>{@code resilient.redis.cache.journal.size}, {@code .journal.replays},
 * {@code .journal.replayed.keys}, {@code .journal.overflows} and
 * {@code resilient.redis.cache.fallback.serving} (1 while any read is answered from the
 * fallback).</li>
 * </ul>
 * The state and transitions of the circuit breaker are Resilience4j's own meters
 * ({@code resilience4j.circuitbreaker.*}).
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class ResilientCacheMeterBinder implements MeterBinder {

	private static final String PREFIX = "resilient.redis.cache.";

	private final ResilientRedisCacheManager cacheManager;

	/**
	 * Create a new binder.
	 * @param cacheManager the cache manager to instrument
	 */
	public ResilientCacheMeterBinder(ResilientRedisCacheManager cacheManager) {
		Assert.notNull(cacheManager, "'cacheManager' must not be null");
		this.cacheManager = cacheManager;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		ResilientRedisCacheManager manager = this.cacheManager;
		Gauge.builder(PREFIX + "journal.size", manager, ResilientRedisCacheManager::getJournalSize)
			.description("Keys and caches written while Redis was unavailable, not yet invalidated in Redis")
			.register(registry);
		FunctionCounter.builder(PREFIX + "journal.replays", manager, ResilientRedisCacheManager::getJournalReplays)
			.description("Replays of the invalidation journal")
			.register(registry);
		FunctionCounter
			.builder(PREFIX + "journal.replayed.keys", manager, ResilientRedisCacheManager::getJournalReplayedKeys)
			.description("Keys deleted from Redis by replays of the invalidation journal")
			.register(registry);
		FunctionCounter.builder(PREFIX + "journal.overflows", manager, ResilientRedisCacheManager::getJournalOverflows)
			.description("Overflows of the invalidation journal, each turned into clears of the affected caches")
			.register(registry);
		Gauge.builder(PREFIX + "fallback.serving", manager, (m) -> m.isServingFromFallback() ? 1 : 0)
			.description("Whether reads are answered from the local fallback")
			.register(registry);
		manager.forEachCache((cache) -> bindCache(registry, cache));
	}

	private void bindCache(MeterRegistry registry, ResilientRedisCache cache) {
		Tags tags = Tags.of("cache", cache.getName());
		ResilientCacheStatistics statistics = cache.getResilienceStatistics();
		gets(registry, tags, "redis-hit", statistics, ResilientCacheStatistics::getRedisHits);
		gets(registry, tags, "redis-miss", statistics, ResilientCacheStatistics::getRedisMisses);
		gets(registry, tags, "fallback-hit", statistics, ResilientCacheStatistics::getFallbackHits);
		gets(registry, tags, "fallback-miss", statistics, ResilientCacheStatistics::getFallbackMisses);
		gets(registry, tags, "error", statistics, ResilientCacheStatistics::getErrors);
		counter(registry, "puts", tags.and("destination", "redis"), statistics, ResilientCacheStatistics::getRedisPuts,
				"Cache writes stored in Redis or, while it was unavailable, in the local fallback");
		counter(registry, "puts", tags.and("destination", "fallback"), statistics,
				ResilientCacheStatistics::getFallbackPuts,
				"Cache writes stored in Redis or, while it was unavailable, in the local fallback");
		counter(registry, "evictions", tags.and("destination", "redis"), statistics,
				ResilientCacheStatistics::getRedisEvictions,
				"Cache evictions and clears made in Redis or, while it was unavailable, in the local fallback");
		counter(registry, "evictions", tags.and("destination", "fallback"), statistics,
				ResilientCacheStatistics::getFallbackEvictions,
				"Cache evictions and clears made in Redis or, while it was unavailable, in the local fallback");
		counter(registry, "deserialization.failures", tags, statistics,
				ResilientCacheStatistics::getDeserializationFailures,
				"Values read from Redis that could not be deserialized, evicted and answered as misses");
		Gauge.builder(PREFIX + "fallback.size", cache, ResilientRedisCache::getFallbackSize)
			.tags(tags)
			.description("Entries held by the local fallback")
			.register(registry);
	}

	private void gets(MeterRegistry registry, Tags tags, String result, ResilientCacheStatistics statistics,
			ToDoubleFunction<ResilientCacheStatistics> count) {
		counter(registry, "gets", tags.and("result", result), statistics, count,
				"Cache reads by where they were answered from");
	}

	private void counter(MeterRegistry registry, String name, Tags tags, ResilientCacheStatistics statistics,
			ToDoubleFunction<ResilientCacheStatistics> count, String description) {
		FunctionCounter.builder(PREFIX + name, statistics, count)
			.tags(tags)
			.description(description)
			.register(registry);
	}

}

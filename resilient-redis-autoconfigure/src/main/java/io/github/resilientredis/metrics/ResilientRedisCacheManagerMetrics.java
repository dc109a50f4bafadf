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

import io.github.resilientredis.cache.NearCacheTracking;
import io.github.resilientredis.cache.ResilientRedisCache;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Binds the meters of a {@link ResilientRedisCacheManager}, tagged {@code cache.manager}:
 * <ul>
 * <li>{@code resilient.redis.cache.journal.size}, {@code .journal.replays},
 * {@code .journal.replayed.keys}, {@code .journal.overflows} and
 * {@code resilient.redis.cache.fallback.serving} (1 while any read is answered from the
 * fallback);</li>
 * <li>with the near cache: {@code resilient.redis.cache.near.trusted} (1 while local hits
 * are served) and {@code resilient.redis.cache.near.invalidations} with tag
 * {@code reason} ({@code key}, {@code flush}, and the losses of trust {@code disconnect},
 * {@code late-ping}, {@code restart}, {@code failover}, {@code demoted},
 * {@code error});</li>
 * <li>the {@link ResilientRedisCacheMetrics} of each cache created at runtime, tagged
 * {@code name} and {@code cache.manager} as Spring Boot's cache metrics tag the caches
 * that exist at startup (Spring Boot binds only those; most caches are created at their
 * first use).</li>
 * </ul>
 * The state and transitions of the circuit breaker are Resilience4j's own meters
 * ({@code resilience4j.circuitbreaker.*}).
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class ResilientRedisCacheManagerMetrics implements MeterBinder {

	private static final String PREFIX = "resilient.redis.cache.";

	private static final String CACHE_MANAGER_SUFFIX = "cacheManager";

	private final ResilientRedisCacheManager cacheManager;

	private final String cacheManagerName;

	/**
	 * Create a new binder.
	 * @param cacheManager the cache manager to instrument
	 * @param beanName the name of the cache manager's bean, which names it in the
	 * {@code cache.manager} tag as in Spring Boot's cache metrics
	 */
	public ResilientRedisCacheManagerMetrics(ResilientRedisCacheManager cacheManager, String beanName) {
		Assert.notNull(cacheManager, "'cacheManager' must not be null");
		Assert.hasText(beanName, "'beanName' must not be empty");
		this.cacheManager = cacheManager;
		this.cacheManagerName = cacheManagerName(beanName);
	}

	// As Spring Boot's CacheMetricsRegistrarConfiguration names a cache manager
	private static String cacheManagerName(String beanName) {
		if (beanName.length() > CACHE_MANAGER_SUFFIX.length()
				&& StringUtils.endsWithIgnoreCase(beanName, CACHE_MANAGER_SUFFIX)) {
			return beanName.substring(0, beanName.length() - CACHE_MANAGER_SUFFIX.length());
		}
		return beanName;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		ResilientRedisCacheManager manager = this.cacheManager;
		Tags tags = Tags.of("cache.manager", this.cacheManagerName);
		Gauge.builder(PREFIX + "journal.size", manager, ResilientRedisCacheManager::getJournalSize)
			.tags(tags)
			.description("Keys and caches written while Redis was unavailable, not yet invalidated in Redis")
			.register(registry);
		FunctionCounter.builder(PREFIX + "journal.replays", manager, ResilientRedisCacheManager::getJournalReplays)
			.tags(tags)
			.description("Replays of the invalidation journal")
			.register(registry);
		FunctionCounter
			.builder(PREFIX + "journal.replayed.keys", manager, ResilientRedisCacheManager::getJournalReplayedKeys)
			.tags(tags)
			.description("Keys deleted from Redis by replays of the invalidation journal")
			.register(registry);
		FunctionCounter.builder(PREFIX + "journal.overflows", manager, ResilientRedisCacheManager::getJournalOverflows)
			.tags(tags)
			.description("Overflows of the invalidation journal, each turned into clears of the affected caches")
			.register(registry);
		Gauge.builder(PREFIX + "fallback.serving", manager, (m) -> m.isServingFromFallback() ? 1 : 0)
			.tags(tags)
			.description("Whether reads are answered from the local fallback")
			.register(registry);
		NearCacheTracking tracking = manager.getNearCacheTracking();
		if (tracking != null) {
			bindNearCache(registry, tracking, tags);
		}
		manager.forEachCache((cache) -> bindCache(registry, cache, tags));
	}

	private void bindNearCache(MeterRegistry registry, NearCacheTracking tracking, Tags tags) {
		Gauge.builder(PREFIX + "near.trusted", tracking, (t) -> t.isTrusted() ? 1 : 0)
			.tags(tags)
			.description("Whether reads of near-cached caches are answered from the JVM")
			.register(registry);
		for (String reason : tracking.getInvalidations().keySet()) {
			FunctionCounter
				.builder(PREFIX + "near.invalidations", tracking, (t) -> t.getInvalidations().getOrDefault(reason, 0L))
				.tags(tags.and("reason", reason))
				.description("Near cache invalidations: keys and flushes pushed by Redis, and losses of trust in "
						+ "the tracking connection")
				.register(registry);
		}
	}

	private void bindCache(MeterRegistry registry, ResilientRedisCache cache, Tags tags) {
		Tags cacheTags = tags.and("name", cache.getName());
		// Spring Boot's cache metrics bound the caches that existed at startup already
		if (registry.find("cache.gets").tags(cacheTags).tag("cache", cache.getName()).meter() == null) {
			new ResilientRedisCacheMetrics(cache, cacheTags).bindTo(registry);
		}
	}

}

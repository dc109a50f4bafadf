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

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.github.resilientredis.cache.ResilientCacheStatistics;
import io.github.resilientredis.cache.ResilientRedisCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * {@link CacheMeterBinder} for a {@link ResilientRedisCache}: Micrometer's
 * {@code cache.*} meters, as for any cache Spring Boot instruments, counting every read,
 * write and eviction whether Redis or, while it is unavailable, the local fallback
 * handled it:
 * <ul>
 * <li>{@code cache.gets} with tag {@code result}: {@code hit} (a value from Redis, the
 * near cache or the fallback) or {@code miss} (none, the cached method runs; also a value
 * that could not be used);</li>
 * <li>{@code cache.puts} and {@code cache.evictions} (evictions and clears through
 * {@code Cache.evict} and {@code Cache.clear}, such as {@code @CacheEvict}; Redis's own
 * evictions under {@code maxmemory} are {@code evicted_keys} in
 * {@code /actuator/redis/stats}).</li>
 * </ul>
 * There is no {@code cache.size}: Redis does not tell the size of one cache cheaply. The
 * starter's own meters sit beside them with the same tags:
 * <ul>
 * <li>{@code resilient.redis.cache.gets} with tag {@code result} ({@code near-hit},
 * {@code redis-hit}, {@code redis-miss}, {@code fallback-hit}, {@code fallback-miss},
 * {@code error}); {@code near-hit} only for a near-cached cache;</li>
 * <li>{@code resilient.redis.cache.puts} and {@code resilient.redis.cache.evictions} with
 * tag {@code destination} ({@code redis}, {@code fallback});</li>
 * <li>{@code resilient.redis.cache.deserialization.failures},
 * {@code resilient.redis.cache.superseded.fills} and
 * {@code resilient.redis.cache.fallback.size}.</li>
 * </ul>
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class ResilientRedisCacheMetrics extends CacheMeterBinder<ResilientRedisCache> {

	private static final String PREFIX = "resilient.redis.cache.";

	private final ResilientCacheStatistics statistics;

	/**
	 * Create a new instance.
	 * @param cache the cache
	 * @param tags the tags to add to every meter, such as {@code name} and
	 * {@code cache.manager}
	 */
	public ResilientRedisCacheMetrics(ResilientRedisCache cache, Iterable<Tag> tags) {
		super(cache, cache.getName(), tags);
		this.statistics = cache.getResilienceStatistics();
	}

	@Override
	protected @Nullable Long size() {
		return null;
	}

	@Override
	protected long hitCount() {
		return this.statistics.getNearHits() + this.statistics.getRedisHits() + this.statistics.getFallbackHits();
	}

	@Override
	protected Long missCount() {
		return this.statistics.getRedisMisses() + this.statistics.getFallbackMisses() + this.statistics.getErrors();
	}

	@Override
	protected Long evictionCount() {
		return this.statistics.getRedisEvictions() + this.statistics.getFallbackEvictions();
	}

	@Override
	protected long putCount() {
		return this.statistics.getRedisPuts() + this.statistics.getFallbackPuts();
	}

	@Override
	protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
		Tags tags = Tags.of(getTagsWithCacheName());
		ResilientRedisCache cache = getCache();
		if (cache != null && cache.isNearCached()) {
			gets(registry, tags, "near-hit", ResilientCacheStatistics::getNearHits);
		}
		gets(registry, tags, "redis-hit", ResilientCacheStatistics::getRedisHits);
		gets(registry, tags, "redis-miss", ResilientCacheStatistics::getRedisMisses);
		gets(registry, tags, "fallback-hit", ResilientCacheStatistics::getFallbackHits);
		gets(registry, tags, "fallback-miss", ResilientCacheStatistics::getFallbackMisses);
		gets(registry, tags, "error", ResilientCacheStatistics::getErrors);
		String puts = "Cache writes stored in Redis or, while it was unavailable, in the local fallback";
		counter(registry, "puts", tags.and("destination", "redis"), ResilientCacheStatistics::getRedisPuts, puts);
		counter(registry, "puts", tags.and("destination", "fallback"), ResilientCacheStatistics::getFallbackPuts, puts);
		String evictions = "Cache evictions and clears made in Redis or, while it was unavailable, in the local fallback";
		counter(registry, "evictions", tags.and("destination", "redis"), ResilientCacheStatistics::getRedisEvictions,
				evictions);
		counter(registry, "evictions", tags.and("destination", "fallback"),
				ResilientCacheStatistics::getFallbackEvictions, evictions);
		counter(registry, "deserialization.failures", tags, ResilientCacheStatistics::getDeserializationFailures,
				"Values read from Redis that could not be deserialized, evicted and answered as misses");
		counter(registry, "superseded.fills", tags, ResilientCacheStatistics::getSupersededFills,
				"Values loaded after a miss and not stored because the key was written or evicted meanwhile");
		if (cache != null) {
			Gauge.builder(PREFIX + "fallback.size", cache, ResilientRedisCache::getFallbackSize)
				.tags(tags)
				.description("Entries held by the local fallback")
				.register(registry);
		}
		bindLoadMetrics(registry, tags);
	}

	private void bindLoadMetrics(MeterRegistry registry, Tags tags) {
		String loads = "Synchronized loads by the part they played across instances";
		counter(registry, "loads", tags.and("role", "leader"), ResilientCacheStatistics::getLeaderLoads, loads);
		counter(registry, "loads", tags.and("role", "follower"), ResilientCacheStatistics::getFollowerLoads, loads);
		counter(registry, "loads", tags.and("role", "waited-out"), ResilientCacheStatistics::getWaitedOutLoads, loads);
		counter(registry, "loads", tags.and("role", "local"), ResilientCacheStatistics::getLocalLoads, loads);
		FunctionTimer
			.builder(PREFIX + "lease.waits", this.statistics, ResilientCacheStatistics::getLeaseWaits,
					ResilientCacheStatistics::getLeaseWaitNanos, TimeUnit.NANOSECONDS)
			.tags(tags)
			.description("Time synchronized loads waited for another caller's load of the key")
			.register(registry);
		bindRefreshMetrics(registry, tags);
	}

	private void bindRefreshMetrics(MeterRegistry registry, Tags tags) {
		String refreshes = "Background refreshes of synchronized loads (early, or of a stale value) by outcome";
		counter(registry, "refreshes", tags.and("outcome", "stored"), ResilientCacheStatistics::getRefreshesStored,
				refreshes);
		counter(registry, "refreshes", tags.and("outcome", "superseded"),
				ResilientCacheStatistics::getRefreshesSuperseded, refreshes);
		counter(registry, "refreshes", tags.and("outcome", "failed"), ResilientCacheStatistics::getRefreshesFailed,
				refreshes);
		counter(registry, "refreshes", tags.and("outcome", "skipped"), ResilientCacheStatistics::getRefreshesSkipped,
				refreshes);
		counter(registry, "stale.served", tags, ResilientCacheStatistics::getStaleServed,
				"Synchronized loads answered with a value past its time to live while it was refreshed");
		counter(registry, "stale.errors", tags, ResilientCacheStatistics::getStaleErrors,
				"Loader failures answered with a stale value instead");
	}

	private void gets(MeterRegistry registry, Tags tags, String result,
			ToDoubleFunction<ResilientCacheStatistics> count) {
		counter(registry, "gets", tags.and("result", result), count, "Cache reads by where they were answered from");
	}

	private void counter(MeterRegistry registry, String name, Tags tags,
			ToDoubleFunction<ResilientCacheStatistics> count, String description) {
		FunctionCounter.builder(PREFIX + name, this.statistics, count)
			.tags(tags)
			.description(description)
			.register(registry);
	}

}

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

package io.github.resilientredis.sample.status;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resilientredis.cache.ResilientCacheStatistics;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.sample.live.CatalogEvents;
import io.github.resilientredis.sample.ratelimit.VerificationCodeRateLimiter;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/status}: what the status page shows in one answer. Redis is probed with
 * a {@code PING} of its own, outside the circuit breaker, so that the page shows the
 * server and the breaker separately.
 *
 * @author resilient-redis contributors
 */
@RestController
class RedisStatusController {

	private final StringRedisTemplate redis;

	private final ResilientRedisCacheManager cacheManager;

	private final VerificationCodeRateLimiter rateLimiter;

	private final CatalogEvents events;

	RedisStatusController(StringRedisTemplate redis, ResilientRedisCacheManager cacheManager,
			VerificationCodeRateLimiter rateLimiter, CatalogEvents events) {
		this.redis = redis;
		this.cacheManager = cacheManager;
		this.rateLimiter = rateLimiter;
		this.events = events;
	}

	@GetMapping("/api/status")
	Map<String, Object> status() {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("redis", ping());
		status.put("circuitBreaker", this.cacheManager.getCircuitBreakerState().name());
		status.put("servingFromFallback", this.cacheManager.isServingFromFallback());
		status.put("journalSize", this.cacheManager.getJournalSize());
		Map<String, CacheCounts> caches = new LinkedHashMap<>();
		this.cacheManager.forEachCache((cache) -> caches.put(cache.getName(),
				CacheCounts.of(cache.getResilienceStatistics(), cache.getFallbackSize())));
		status.put("caches", caches);
		status.put("rateLimit", this.rateLimiter.counts());
		status.put("live", this.events.statistics());
		return status;
	}

	private RedisProbe ping() {
		long start = System.nanoTime();
		try {
			this.redis.execute(RedisConnection::ping);
			return new RedisProbe(true, (System.nanoTime() - start) / 1_000_000.0, null);
		}
		catch (RuntimeException ex) {
			return new RedisProbe(false, null, ex.getClass().getSimpleName());
		}
	}

	/**
	 * The outcome of a {@code PING}.
	 *
	 * @param up whether Redis answered
	 * @param pingMillis how long it took, or {@code null}
	 * @param error the kind of failure, or {@code null}
	 */
	record RedisProbe(boolean up, @Nullable Double pingMillis, @Nullable String error) {

	}

	/**
	 * Counters of one cache since startup.
	 *
	 * @param redisHits reads answered by Redis
	 * @param redisMisses reads Redis did not hold
	 * @param fallbackHits reads answered by the local fallback
	 * @param fallbackMisses reads the local fallback did not hold
	 * @param errors Redis failures
	 * @param fallbackSize entries in the local fallback
	 */
	record CacheCounts(long redisHits, long redisMisses, long fallbackHits, long fallbackMisses, long errors,
			long fallbackSize) {

		static CacheCounts of(ResilientCacheStatistics statistics, long fallbackSize) {
			return new CacheCounts(statistics.getRedisHits(), statistics.getRedisMisses(), statistics.getFallbackHits(),
					statistics.getFallbackMisses(), statistics.getErrors(), fallbackSize);
		}

	}

}

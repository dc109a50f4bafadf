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
import java.util.List;
import java.util.Map;

import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.sample.hotkey.HotKeyStampede;
import io.github.resilientredis.sample.live.CatalogEvents;
import io.github.resilientredis.sample.ratelimit.VerificationCodeRateLimiter;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/status}: what the status page shows in one answer, and
 * {@code GET /api/status/history}: what its chart shows. Redis is probed with a
 * {@code PING} of its own, outside the circuit breaker, so that the page shows the server
 * and the breaker separately.
 *
 * @author resilient-redis contributors
 */
@RestController
class RedisStatusController {

	private final StringRedisTemplate redis;

	private final ResilientRedisCacheManager cacheManager;

	private final VerificationCodeRateLimiter rateLimiter;

	private final CatalogEvents events;

	private final StatusHistory history;

	private final HotKeyStampede hotKey;

	RedisStatusController(StringRedisTemplate redis, ResilientRedisCacheManager cacheManager,
			VerificationCodeRateLimiter rateLimiter, CatalogEvents events, StatusHistory history,
			HotKeyStampede hotKey) {
		this.redis = redis;
		this.cacheManager = cacheManager;
		this.rateLimiter = rateLimiter;
		this.events = events;
		this.history = history;
		this.hotKey = hotKey;
	}

	@GetMapping("/api/status")
	Map<String, Object> status() {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("redis", RedisProbe.ping(this.redis));
		status.put("circuitBreaker", this.cacheManager.getCircuitBreakerState().name());
		status.put("servingFromFallback", this.cacheManager.isServingFromFallback());
		status.put("journalSize", this.cacheManager.getJournalSize());
		status.put("caches", CacheCounts.of(this.cacheManager));
		status.put("rateLimit", this.rateLimiter.counts());
		status.put("live", this.events.statistics());
		status.put("hotKey", this.hotKey.status());
		return status;
	}

	/**
	 * The chart's samples taken after a time, oldest first.
	 * @param after epoch milliseconds of the last sample the page has; 0 for all
	 * @return the server's time and the samples
	 */
	@GetMapping("/api/status/history")
	History history(@RequestParam(defaultValue = "0") long after) {
		return new History(System.currentTimeMillis(), StatusHistory.INTERVAL.toMillis(), StatusHistory.SPAN.toMillis(),
				this.history.after(after));
	}

	/**
	 * Samples of the chart.
	 *
	 * @param now the server's time, epoch milliseconds
	 * @param intervalMs time between two samples
	 * @param spanMs time the history covers
	 * @param samples the samples, oldest first
	 */
	record History(long now, long intervalMs, long spanMs, List<StatusHistory.Sample> samples) {

	}

}

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

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The last five minutes of what the status page charts, sampled once a second on the
 * server, so that a page opened (or reloaded) during an outage shows at once what led to
 * it.
 *
 * @author resilient-redis contributors
 */
@Component
class StatusHistory implements SmartLifecycle {

	static final Duration INTERVAL = Duration.ofSeconds(1);

	static final Duration SPAN = Duration.ofMinutes(5);

	private static final String CACHE = "products";

	private static final String PRODUCT_READS = "/api/products/{id}";

	private static final Log logger = LogFactory.getLog(StatusHistory.class);

	private final StringRedisTemplate redis;

	private final ResilientRedisCacheManager cacheManager;

	private final MeterRegistry meterRegistry;

	private final Deque<Sample> samples = new ArrayDeque<>();

	private @Nullable Totals previous;

	private @Nullable ScheduledExecutorService executor;

	StatusHistory(StringRedisTemplate redis, ResilientRedisCacheManager cacheManager, MeterRegistry meterRegistry) {
		this.redis = redis;
		this.cacheManager = cacheManager;
		this.meterRegistry = meterRegistry;
	}

	/**
	 * Return the samples taken after the given time, oldest first.
	 * @param after epoch milliseconds; 0 for all
	 * @return the samples
	 */
	List<Sample> after(long after) {
		synchronized (this.samples) {
			return this.samples.stream().filter((sample) -> sample.t() > after).toList();
		}
	}

	/**
	 * Take one sample now and keep it.
	 * @return the sample
	 */
	synchronized Sample record() {
		long now = System.currentTimeMillis();
		boolean redisUp = RedisProbe.ping(this.redis).up();
		Totals totals = totals();
		Totals last = this.previous;
		this.previous = totals;
		Sample sample = new Sample(now, redisUp, this.cacheManager.getCircuitBreakerState().name(),
				(last != null) ? totals.latencySince(last) : null, (last != null) ? totals.hitRateSince(last) : null);
		synchronized (this.samples) {
			this.samples.addLast(sample);
			while (this.samples.peekFirst().t() < now - SPAN.toMillis()) {
				this.samples.removeFirst();
			}
		}
		return sample;
	}

	private Totals totals() {
		long requests = 0;
		double requestMillis = 0;
		for (Timer timer : this.meterRegistry.find("http.server.requests").tag("uri", PRODUCT_READS).timers()) {
			requests += timer.count();
			requestMillis += timer.totalTime(TimeUnit.MILLISECONDS);
		}
		CacheCounts counts = CacheCounts.of(this.cacheManager).get(CACHE);
		return new Totals(requests, requestMillis, (counts != null) ? counts.hits() : 0,
				(counts != null) ? counts.misses() : 0);
	}

	private void recordSafely() {
		try {
			record();
		}
		catch (RuntimeException ex) {
			logger.debug("Status sample failed", ex);
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "status-history");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleAtFixedRate(this::recordSafely, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * One point of the chart.
	 *
	 * @param t when it was taken, epoch milliseconds
	 * @param redisUp whether Redis answered a {@code PING}
	 * @param breaker the circuit breaker's state
	 * @param latencyMs mean time of the catalog reads served in the last interval, or
	 * {@code null} when there were none
	 * @param hitRate products cache hits in percent of the reads in the last interval, or
	 * {@code null} when there were none
	 */
	record Sample(long t, boolean redisUp, String breaker, @Nullable Double latencyMs, @Nullable Double hitRate) {

	}

	private record Totals(long requests, double requestMillis, long hits, long misses) {

		@Nullable Double latencySince(Totals earlier) {
			long count = this.requests - earlier.requests;
			return (count > 0) ? (this.requestMillis - earlier.requestMillis) / count : null;
		}

		@Nullable Double hitRateSince(Totals earlier) {
			long hits = this.hits - earlier.hits;
			long reads = hits + this.misses - earlier.misses;
			return (reads > 0) ? 100.0 * hits / reads : null;
		}

	}

}

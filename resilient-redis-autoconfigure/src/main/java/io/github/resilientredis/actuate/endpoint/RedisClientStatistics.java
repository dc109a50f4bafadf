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

package io.github.resilientredis.actuate.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilientredis.cache.NearCacheTracking;
import io.github.resilientredis.cache.ResilientCacheStatistics;
import io.github.resilientredis.cache.ResilientRedisCache;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.connection.HeartbeatNettyCustomizer;
import io.github.resilientredis.connection.RedisConnectionEvents;
import io.github.resilientredis.execution.RedisErrorCounter;
import org.jspecify.annotations.Nullable;

/**
 * Statistics of this application's side of Redis: the circuit breaker, retries,
 * connections, heartbeats, errors by type and each resilient cache. Every collaborator is
 * optional; a missing one is reported as "unavailable: reason".
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisClientStatistics {

	private final @Nullable CircuitBreaker circuitBreaker;

	private final @Nullable Retry retry;

	private final @Nullable RedisErrorCounter errors;

	private final @Nullable RedisConnectionEvents connectionEvents;

	private final @Nullable HeartbeatNettyCustomizer heartbeat;

	private final Supplier<@Nullable ResilientRedisCacheManager> cacheManager;

	private final @Nullable RedisCommandLatencies latencies;

	/**
	 * Create a new instance.
	 * @param circuitBreaker the circuit breaker guarding Redis, if any
	 * @param retry the retry of idempotent operations, if any
	 * @param errors the counts of errors by type, if any
	 * @param connectionEvents the counts of connection events, if any
	 * @param heartbeat the heartbeat, if enabled
	 * @param cacheManager supplies the resilient cache manager, or {@code null}
	 * @param latencies the latencies of commands, if recorded
	 */
	public RedisClientStatistics(@Nullable CircuitBreaker circuitBreaker, @Nullable Retry retry,
			@Nullable RedisErrorCounter errors, @Nullable RedisConnectionEvents connectionEvents,
			@Nullable HeartbeatNettyCustomizer heartbeat, Supplier<@Nullable ResilientRedisCacheManager> cacheManager,
			@Nullable RedisCommandLatencies latencies) {
		this.circuitBreaker = circuitBreaker;
		this.retry = retry;
		this.errors = errors;
		this.connectionEvents = connectionEvents;
		this.heartbeat = heartbeat;
		this.cacheManager = cacheManager;
		this.latencies = latencies;
	}

	/**
	 * Return the client statistics by section.
	 * @return the statistics
	 */
	public RedisClientDescriptor describe() {
		Map<String, String> unavailable = new LinkedHashMap<>();
		RedisClientDescriptor.CircuitBreaker circuitBreaker = circuitBreaker();
		if (circuitBreaker == null) {
			unavailable.put("circuit_breaker", "no circuit breaker");
		}
		RedisClientDescriptor.Retries retries = retries();
		if (retries == null) {
			unavailable.put("retries", "no retry");
		}
		RedisClientDescriptor.Connections connections = connections();
		if (connections == null) {
			unavailable.put("connections", "no Lettuce client resources");
		}
		Map<String, Long> errors = (this.errors != null) ? this.errors.getCounts() : null;
		if (errors == null) {
			unavailable.put("errors", "no error counter");
		}
		Map<String, RedisCommandLatencies.Latency> latencies = (this.latencies != null) ? this.latencies.describe()
				: null;
		if (latencies == null) {
			unavailable.put("command_latency", "no Micrometer meter registry");
		}
		RedisClientDescriptor.Caches caches = caches();
		if (caches == null) {
			unavailable.put("caches",
					"no resilient cache manager (caching not enabled or another cache manager in use)");
		}
		return new RedisClientDescriptor(circuitBreaker, retries, connections, errors, latencies, caches, nearCache(),
				unavailable);
	}

	/**
	 * Return advice on the client side an operator can act on.
	 * @return the advisories, empty when there is nothing to do
	 */
	public List<String> advisories() {
		List<String> advisories = new ArrayList<>();
		if (this.circuitBreaker != null && this.circuitBreaker.getState() != CircuitBreaker.State.CLOSED) {
			advisories.add("The circuit breaker '" + this.circuitBreaker.getName() + "' is "
					+ this.circuitBreaker.getState() + ": Redis calls fail fast and caches answer from their "
					+ "local fallback until Redis answers again.");
		}
		ResilientRedisCacheManager manager = this.cacheManager.get();
		if (manager != null && manager.getJournalOverflows() > 0) {
			advisories.add("The invalidation journal overflowed " + manager.getJournalOverflows()
					+ " times during outages, each clearing whole caches on recovery: raise "
					+ "resilient.redis.cache.journal.max-size if outages are long.");
		}
		return advisories;
	}

	private RedisClientDescriptor.@Nullable CircuitBreaker circuitBreaker() {
		if (this.circuitBreaker == null) {
			return null;
		}
		CircuitBreaker.Metrics metrics = this.circuitBreaker.getMetrics();
		return new RedisClientDescriptor.CircuitBreaker(this.circuitBreaker.getName(),
				this.circuitBreaker.getState().name(), metrics.getFailureRate(), metrics.getSlowCallRate(),
				metrics.getNumberOfBufferedCalls(), metrics.getNumberOfFailedCalls(),
				metrics.getNumberOfNotPermittedCalls());
	}

	private RedisClientDescriptor.@Nullable Retries retries() {
		if (this.retry == null) {
			return null;
		}
		Retry.Metrics metrics = this.retry.getMetrics();
		return new RedisClientDescriptor.Retries(metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt(),
				metrics.getNumberOfSuccessfulCallsWithRetryAttempt(), metrics.getNumberOfFailedCallsWithRetryAttempt(),
				metrics.getNumberOfFailedCallsWithoutRetryAttempt(), metrics.getNumberOfTotalCalls());
	}

	private RedisClientDescriptor.@Nullable Connections connections() {
		RedisConnectionEvents events = this.connectionEvents;
		if (events == null) {
			return null;
		}
		HeartbeatNettyCustomizer heartbeat = this.heartbeat;
		return new RedisClientDescriptor.Connections(events.getActiveConnections(), events.getConnects(),
				events.getDisconnects(), events.getReconnectAttempts(), events.getReconnectFailures(),
				(heartbeat != null) ? heartbeat.getHeartbeatsSent() : null,
				(heartbeat != null) ? heartbeat.getHeartbeatFailures() : null);
	}

	private RedisClientDescriptor.@Nullable Caches caches() {
		ResilientRedisCacheManager manager = this.cacheManager.get();
		if (manager == null) {
			return null;
		}
		Map<String, RedisClientDescriptor.Cache> byName = new TreeMap<>();
		for (String name : manager.getCacheNames()) {
			if (manager.getCache(name) instanceof ResilientRedisCache cache) {
				byName.put(name, cache(cache));
			}
		}
		return new RedisClientDescriptor.Caches(manager.isServingFromFallback(), manager.getJournalSize(),
				manager.getJournalReplays(), manager.getJournalOverflows(), byName);
	}

	private static RedisClientDescriptor.Cache cache(ResilientRedisCache cache) {
		ResilientCacheStatistics statistics = cache.getResilienceStatistics();
		long hits = statistics.getRedisHits();
		long misses = statistics.getRedisMisses();
		return new RedisClientDescriptor.Cache(hits, misses, RedisServerStatistics.percent(hits, hits + misses),
				statistics.getFallbackHits(), statistics.getFallbackMisses(), statistics.getErrors(),
				statistics.getDeserializationFailures(), statistics.getSupersededFills(), cache.getFallbackSize(),
				cache.isNearCached() ? statistics.getNearHits() : null, loads(cache));
	}

	private static RedisClientDescriptor.@Nullable Loads loads(ResilientRedisCache cache) {
		if (!cache.getLoadPolicy().isActive()) {
			return null;
		}
		ResilientCacheStatistics statistics = cache.getResilienceStatistics();
		return new RedisClientDescriptor.Loads(statistics.getLeaderLoads(), statistics.getFollowerLoads(),
				statistics.getWaitedOutLoads(), statistics.getLocalLoads(), statistics.getLeaseWaits(),
				statistics.getLeaseWaitNanos() / 1_000_000.0, statistics.getRefreshesStored(),
				statistics.getRefreshesSuperseded(), statistics.getRefreshesFailed(), statistics.getRefreshesSkipped(),
				statistics.getStaleServed(), statistics.getStaleErrors());
	}

	private RedisClientDescriptor.@Nullable NearCache nearCache() {
		ResilientRedisCacheManager manager = this.cacheManager.get();
		NearCacheTracking tracking = (manager != null) ? manager.getNearCacheTracking() : null;
		if (manager == null || tracking == null) {
			return null;
		}
		long nearHits = 0;
		for (String name : tracking.getCacheNames()) {
			if (manager.getCache(name) instanceof ResilientRedisCache cache) {
				nearHits += cache.getResilienceStatistics().getNearHits();
			}
		}
		Duration lastPingAge = tracking.getLastAnsweredPingAge();
		return new RedisClientDescriptor.NearCache(tracking.isTrusted(), tracking.isConnected(),
				tracking.getMaxStaleness().toMillis(),
				(lastPingAge != null) ? lastPingAge.toNanos() / 1_000_000.0 : null, tracking.getCacheNames(), nearHits,
				tracking.getInvalidations());
	}

}

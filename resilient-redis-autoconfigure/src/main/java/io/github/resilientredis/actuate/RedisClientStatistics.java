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

package io.github.resilientredis.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
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
	public Map<String, Object> describe() {
		Map<String, Object> client = new LinkedHashMap<>();
		client.put("circuit_breaker", circuitBreaker());
		client.put("retries", retries());
		client.put("connections", connections());
		client.put("errors", (this.errors != null) ? this.errors.getCounts() : unavailable("no error counter"));
		client.put("command_latency",
				(this.latencies != null) ? this.latencies.describe() : unavailable("no Micrometer meter registry"));
		client.put("caches", caches());
		return client;
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
					+ "resilient.redis.cache.journal.max-keys if outages are long.");
		}
		return advisories;
	}

	private Object circuitBreaker() {
		if (this.circuitBreaker == null) {
			return unavailable("no circuit breaker");
		}
		CircuitBreaker.Metrics metrics = this.circuitBreaker.getMetrics();
		Map<String, Object> breaker = new LinkedHashMap<>();
		breaker.put("name", this.circuitBreaker.getName());
		breaker.put("state", this.circuitBreaker.getState().name());
		breaker.put("failure_rate", metrics.getFailureRate());
		breaker.put("slow_call_rate", metrics.getSlowCallRate());
		breaker.put("buffered_calls", metrics.getNumberOfBufferedCalls());
		breaker.put("failed_calls", metrics.getNumberOfFailedCalls());
		breaker.put("not_permitted_calls", metrics.getNumberOfNotPermittedCalls());
		return breaker;
	}

	private Object retries() {
		if (this.retry == null) {
			return unavailable("no retry");
		}
		Retry.Metrics metrics = this.retry.getMetrics();
		Map<String, Object> retries = new LinkedHashMap<>();
		retries.put("successful_without_retry", metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt());
		retries.put("successful_with_retry", metrics.getNumberOfSuccessfulCallsWithRetryAttempt());
		retries.put("failed_with_retry", metrics.getNumberOfFailedCallsWithRetryAttempt());
		retries.put("failed_without_retry", metrics.getNumberOfFailedCallsWithoutRetryAttempt());
		retries.put("total_attempts", metrics.getNumberOfTotalCalls());
		return retries;
	}

	private Object connections() {
		Map<String, Object> connections = new LinkedHashMap<>();
		if (this.connectionEvents != null) {
			connections.put("active", this.connectionEvents.getActiveConnections());
			connections.put("connects", this.connectionEvents.getConnects());
			connections.put("disconnects", this.connectionEvents.getDisconnects());
			connections.put("reconnect_attempts", this.connectionEvents.getReconnectAttempts());
			connections.put("reconnect_failures", this.connectionEvents.getReconnectFailures());
		}
		else {
			connections.put("events", unavailable("no Lettuce client resources"));
		}
		if (this.heartbeat != null) {
			connections.put("heartbeats_sent", this.heartbeat.getHeartbeatsSent());
			connections.put("heartbeat_failures", this.heartbeat.getHeartbeatFailures());
		}
		return connections;
	}

	private Object caches() {
		ResilientRedisCacheManager manager = this.cacheManager.get();
		if (manager == null) {
			return unavailable("no resilient cache manager (caching not enabled or another cache manager in use)");
		}
		Map<String, Object> caches = new LinkedHashMap<>();
		caches.put("serving_from_fallback", manager.isServingFromFallback());
		caches.put("journal_size", manager.getJournalSize());
		caches.put("journal_replays", manager.getJournalReplays());
		caches.put("journal_overflows", manager.getJournalOverflows());
		Map<String, Object> byName = new TreeMap<>();
		for (String name : manager.getCacheNames()) {
			if (manager.getCache(name) instanceof ResilientRedisCache cache) {
				byName.put(name, cache(cache.getResilienceStatistics(), cache.getFallbackSize()));
			}
		}
		caches.put("by_name", byName);
		return caches;
	}

	private static Map<String, Object> cache(ResilientCacheStatistics statistics, long fallbackSize) {
		Map<String, Object> cache = new LinkedHashMap<>();
		long hits = statistics.getRedisHits();
		long misses = statistics.getRedisMisses();
		cache.put("redis_hits", hits);
		cache.put("redis_misses", misses);
		cache.put("hit_rate", RedisServerStatistics.percent(hits, hits + misses));
		cache.put("fallback_hits", statistics.getFallbackHits());
		cache.put("fallback_misses", statistics.getFallbackMisses());
		cache.put("errors", statistics.getErrors());
		cache.put("deserialization_failures", statistics.getDeserializationFailures());
		cache.put("fallback_size", fallbackSize);
		return cache;
	}

	static String unavailable(String reason) {
		return "unavailable: " + reason;
	}

}

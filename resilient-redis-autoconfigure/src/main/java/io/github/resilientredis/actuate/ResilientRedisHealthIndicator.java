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

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.connection.RedisConnectionEvents;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of Redis from a {@code PING} that waits no longer than its own short timeout
 * (see {@link RedisProbe}):
 * <ul>
 * <li>{@code UP} when Redis answers;</li>
 * <li>{@link #DEGRADED} when it does not but the resilient cache manager keeps the
 * application serving from its local fallback;</li>
 * <li>{@code DOWN} when it does not and nothing takes its place.</li>
 * </ul>
 * Details: {@code latency_ms}, {@code version} (from {@code INFO server}, "unavailable:
 * reason" when the user may not run it), {@code mode} ({@code standalone},
 * {@code sentinel} or {@code cluster}, from the configuration when {@code INFO} does not
 * tell), {@code nodes} for Sentinel and cluster (every node with its role, whether it
 * answers a {@code PING} and its latency, see {@link RedisProbe#nodes()}),
 * {@code circuit_breaker}, {@code fallback_serving}, {@code reconnects} and the redacted
 * {@code error} or {@code last_error}.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class ResilientRedisHealthIndicator extends AbstractHealthIndicator {

	/**
	 * Redis is unreachable, but the application keeps serving from its local fallback.
	 */
	public static final Status DEGRADED = new Status("DEGRADED",
			"Redis is unreachable; the resilient cache keeps the application serving");

	private static final String UNAVAILABLE = "unavailable: ";

	private final RedisProbe probe;

	private final @Nullable CircuitBreaker circuitBreaker;

	private final Supplier<@Nullable ResilientRedisCacheManager> cacheManager;

	private final @Nullable RedisConnectionEvents connectionEvents;

	private final boolean reportDegraded;

	/**
	 * Create a new indicator.
	 * @param probe the probe that pings Redis
	 * @param circuitBreaker the circuit breaker guarding Redis, if any
	 * @param cacheManager supplies the resilient cache manager, or {@code null} when
	 * there is none
	 * @param connectionEvents the counts of connection events, if any
	 * @param reportDegraded whether an unreachable Redis is {@link #DEGRADED} rather than
	 * {@code DOWN} while the cache manager keeps the application serving
	 */
	public ResilientRedisHealthIndicator(RedisProbe probe, @Nullable CircuitBreaker circuitBreaker,
			Supplier<@Nullable ResilientRedisCacheManager> cacheManager,
			@Nullable RedisConnectionEvents connectionEvents, boolean reportDegraded) {
		super((ex) -> "Redis health check failed");
		this.probe = probe;
		this.circuitBreaker = circuitBreaker;
		this.cacheManager = cacheManager;
		this.connectionEvents = connectionEvents;
		this.reportDegraded = reportDegraded;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		RedisProbe.Ping ping = this.probe.ping();
		ResilientRedisCacheManager cacheManager = this.cacheManager.get();
		RedisProbe.Failure failure = ping.failure();
		if (failure == null) {
			builder.up();
			builder.withDetail("latency_ms", millis(ping));
			Properties info = ping.serverInfo();
			RedisProbe.Failure infoFailure = ping.serverInfoFailure();
			builder.withDetail("version", serverDetail(info, infoFailure, "redis_version"));
			builder.withDetail("mode", mode(info, infoFailure));
		}
		else {
			builder.status((cacheManager != null && this.reportDegraded) ? DEGRADED : Status.DOWN);
			builder.withDetail("error", failure.toString());
		}
		List<Map<String, Object>> nodes = this.probe.nodes();
		if (nodes != null) {
			builder.withDetail("nodes", nodes);
		}
		if (this.circuitBreaker != null) {
			builder.withDetail("circuit_breaker", this.circuitBreaker.getState().name());
		}
		if (cacheManager != null) {
			builder.withDetail("fallback_serving", cacheManager.isServingFromFallback());
		}
		if (this.connectionEvents != null) {
			builder.withDetail("reconnects", this.connectionEvents.getReconnectAttempts());
		}
		RedisProbe.Failure lastFailure = this.probe.getLastFailure();
		if (failure == null && lastFailure != null) {
			builder.withDetail("last_error", lastFailure.toString());
		}
	}

	private String mode(@Nullable Properties info, RedisProbe.@Nullable Failure infoFailure) {
		String configured = this.probe.configuredMode();
		// A master that sentinels watch says "standalone" in INFO
		if (configured != null && (info == null || !RedisTopology.STANDALONE.equals(configured))) {
			return configured;
		}
		return serverDetail(info, infoFailure, "redis_mode");
	}

	static double millis(RedisProbe.Ping ping) {
		return (ping.latency() != null) ? Math.round(ping.latency().toNanos() / 10_000.0) / 100.0 : -1;
	}

	static String serverDetail(@Nullable Properties info, RedisProbe.@Nullable Failure failure, String key) {
		if (info == null) {
			return UNAVAILABLE + ((failure != null) ? failure.message() : "no INFO reply");
		}
		return info.getProperty(key, UNAVAILABLE + key + " not in INFO");
	}

}

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

package io.github.resilientredis.health;

import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.connection.RedisConnectionEvents;
import io.github.resilientredis.execution.RedisErrorCounter;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of Redis from a {@code PING}, {@code INFO} and, for a cluster,
 * {@code CLUSTER INFO} that wait no longer than the probe's own short timeout (see
 * {@link RedisProbe}), and from the shared circuit breaker:
 * <ul>
 * <li>{@code UP} when Redis answers and can serve the application;</li>
 * <li>{@link #DEGRADED} when it cannot but the resilient cache manager keeps the
 * application serving from its local fallback;</li>
 * <li>{@code DOWN} when it cannot and nothing takes its place.</li>
 * </ul>
 * Redis cannot serve the application when it does not answer the {@code PING}, when a
 * cluster has slots without a reachable master ({@code cluster_state:fail}), when a
 * server with {@code maxmemory-policy noeviction} is above {@code maxmemory} and refuses
 * writes, when the configured standalone or Sentinel endpoint is a replica, and while the
 * circuit breaker is not closed, so that health never says {@code UP} while the
 * application's Redis calls fail fast. The {@code error} detail names the cause.
 * <p>
 * Other details: {@code latency_ms}, {@code version} (from {@code INFO}, "unavailable:
 * reason" when the user may not run it), {@code mode} ({@code standalone},
 * {@code sentinel} or {@code cluster}, from the configuration when {@code INFO} does not
 * tell), {@code role} ({@code master} or {@code replica}), for a cluster
 * {@code cluster_state}, {@code cluster_size}, {@code slots_up} and {@code slots_fail}
 * (as Spring Boot's own indicator), {@code nodes} for Sentinel and cluster (every node
 * with its role, whether it answers a {@code PING} and its latency, see
 * {@link RedisProbe#check(boolean)}), {@code circuit_breaker}, {@code fallback_serving},
 * {@code reconnects} and the redacted {@code last_error} of the probe.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class ResilientRedisHealthIndicator extends AbstractHealthIndicator {

	/**
	 * Redis cannot serve the application, but the application keeps serving from its
	 * local fallback.
	 */
	public static final Status DEGRADED = new Status("DEGRADED",
			"Redis cannot serve the application; the resilient cache keeps it serving");

	private static final String UNAVAILABLE = "unavailable: ";

	private final RedisProbe probe;

	private final @Nullable CircuitBreaker circuitBreaker;

	private final @Nullable RedisErrorCounter errors;

	private final Supplier<@Nullable ResilientRedisCacheManager> cacheManager;

	private final @Nullable RedisConnectionEvents connectionEvents;

	private final boolean reportDegraded;

	/**
	 * Create a new indicator.
	 * @param probe the probe that pings Redis
	 * @param circuitBreaker the circuit breaker guarding Redis, if any
	 * @param errors the errors the circuit breaker recorded, if counted
	 * @param cacheManager supplies the resilient cache manager, or {@code null} when
	 * there is none
	 * @param connectionEvents the counts of connection events, if any
	 * @param reportDegraded whether a Redis that cannot serve the application is
	 * {@link #DEGRADED} rather than {@code DOWN} while the cache manager keeps the
	 * application serving
	 */
	public ResilientRedisHealthIndicator(RedisProbe probe, @Nullable CircuitBreaker circuitBreaker,
			@Nullable RedisErrorCounter errors, Supplier<@Nullable ResilientRedisCacheManager> cacheManager,
			@Nullable RedisConnectionEvents connectionEvents, boolean reportDegraded) {
		super((ex) -> "Redis health check failed");
		this.probe = probe;
		this.circuitBreaker = circuitBreaker;
		this.errors = errors;
		this.cacheManager = cacheManager;
		this.connectionEvents = connectionEvents;
		this.reportDegraded = reportDegraded;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		RedisProbe.Check check = this.probe.check(false);
		RedisProbe.Ping ping = check.ping();
		RedisServerState server = new RedisServerState(ping);
		ResilientRedisCacheManager cacheManager = this.cacheManager.get();
		RedisProbe.Failure cause = cause(ping, server);
		if (cause == null) {
			builder.up();
		}
		else {
			builder.status((cacheManager != null && this.reportDegraded) ? DEGRADED : Status.DOWN);
			builder.withDetail("error", cause.toString());
		}
		if (ping.isReachable()) {
			builder.withDetail("latency_ms", ping.latencyMillis());
			Properties info = ping.serverInfo();
			RedisProbe.Failure infoFailure = ping.serverInfoFailure();
			builder.withDetail("version", serverDetail(info, infoFailure, "redis_version"));
			builder.withDetail("mode", mode(info, infoFailure));
		}
		server.details(builder);
		List<RedisNodeDescriptor> nodes = check.nodes();
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
		if (ping.isReachable() && lastFailure != null) {
			builder.withDetail("last_error", lastFailure.toString());
		}
	}

	private RedisProbe.@Nullable Failure cause(RedisProbe.Ping ping, RedisServerState server) {
		// A cluster that is down also fails the PING: its state is the better reason
		RedisProbe.Failure problem = server.problem();
		if (problem != null) {
			return problem;
		}
		if (ping.failure() != null) {
			return ping.failure();
		}
		return breakerNotClosed();
	}

	private RedisProbe.@Nullable Failure breakerNotClosed() {
		CircuitBreaker breaker = this.circuitBreaker;
		if (breaker == null) {
			return null;
		}
		CircuitBreaker.State state = breaker.getState();
		if (state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN
				&& state != CircuitBreaker.State.HALF_OPEN) {
			return null;
		}
		String lastError = (this.errors != null) ? this.errors.getLastError() : null;
		return new RedisProbe.Failure("circuit_open",
				"the circuit breaker '" + breaker.getName() + "' is " + state
						+ ": Redis answers the probe but the application's calls fail fast until it closes"
						+ ((lastError != null) ? "; last failure: " + lastError : ""));
	}

	private String mode(@Nullable Properties info, RedisProbe.@Nullable Failure infoFailure) {
		String configured = this.probe.configuredMode();
		// A master that sentinels watch says "standalone" in INFO
		if (configured != null && (info == null || !RedisTopology.STANDALONE.equals(configured))) {
			return configured;
		}
		return serverDetail(info, infoFailure, "redis_mode");
	}

	static String serverDetail(@Nullable Properties info, RedisProbe.@Nullable Failure failure, String key) {
		if (info == null) {
			return UNAVAILABLE + ((failure != null) ? failure.message() : "no INFO reply");
		}
		String value = info.getProperty(key);
		if (value == null) {
			// A cluster answers INFO for every node, each key prefixed with its address
			value = info.stringPropertyNames()
				.stream()
				.filter((name) -> name.endsWith("." + key))
				.sorted()
				.map(info::getProperty)
				.findFirst()
				.orElse(null);
		}
		return (value != null) ? value : UNAVAILABLE + key + " not in INFO";
	}

}

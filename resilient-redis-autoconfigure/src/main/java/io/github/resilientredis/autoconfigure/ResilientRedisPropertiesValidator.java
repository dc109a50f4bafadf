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

package io.github.resilientredis.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Checks bound {@link ResilientRedisProperties} so that a setting that cannot work (a
 * zero timeout, a retry count no operator means) fails at startup with a message that
 * names it, instead of surfacing later as an obscure Lettuce or Resilience4j error.
 *
 * @author resilient-redis contributors
 */
final class ResilientRedisPropertiesValidator {

	/**
	 * Most retries an operation may make; beyond it a Redis outage multiplies the load
	 * and the latency of every caller instead of failing fast.
	 */
	static final int MAX_RETRIES = 10;

	/**
	 * Most connections a pool may hold ({@code CACHE_MAX_CONNECTIONS}), far above what
	 * one Redis serves well.
	 */
	static final int MAX_CONNECTIONS = 10_000;

	private static final String PREFIX = "resilient.redis.";

	private ResilientRedisPropertiesValidator() {
	}

	/**
	 * Validate the given properties.
	 * @param properties the bound properties
	 * @throws InvalidRedisConfigurationException naming the first invalid setting
	 */
	static void validate(ResilientRedisProperties properties) {
		ResilientRedisProperties.Connection connection = properties.getConnection();
		between("connection.request-queue-size", connection.getRequestQueueSize(), 1, Integer.MAX_VALUE, "10000");
		ResilientRedisProperties.KeepAlive keepAlive = properties.getKeepAlive();
		positive("keep-alive.idle", keepAlive.getIdle(), "60s");
		positive("keep-alive.interval", keepAlive.getInterval(), "30s");
		between("keep-alive.count", keepAlive.getCount(), 1, Integer.MAX_VALUE, "3");
		notNegative("keep-alive.tcp-user-timeout", keepAlive.getTcpUserTimeout(), "30s");
		ResilientRedisProperties.Reconnect reconnect = properties.getReconnect();
		positive("reconnect.min-delay", reconnect.getMinDelay(), "10ms");
		positive("reconnect.max-delay", reconnect.getMaxDelay(), "500ms");
		notAbove("reconnect.min-delay", reconnect.getMinDelay(), "reconnect.max-delay", reconnect.getMaxDelay(),
				"10ms");
		ResilientRedisProperties.Heartbeat heartbeat = properties.getHeartbeat();
		positive("heartbeat.interval", heartbeat.getInterval(), "30s");
		positive("heartbeat.timeout", heartbeat.getTimeout(), "2s");
		ResilientRedisProperties.Retry retry = properties.getRetry();
		between("retry.max-retries", retry.getMaxRetries(), 0, MAX_RETRIES, "2");
		positive("retry.delay", retry.getDelay(), "100ms");
		positive("retry.max-delay", retry.getMaxDelay(), "1s");
		notAbove("retry.delay", retry.getDelay(), "retry.max-delay", retry.getMaxDelay(), "100ms");
		positive("retry.budget", retry.getBudget(), "3s");
		ResilientRedisProperties.CircuitBreaker breaker = properties.getCircuitBreaker();
		if (breaker.getName().isBlank()) {
			throw invalid("circuit-breaker.name", "must not be empty", "redis");
		}
		percentage("circuit-breaker.failure-rate-threshold", breaker.getFailureRateThreshold(), "50");
		between("circuit-breaker.sliding-window-size", breaker.getSlidingWindowSize(), 1, MAX_CONNECTIONS, "20");
		between("circuit-breaker.minimum-number-of-calls", breaker.getMinimumNumberOfCalls(), 1, MAX_CONNECTIONS, "5");
		positive("circuit-breaker.slow-call-duration-threshold", breaker.getSlowCallDurationThreshold(), "1s");
		percentage("circuit-breaker.slow-call-rate-threshold", breaker.getSlowCallRateThreshold(), "100");
		positive("circuit-breaker.wait-duration-in-open-state", breaker.getWaitDurationInOpenState(), "500ms");
		between("circuit-breaker.permitted-number-of-calls-in-half-open-state",
				breaker.getPermittedNumberOfCallsInHalfOpenState(), 1, 1_000, "3");
		between("circuit-breaker.consecutive-failure-threshold", breaker.getConsecutiveFailureThreshold(), 0, 10_000,
				"3");
		ResilientRedisProperties.Cache cache = properties.getCache();
		if (cache.getFallback().getMaximumSize() < 0) {
			throw invalid("cache.fallback.maximum-size", "must not be negative", "10000");
		}
		positive("cache.fallback.time-to-live", cache.getFallback().getTimeToLive(), "5m");
		between("cache.journal.max-size", cache.getJournal().getMaxSize(), 1, Integer.MAX_VALUE, "10000");
		notNegative("cache.replay.window", cache.getReplay().getWindow(), "1m");
		between("cache.replay.max-size", cache.getReplay().getMaxSize(), 1, 1_000_000, "10000");
		positive("cache.near.max-staleness", cache.getNear().getMaxStaleness(), "250ms");
		if (cache.getNear().getMaximumSize() < 1) {
			throw invalid("cache.near.maximum-size", "must be at least 1", "10000");
		}
		positive("cache.single-flight.lease-time", cache.getSingleFlight().getLeaseTime(), "10s");
		notNegative("cache.single-flight.wait-time", cache.getSingleFlight().getWaitTime(), "10s");
		double beta = cache.getEarlyRefresh().getBeta();
		if (!(beta > 0) || !Double.isFinite(beta)) {
			throw invalid("cache.early-refresh.beta", "must be positive", "1.0");
		}
		notNegative("cache.stale.time-to-live", cache.getStale().getTimeToLive(), "30s");
		notNegative("cache.stale.refresh-backoff", cache.getStale().getRefreshBackoff(), "1s");
		validate(properties.getStartup());
	}

	/**
	 * Validate the given startup properties, which are bound before the others.
	 * @param startup the startup properties
	 * @throws InvalidRedisConfigurationException naming the first invalid setting
	 */
	static void validate(ResilientRedisProperties.Startup startup) {
		positive("startup.wait-budget", startup.getWaitBudget(), "30s");
		positive("startup.wait-initial-delay", startup.getWaitInitialDelay(), "200ms");
		positive("startup.wait-max-delay", startup.getWaitMaxDelay(), "5s");
		notAbove("startup.wait-initial-delay", startup.getWaitInitialDelay(), "startup.wait-max-delay",
				startup.getWaitMaxDelay(), "200ms");
	}

	private static void positive(String name, @Nullable Duration value, String example) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw invalid(name, "must be greater than zero", example);
		}
	}

	private static void notNegative(String name, Duration value, String example) {
		if (value.isNegative()) {
			throw invalid(name, "must not be negative (zero turns it off)", example);
		}
	}

	private static void notAbove(String name, Duration value, String boundName, Duration bound, String example) {
		if (value.compareTo(bound) > 0) {
			throw invalid(name, "must not be longer than " + PREFIX + boundName, example);
		}
	}

	private static void between(String name, int value, int minimum, int maximum, String example) {
		if (value < minimum || value > maximum) {
			throw invalid(name, (maximum != Integer.MAX_VALUE) ? "must be from " + minimum + " to " + maximum
					: "must be at least " + minimum, example);
		}
	}

	private static void percentage(String name, float value, String example) {
		if (!(value > 0 && value <= 100)) {
			throw invalid(name, "must be a percentage greater than 0 and at most 100", example);
		}
	}

	private static InvalidRedisConfigurationException invalid(String name, String reason, String example) {
		return new InvalidRedisConfigurationException(PREFIX + name, reason, PREFIX + name + "=" + example);
	}

}

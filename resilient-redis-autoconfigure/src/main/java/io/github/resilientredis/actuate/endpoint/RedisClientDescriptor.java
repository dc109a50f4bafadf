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

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Figures of this application's side of Redis, as {@code /actuator/redis/stats} shows
 * them under {@code client}. A section whose source is missing is {@code null}, left out,
 * and named in {@code unavailable} with the reason.
 *
 * @param circuitBreaker the shared circuit breaker
 * @param retries the retries of idempotent operations
 * @param connections the Lettuce connections and heartbeats
 * @param errors failed operations by error type (see
 * {@link io.github.resilientredis.execution.RedisErrorClassifier#errorType(Throwable)})
 * @param commandLatency latency of each command sent so far, by command
 * @param caches the resilient caches
 * @param nearCache the near cache, {@code null} when it is not enabled
 * @param unavailable the sections that are left out, with the reason for each
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RedisClientDescriptor(@JsonProperty("circuit_breaker") @Nullable CircuitBreaker circuitBreaker,
		@Nullable Retries retries, @Nullable Connections connections, @Nullable Map<String, Long> errors,
		@JsonProperty("command_latency") @Nullable Map<String, RedisCommandLatencies.Latency> commandLatency,
		@Nullable Caches caches, @JsonProperty("near_cache") @Nullable NearCache nearCache,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> unavailable) {

	/**
	 * The shared circuit breaker.
	 *
	 * @param name its name
	 * @param state its state, such as {@code CLOSED} or {@code OPEN}
	 * @param failureRate failed calls in percent of the calls in its window, -1 before
	 * the minimum number of calls
	 * @param slowCallRate slow calls in percent, -1 before the minimum number of calls
	 * @param bufferedCalls calls in its window
	 * @param failedCalls failed calls in its window
	 * @param notPermittedCalls calls it did not let through since startup
	 */
	public record CircuitBreaker(String name, String state, @JsonProperty("failure_rate") float failureRate,
			@JsonProperty("slow_call_rate") float slowCallRate, @JsonProperty("buffered_calls") int bufferedCalls,
			@JsonProperty("failed_calls") int failedCalls,
			@JsonProperty("not_permitted_calls") long notPermittedCalls) {

	}

	/**
	 * The retries of idempotent operations since startup.
	 *
	 * @param successfulWithoutRetry calls that succeeded at once
	 * @param successfulWithRetry calls that succeeded after retries
	 * @param failedWithRetry calls that failed after retries
	 * @param failedWithoutRetry calls that failed without a retry
	 * @param totalAttempts all attempts
	 */
	public record Retries(@JsonProperty("successful_without_retry") long successfulWithoutRetry,
			@JsonProperty("successful_with_retry") long successfulWithRetry,
			@JsonProperty("failed_with_retry") long failedWithRetry,
			@JsonProperty("failed_without_retry") long failedWithoutRetry,
			@JsonProperty("total_attempts") long totalAttempts) {

	}

	/**
	 * The Lettuce connections since startup, and the heartbeats when enabled.
	 *
	 * @param active connections connected and ready for commands
	 * @param connects connections established
	 * @param disconnects connections lost or closed
	 * @param reconnectAttempts reconnect attempts
	 * @param reconnectFailures reconnect attempts that failed
	 * @param heartbeatsSent heartbeat {@code PING}s sent, {@code null} without heartbeat
	 * @param heartbeatFailures heartbeats that failed, each closing its connection,
	 * {@code null} without heartbeat
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Connections(long active, long connects, long disconnects,
			@JsonProperty("reconnect_attempts") long reconnectAttempts,
			@JsonProperty("reconnect_failures") long reconnectFailures,
			@JsonProperty("heartbeats_sent") @Nullable Long heartbeatsSent,
			@JsonProperty("heartbeat_failures") @Nullable Long heartbeatFailures) {

	}

	/**
	 * The resilient caches.
	 *
	 * @param servingFromFallback whether reads are answered from the local fallback
	 * @param journalSize keys and caches written while Redis was unavailable, not yet
	 * invalidated in Redis
	 * @param journalReplays replays of the invalidation journal
	 * @param journalOverflows overflows of the journal, each turned into clears of the
	 * affected caches
	 * @param byName each cache by name
	 */
	public record Caches(@JsonProperty("serving_from_fallback") boolean servingFromFallback,
			@JsonProperty("journal_size") int journalSize, @JsonProperty("journal_replays") long journalReplays,
			@JsonProperty("journal_overflows") long journalOverflows,
			@JsonProperty("by_name") Map<String, Cache> byName) {

	}

	/**
	 * One resilient cache since startup.
	 *
	 * @param redisHits reads answered by Redis with a value
	 * @param redisMisses reads Redis answered without a value
	 * @param hitRate Redis hits in percent of Redis reads, {@code null} before the first
	 * @param fallbackHits reads answered from the local fallback
	 * @param fallbackMisses reads the local fallback could not answer
	 * @param errors reads of a value that could not be used
	 * @param deserializationFailures values that could not be deserialized
	 * @param supersededFills values loaded after a miss and not stored because the key
	 * was written or evicted meanwhile
	 * @param fallbackSize entries held by the local fallback
	 * @param nearHits reads answered from the near cache, {@code null} when the cache is
	 * not near-cached
	 * @param loads its synchronized loads across instances, {@code null} when the cache
	 * does not coordinate them
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Cache(@JsonProperty("redis_hits") long redisHits, @JsonProperty("redis_misses") long redisMisses,
			@JsonProperty("hit_rate") @Nullable Double hitRate, @JsonProperty("fallback_hits") long fallbackHits,
			@JsonProperty("fallback_misses") long fallbackMisses, long errors,
			@JsonProperty("deserialization_failures") long deserializationFailures,
			@JsonProperty("superseded_fills") long supersededFills, @JsonProperty("fallback_size") long fallbackSize,
			@JsonProperty("near_hits") @Nullable Long nearHits, @Nullable Loads loads) {

	}

	/**
	 * The synchronized loads of one cache across instances since startup.
	 *
	 * @param leader loads that took the key's lease and ran the loader
	 * @param follower loads that waited for another caller's load and read its value
	 * @param waitedOut loads that waited for the whole wait time and ran the loader
	 * @param local loads that ran the loader in this JVM alone, Redis could not be asked
	 * @param leaseWaits loads that waited for another caller's lease
	 * @param leaseWaitMs the time they waited, in milliseconds, all together
	 * @param refreshesStored background refreshes whose value was stored
	 * @param refreshesSuperseded background refreshes not stored because the key was
	 * written, evicted or cleared since they started
	 * @param refreshesFailed background refreshes whose loader failed
	 * @param refreshesSkipped background refreshes not run: another caller loaded the
	 * key, or the refresh threads were busy
	 * @param staleServed loads answered with a stale value while it was refreshed
	 * @param staleErrors loader failures answered with a stale value
	 */
	public record Loads(long leader, long follower, @JsonProperty("waited_out") long waitedOut, long local,
			@JsonProperty("lease_waits") long leaseWaits, @JsonProperty("lease_wait_ms") double leaseWaitMs,
			@JsonProperty("refreshes_stored") long refreshesStored,
			@JsonProperty("refreshes_superseded") long refreshesSuperseded,
			@JsonProperty("refreshes_failed") long refreshesFailed,
			@JsonProperty("refreshes_skipped") long refreshesSkipped, @JsonProperty("stale_served") long staleServed,
			@JsonProperty("stale_errors") long staleErrors) {

	}

	/**
	 * The near cache and its tracking connection.
	 *
	 * @param trusted whether reads of near-cached caches are answered from the JVM now
	 * @param connected whether the tracking connection is open
	 * @param maxStalenessMs the longest a local hit may lag Redis, in milliseconds
	 * @param lastPingAgeMs how long ago the last answered {@code PING} of the tracking
	 * connection was sent, in milliseconds; {@code null} before the first
	 * @param caches the near-cached caches
	 * @param nearHits reads answered from the JVM, all caches together
	 * @param invalidations invalidations by reason: {@code key} and {@code flush} pushed
	 * by Redis, and the losses of trust ({@code disconnect}, {@code late-ping},
	 * {@code restart}, {@code failover}, {@code demoted}, {@code error})
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record NearCache(boolean trusted, boolean connected, @JsonProperty("max_staleness_ms") long maxStalenessMs,
			@JsonProperty("last_ping_age_ms") @Nullable Double lastPingAgeMs, List<String> caches,
			@JsonProperty("near_hits") long nearHits, Map<String, Long> invalidations) {

	}

}

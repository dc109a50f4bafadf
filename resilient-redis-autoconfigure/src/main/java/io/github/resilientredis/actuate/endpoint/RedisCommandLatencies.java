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

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Source of the latency of Redis commands as seen by this application, by command, for
 * {@code /actuator/redis/stats}.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@FunctionalInterface
public interface RedisCommandLatencies {

	/**
	 * Return the latency of each command sent so far, keyed by command name.
	 * @return the latencies by command
	 */
	Map<String, Latency> describe();

	/**
	 * The latency of one command, in milliseconds.
	 *
	 * @param count commands sent
	 * @param meanMs mean latency
	 * @param maxMs longest latency in the recent window
	 * @param percentilesMs latency at each client-side percentile, keyed {@code p50},
	 * {@code p95}, {@code p99}, ...
	 */
	record Latency(long count, @JsonProperty("mean_ms") double meanMs, @JsonProperty("max_ms") double maxMs,
			@JsonProperty("percentiles_ms") Map<String, Double> percentilesMs) {

	}

}

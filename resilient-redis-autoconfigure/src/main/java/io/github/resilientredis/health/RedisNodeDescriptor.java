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

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A node of a Sentinel or cluster topology and the outcome of a {@code PING} to it, as
 * the health details and {@code /actuator/redis/stats} show it.
 *
 * @param address host and port
 * @param role {@code master}, {@code replica}, {@code sentinel} or {@code unknown}
 * @param reachable whether the node answered the {@code PING} in time
 * @param latencyMs time the node took to answer in milliseconds, {@code null} when it did
 * not
 * @param error why the node did not answer (redacted), {@code null} when it did
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RedisNodeDescriptor(String address, String role, boolean reachable,
		@JsonProperty("latency_ms") @Nullable Double latencyMs, @Nullable String error) {

}

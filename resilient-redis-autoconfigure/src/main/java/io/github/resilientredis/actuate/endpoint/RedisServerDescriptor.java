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

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The figures of the Redis server an operator looks at first, read from the reply to
 * {@code INFO}, as {@code /actuator/redis/stats} shows them under {@code server}. A field
 * the server does not report is {@code null} and left out.
 *
 * @param redisVersion {@code redis_version}
 * @param redisMode {@code redis_mode}
 * @param role {@code role}: {@code master} or {@code slave}
 * @param uptimeInSeconds {@code uptime_in_seconds}
 * @param connectedClients {@code connected_clients}
 * @param blockedClients {@code blocked_clients}
 * @param rejectedConnections {@code rejected_connections}: connections refused at
 * {@code maxclients}
 * @param usedMemoryHuman {@code used_memory_human}
 * @param maxmemory {@code maxmemory} in bytes, 0 for no limit
 * @param maxmemoryHuman {@code maxmemory_human}
 * @param maxmemoryPolicy {@code maxmemory_policy}
 * @param totalCommandsProcessed {@code total_commands_processed}
 * @param instantaneousOpsPerSec {@code instantaneous_ops_per_sec}
 * @param keyspaceHits {@code keyspace_hits}
 * @param keyspaceMisses {@code keyspace_misses}
 * @param evictedKeys {@code evicted_keys}: keys evicted to stay under {@code maxmemory}
 * @param expiredKeys {@code expired_keys}
 * @param hitRate keyspace hits in percent of lookups, {@code null} before the first
 * lookup
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RedisServerDescriptor(@JsonProperty("redis_version") @Nullable String redisVersion,
		@JsonProperty("redis_mode") @Nullable String redisMode, @Nullable String role,
		@JsonProperty("uptime_in_seconds") @Nullable Long uptimeInSeconds,
		@JsonProperty("connected_clients") @Nullable Long connectedClients,
		@JsonProperty("blocked_clients") @Nullable Long blockedClients,
		@JsonProperty("rejected_connections") @Nullable Long rejectedConnections,
		@JsonProperty("used_memory_human") @Nullable String usedMemoryHuman, @Nullable Long maxmemory,
		@JsonProperty("maxmemory_human") @Nullable String maxmemoryHuman,
		@JsonProperty("maxmemory_policy") @Nullable String maxmemoryPolicy,
		@JsonProperty("total_commands_processed") @Nullable Long totalCommandsProcessed,
		@JsonProperty("instantaneous_ops_per_sec") @Nullable Long instantaneousOpsPerSec,
		@JsonProperty("keyspace_hits") @Nullable Long keyspaceHits,
		@JsonProperty("keyspace_misses") @Nullable Long keyspaceMisses,
		@JsonProperty("evicted_keys") @Nullable Long evictedKeys,
		@JsonProperty("expired_keys") @Nullable Long expiredKeys, @JsonProperty("hit_rate") @Nullable Double hitRate) {

}

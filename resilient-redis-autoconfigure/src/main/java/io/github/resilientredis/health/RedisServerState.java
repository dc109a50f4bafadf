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

import java.util.Properties;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.connection.ClusterInfo;

/**
 * What {@code INFO} and {@code CLUSTER INFO} say about whether a Redis that answers a
 * {@code PING} can serve the application: a cluster with slots that no reachable master
 * serves ({@code cluster_state:fail}, commands fail with {@code CLUSTERDOWN}), a server
 * out of memory that refuses writes ({@code maxmemory} reached with
 * {@code maxmemory-policy noeviction}, writes fail with {@code OOM}), or an endpoint that
 * is a replica (writes fail with {@code READONLY}).
 *
 * @author resilient-redis contributors
 */
final class RedisServerState {

	static final String REPLICA = "replica";

	private final @Nullable Properties info;

	private final @Nullable ClusterInfo clusterInfo;

	RedisServerState(RedisProbe.Ping ping) {
		this.info = ping.serverInfo();
		this.clusterInfo = ping.clusterInfo();
	}

	/**
	 * Return the role of the server the application's connection reaches.
	 * @return {@code master} or {@code replica}, {@code null} for a cluster or when
	 * {@code INFO} is unavailable
	 */
	@Nullable String role() {
		String role = (this.info != null && this.clusterInfo == null) ? this.info.getProperty("role") : null;
		return ("slave".equals(role)) ? REPLICA : role;
	}

	/**
	 * Return why Redis cannot serve the application, if {@code INFO} or
	 * {@code CLUSTER INFO} tell.
	 * @return the problem, {@code null} when they tell none
	 */
	RedisProbe.@Nullable Failure problem() {
		if (this.clusterInfo != null && "fail".equalsIgnoreCase(this.clusterInfo.getState())) {
			return new RedisProbe.Failure("cluster_down",
					"cluster_state is fail (" + this.clusterInfo.getSlotsFail() + " slots fail, "
							+ this.clusterInfo.getSlotsPfail() + " possibly failing, " + this.clusterInfo.getSlotsOk()
							+ " ok): commands for slots without a reachable master fail with CLUSTERDOWN");
		}
		if (isOutOfMemory()) {
			return new RedisProbe.Failure("oom",
					"used_memory " + property("used_memory_human") + " is above maxmemory "
							+ property("maxmemory_human") + " and maxmemory-policy is noeviction: "
							+ "Redis refuses writes with OOM");
		}
		if (REPLICA.equals(role())) {
			return new RedisProbe.Failure(REPLICA,
					"the configured endpoint is a replica of " + property("master_host") + ":" + property("master_port")
							+ " (master_link_status " + property("master_link_status")
							+ "): writes fail with READONLY; point the application at the primary or use Sentinel");
		}
		return null;
	}

	private boolean isOutOfMemory() {
		if (this.info == null || !"noeviction".equals(this.info.getProperty("maxmemory_policy"))) {
			return false;
		}
		long maxmemory = longValue("maxmemory");
		// As Redis decides: replication and AOF buffers do not count against maxmemory
		long counted = longValue("used_memory") - longValue("mem_not_counted_for_evict");
		return maxmemory > 0 && counted > maxmemory;
	}

	/**
	 * Add the role and, for a cluster, its state and slots, with Spring Boot's detail
	 * names.
	 * @param builder the health builder
	 */
	void details(Health.Builder builder) {
		String role = role();
		if (role != null) {
			builder.withDetail("role", role);
		}
		if (this.clusterInfo != null) {
			withDetail(builder, "cluster_state", this.clusterInfo.getState());
			withDetail(builder, "cluster_size", this.clusterInfo.getClusterSize());
			withDetail(builder, "slots_up", this.clusterInfo.getSlotsOk());
			withDetail(builder, "slots_fail", this.clusterInfo.getSlotsFail());
		}
		if (isOutOfMemory()) {
			builder.withDetail("used_memory", longValue("used_memory"));
			builder.withDetail("maxmemory", longValue("maxmemory"));
			builder.withDetail("maxmemory_policy", property("maxmemory_policy"));
		}
	}

	private static void withDetail(Health.Builder builder, String key, @Nullable Object value) {
		if (value != null) {
			builder.withDetail(key, value);
		}
	}

	private String property(String key) {
		return (this.info != null) ? this.info.getProperty(key, "?") : "?";
	}

	private long longValue(String key) {
		try {
			return Long.parseLong(property(key).trim());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}

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

import java.time.Duration;
import java.util.Properties;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.connection.ClusterInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisServerState}.
 *
 * @author resilient-redis contributors
 */
class RedisServerStateTests {

	@Test
	void whenANoevictionServerIsAboveMaxmemoryThenItRefusesWrites() {
		RedisProbe.Failure problem = state(info("maxmemory", "1048576", "maxmemory_policy", "noeviction", "used_memory",
				"1048577", "used_memory_human", "1.00M", "maxmemory_human", "1.00M"), null)
			.problem();
		assertThat(problem).isNotNull();
		assertThat(problem.type()).isEqualTo("oom");
		assertThat(problem.message()).isEqualTo("used_memory 1.00M is above maxmemory 1.00M and "
				+ "maxmemory-policy is noeviction: Redis refuses writes with OOM");
	}

	@Test
	void replicationAndAofBuffersDoNotCountAgainstMaxmemoryAsRedisDecides() {
		assertThat(state(info("maxmemory", "1000", "maxmemory_policy", "noeviction", "used_memory", "1500",
				"mem_not_counted_for_evict", "600"), null)
			.problem()).isNull();
	}

	@Test
	void whenTheServerEvictsOrHasNoMaxmemoryThenItIsNotOutOfMemory() {
		assertThat(state(info("maxmemory", "1000", "maxmemory_policy", "allkeys-lru", "used_memory", "5000"), null)
			.problem()).isNull();
		assertThat(
				state(info("maxmemory", "0", "maxmemory_policy", "noeviction", "used_memory", "5000"), null).problem())
			.isNull();
	}

	@Test
	void whenTheEndpointIsAReplicaThenTheRoleIsReplicaAndWritesFailWithReadonly() {
		RedisServerState state = state(
				info("role", "slave", "master_host", "10.0.0.7", "master_port", "6379", "master_link_status", "up"),
				null);
		assertThat(state.role()).isEqualTo("replica");
		assertThat(state.problem()).isNotNull().satisfies((problem) -> {
			assertThat(problem.type()).isEqualTo("replica");
			assertThat(problem.message()).startsWith("the configured endpoint is a replica of 10.0.0.7:6379 "
					+ "(master_link_status up): writes fail with READONLY");
		});
		Health.Builder builder = Health.up();
		state.details(builder);
		assertThat(builder.build().getDetails()).containsEntry("role", "replica");
	}

	@Test
	void whenAClusterHasSlotsWithoutAMasterThenItIsDownWithBootsDetailNames() {
		RedisServerState state = state(null, new ClusterInfo(info("cluster_state", "fail", "cluster_slots_ok", "10923",
				"cluster_slots_pfail", "0", "cluster_slots_fail", "5461", "cluster_size", "3")));
		assertThat(state.role()).isNull();
		assertThat(state.problem()).isNotNull()
			.satisfies((problem) -> assertThat(problem.toString())
				.isEqualTo("cluster_down: cluster_state is fail (5461 slots fail, 0 possibly failing, 10923 ok): "
						+ "commands for slots without a reachable master fail with CLUSTERDOWN"));
		Health.Builder builder = Health.up();
		state.details(builder);
		assertThat(builder.build().getDetails()).containsEntry("cluster_state", "fail")
			.containsEntry("cluster_size", 3L)
			.containsEntry("slots_up", 10923L)
			.containsEntry("slots_fail", 5461L);
	}

	@Test
	void whenAClusterIsOkThenThereIsNoProblemAndNoRoleFromTheAggregatedInfo() {
		RedisServerState state = state(info("127.0.0.1:7000.role", "master"),
				new ClusterInfo(info("cluster_state", "ok")));
		assertThat(state.problem()).isNull();
		assertThat(state.role()).isNull();
	}

	@Test
	void whenInfoIsUnavailableThenNothingIsClaimed() {
		RedisServerState state = state(null, null);
		assertThat(state.problem()).isNull();
		assertThat(state.role()).isNull();
	}

	private static RedisServerState state(@Nullable Properties info, @Nullable ClusterInfo clusterInfo) {
		return new RedisServerState(
				new RedisProbe.Ping(System.nanoTime(), Duration.ofMillis(1), null, info, null, clusterInfo));
	}

	private static Properties info(String... pairs) {
		Properties info = new Properties();
		for (int i = 0; i < pairs.length; i += 2) {
			info.setProperty(pairs[i], pairs[i + 1]);
		}
		return info;
	}

}

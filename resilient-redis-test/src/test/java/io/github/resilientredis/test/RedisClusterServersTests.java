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

package io.github.resilientredis.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link RedisClusterServers}, against the real {@code redis-server}.
 *
 * @author resilient-redis contributors
 */
class RedisClusterServersTests {

	@Test
	void slotIsComputedAsRedisDoes() {
		// Values from the Redis Cluster specification and CLUSTER KEYSLOT
		assertThat(RedisClusterServers.slot("123456789")).isEqualTo(12739);
		assertThat(RedisClusterServers.slot("foo")).isEqualTo(12182);
		assertThat(RedisClusterServers.slot("{user1000}.following"))
			.isEqualTo(RedisClusterServers.slot("{user1000}.followers"))
			.isEqualTo(RedisClusterServers.slot("user1000"));
	}

	@Test
	void startsThreeMastersWithAReplicaEachThatTakesOverAKilledMasterAndRestartsWhenAllAreKilled() {
		assumeTrue(RedisClusterServers.isSupported(), "a cluster needs redis-server and redis-cli on the PATH");
		RedisClusterServers cluster = RedisClusterServers.start();
		try (cluster) {
			assertThat(cluster.nodes()).hasSize(6);
			assertThat(cluster.masters()).hasSize(3);
			assertThat(cluster.isHealthy()).isTrue();
			int slot = RedisClusterServers.slot("foo");
			RedisServer master = cluster.masterOf(slot);
			assertThat(master.execute("CLUSTER", "KEYSLOT", "foo")).isEqualTo(String.valueOf(slot));
			assertThat(cluster.springProperties()).singleElement()
				.asString()
				.startsWith("spring.data.redis.cluster.nodes=127.0.0.1:");
			assertThat(cluster.killMaster(slot)).isSameAs(master);
			await().atMost(Duration.ofSeconds(15)).until(cluster::isHealthy);
			assertThat(cluster.masterOf(slot)).isNotSameAs(master);
			cluster.killAll();
			assertThat(cluster.nodes()).noneMatch((node) -> node.process().isAlive());
			cluster.restartAll();
			assertThat(cluster.masters()).hasSize(3);
		}
		assertThat(cluster.nodes()).noneMatch((node) -> node.process().isAlive());
	}

}

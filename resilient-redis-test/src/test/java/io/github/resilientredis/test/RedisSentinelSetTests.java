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
 * Tests for {@link RedisSentinelSet}, against the real {@code redis-server}.
 *
 * @author resilient-redis contributors
 */
class RedisSentinelSetTests {

	@Test
	void startsAMasterAReplicaAndThreeSentinelsThatFailOverAKilledMaster() {
		assumeTrue(RedisSentinelSet.isSupported(), "a Sentinel set needs redis-server on the PATH");
		RedisSentinelSet set = RedisSentinelSet.builder().masterName("cache").start();
		try (set) {
			RedisServer initial = set.master();
			assertThat(set.masterName()).isEqualTo("cache");
			assertThat(set.dataNodes()).hasSize(2).first().isSameAs(initial);
			assertThat(set.sentinels()).hasSize(3);
			assertThat(initial.execute("INFO", "replication")).contains("role:master", "connected_slaves:1");
			assertThat(set.springProperties()).containsExactly("spring.data.redis.sentinel.master=cache",
					"spring.data.redis.sentinel.nodes=" + String.join(",",
							set.sentinels().stream().map((sentinel) -> "127.0.0.1:" + sentinel.port()).toList()));
			assertThat(set.url()).startsWith("redis-sentinel://127.0.0.1:").endsWith("#cache");
			assertThat(set.killMaster()).isSameAs(initial);
			await().atMost(Duration.ofSeconds(15)).until(() -> set.master() != initial);
			assertThat(set.master().execute("INFO", "replication")).contains("role:master");
		}
		assertThat(set.dataNodes()).noneMatch((node) -> node.process().isAlive());
		assertThat(set.sentinels()).noneMatch((sentinel) -> sentinel.process().isAlive());
	}

}

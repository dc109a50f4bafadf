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

import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisServerStatistics}.
 *
 * @author resilient-redis contributors
 */
class RedisServerStatisticsTests {

	@Test
	void whenServerHasNoMaxmemoryThenAdvisoriesSaySoAndNotNoeviction() {
		RedisServerStatistics statistics = statistics("maxmemory", "0", "maxmemory_policy", "noeviction");
		assertThat(statistics.advisories()).singleElement().asString().startsWith("Redis has no maxmemory");
	}

	@Test
	void whenServerEvictsNothingUnderMaxmemoryThenAdvisoriesRecommendAnAllkeysPolicy() {
		assertThat(statistics("maxmemory", "1024", "maxmemory_policy", "noeviction").advisories()).singleElement()
			.asString()
			.contains("Use allkeys-lru or allkeys-lfu");
	}

	@Test
	void whenServerIsHealthyThenThereIsNoAdvice() {
		assertThat(statistics("maxmemory", "1024", "maxmemory_policy", "allkeys-lru", "role", "master", "keyspace_hits",
				"900", "keyspace_misses", "100")
			.advisories()).isEmpty();
	}

	@Test
	void whenMostLookupsMissThenAdvisoriesSayTheHitRate() {
		assertThat(statistics("keyspace_hits", "100", "keyspace_misses", "900").advisories())
			.anyMatch((advice) -> advice.startsWith("The keyspace hit rate is 10.0%"));
	}

	@Test
	void whenConnectedToAReplicaOrRejectingConnectionsThenAdvisoriesSaySo() {
		assertThat(statistics("role", "slave", "rejected_connections", "3").advisories()).hasSize(2)
			.anyMatch((advice) -> advice.contains("READONLY"))
			.anyMatch((advice) -> advice.startsWith("Redis rejected 3 connections"));
	}

	@Test
	void describeKeepsTheOperatorFieldsAsNumbersAndAddsTheHitRate() {
		RedisServerDescriptor server = statistics("connected_clients", "7", "used_memory_human", "1.00M",
				"keyspace_hits", "3", "keyspace_misses", "1", "os", "Linux")
			.describe();
		assertThat(server.connectedClients()).isEqualTo(7L);
		assertThat(server.usedMemoryHuman()).isEqualTo("1.00M");
		assertThat(server.hitRate()).isEqualTo(75.0);
		assertThat(server.maxmemory()).as("not in INFO").isNull();
	}

	private static RedisServerStatistics statistics(String... pairs) {
		Properties info = new Properties();
		for (int i = 0; i < pairs.length; i += 2) {
			info.setProperty(pairs[i], pairs[i + 1]);
		}
		return new RedisServerStatistics(info);
	}

}

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
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link RedisTopology}.
 *
 * @author resilient-redis contributors
 */
class RedisTopologyTests {

	@Test
	void whenTheFactoryIsConfiguredForAClusterThenTheModeIsCluster() {
		assertThat(mode(new LettuceConnectionFactory(new RedisClusterConfiguration(List.of("localhost:7000")))))
			.isEqualTo("cluster");
	}

	@Test
	void whenTheFactoryIsConfiguredForSentinelThenTheModeIsSentinel() {
		assertThat(mode(new LettuceConnectionFactory(
				new RedisSentinelConfiguration().master("mymaster").sentinel("localhost", 26379))))
			.isEqualTo("sentinel");
	}

	@Test
	void whenTheFactoryIsConfiguredForOneServerThenTheModeIsStandaloneAndThereIsNoNodeList() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration());
		try (RedisTopology topology = topology(factory)) {
			assertThat(topology.mode()).isEqualTo("standalone");
			assertThat(topology.nodes()).isNull();
		}
	}

	@Test
	void whenTheFactoryIsNotLettuceThenNeitherModeNorNodesAreKnown() {
		try (RedisTopology topology = topology(mock(RedisConnectionFactory.class))) {
			assertThat(topology.mode()).isNull();
			assertThat(topology.nodes()).isNull();
		}
	}

	@Test
	void whenANodeDoesNotAnswerThenItIsUnreachableWithTheRedactedErrorAndNoLatency() {
		RedisTopology.Node node = RedisTopology.Node.unprobed("10.0.0.1:6379", "replica")
			.failed(new RedisProbe.Failure("timeout", "no answer to PING within 500 ms"));
		assertThat(node.describe()).isEqualTo(new RedisNodeDescriptor("10.0.0.1:6379", "replica", false, null,
				"timeout: no answer to PING within 500 ms"));
	}

	@Test
	void whenANodeAnswersThenItIsReachableWithItsLatencyInMilliseconds() {
		RedisTopology.Node node = RedisTopology.Node.unprobed("10.0.0.1:6379", "master")
			.answered(Duration.ofNanos(1_234_567));
		assertThat(node.describe()).isEqualTo(new RedisNodeDescriptor("10.0.0.1:6379", "master", true, 1.23, null));
	}

	@Test
	void aNodeIsWrittenInJsonWithSnakeCaseKeysAndWithoutWhatItDoesNotHave() {
		JsonMapper json = JsonMapper.builder().build();
		assertThat(json.writeValueAsString(new RedisNodeDescriptor("10.0.0.1:6379", "master", true, 1.23, null)))
			.isEqualTo("{\"address\":\"10.0.0.1:6379\",\"role\":\"master\",\"reachable\":true,\"latency_ms\":1.23}");
		assertThat(json
			.writeValueAsString(new RedisNodeDescriptor("10.0.0.1:6379", "replica", false, null, "timeout: no answer")))
			.isEqualTo("{\"address\":\"10.0.0.1:6379\",\"role\":\"replica\",\"reachable\":false,"
					+ "\"error\":\"timeout: no answer\"}");
	}

	private static String mode(LettuceConnectionFactory factory) {
		try (RedisTopology topology = topology(factory)) {
			return topology.mode();
		}
	}

	private static RedisTopology topology(RedisConnectionFactory factory) {
		return new RedisTopology(factory, Duration.ofMillis(500),
				(ex, command) -> new RedisProbe.Failure("error", String.valueOf(ex)));
	}

}

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

package io.github.resilientredis.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link RedisTopologyUrl}.
 *
 * @author resilient-redis contributors
 */
class RedisTopologyUrlTests {

	@Test
	void whenUrlNamesOneServerThenItIsLeftToSpringBoot() {
		assertThat(RedisTopologyUrl.springProperties("REDIS_URL", "redis://user:p@ss@redis:6379/1")).isNull();
		assertThat(RedisTopologyUrl.springProperties("REDIS_URL", "rediss://redis")).isNull();
		assertThat(RedisTopologyUrl.springProperties("REDIS_URL", "localhost:6379")).isNull();
	}

	@Test
	void whenSentinelUrlHasNoPortsThenTheSentinelPortIsUsed() {
		assertThat(RedisTopologyUrl.springProperties("REDIS_URL", "redis-sentinel://s1,s2,[::1]#mymaster"))
			.containsExactly(entry("spring.data.redis.sentinel.master", "mymaster"),
					entry("spring.data.redis.sentinel.nodes", "s1:26379,s2:26379,[::1]:26379"));
	}

	@Test
	void whenSentinelUrlUsesTlsAndCredentialsThenTheyApplyToTheDataNodes() {
		Map<String, String> properties = RedisTopologyUrl.springProperties("REDIS_URL",
				"rediss-sentinel://app:p%40ss%3Aword@s1:5000/0#cache");
		assertThat(properties).containsEntry("spring.data.redis.sentinel.nodes", "s1:5000")
			.containsEntry("spring.data.redis.database", "0")
			.containsEntry("spring.data.redis.username", "app")
			.containsEntry("spring.data.redis.password", "p@ss:word")
			.containsEntry("spring.data.redis.ssl.enabled", "true");
	}

	@Test
	void whenUrlListsSeveralNodesThenItIsACluster() {
		assertThat(RedisTopologyUrl.springProperties("REDIS_URL", "redis://:secret@n1:7000,n2:7001")).containsExactly(
				entry("spring.data.redis.cluster.nodes", "n1:7000,n2:7001"),
				entry("spring.data.redis.password", "secret"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "redis-sentinel://:hunter2@s1:26379|has no master name",
					"redis-sentinel://:hunter2@s1:26379?sentinelMasterId=m#m|has a query",
					"redis-sentinel://:hunter2@s1:99999#m|port is not a number from 1 to 65535",
					"redis-sentinel://:hunter2@s1:x#m|port is not a number from 1 to 65535",
					"redis-sentinel://:hunter2@s1,,s2#m|node without a host",
					"redis-sentinel://:hunter2@/0#m|has no host", "redis-sentinel://:hunter2@s1/x#m|database index",
					"redis://:hunter2@n1:7000,n2:7001/3|a cluster has only database 0",
					"redis://:hunter2@n1:7000,n2:7001#x|has a fragment",
					"redis://:hunter2@n1:7000, n2:7001|contains whitespace",
					"redis://%zz:hunter2@n1:7000,n2:7001|percent-encode reserved characters",
					"redis-sentinel://a@b:hunter2@s1,s2#m|percent-encode reserved characters" })
	void whenTopologyUrlIsInvalidThenFailureNamesTheSettingAndHidesThePassword(String url, String reason) {
		assertThatExceptionOfType(InvalidRedisConfigurationException.class)
			.isThrownBy(() -> RedisTopologyUrl.springProperties("REDIS_URL", url))
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).isEqualTo("REDIS_URL");
				assertThat(ex.getReason()).contains(reason);
				assertThat(ex.getMessage() + ex.getExample()).doesNotContain("hunter2");
			});
	}

}

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

import io.github.resilientredis.execution.RedisErrorClassifier;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * Tests for the reuse of results by {@link RedisProbe}.
 *
 * @author resilient-redis contributors
 */
class RedisProbeTests {

	private final RedisConnectionFactory connectionFactory = mock(RedisConnectionFactory.class);

	RedisProbeTests() {
		RedisConnection connection = mock(RedisConnection.class);
		given(this.connectionFactory.getConnection()).willReturn(connection);
	}

	@Test
	void whenAResultIsRecentThenHealthChecksReuseItAndTheEndpointProbesAfresh() throws Exception {
		RedisProbe probe = probe(Duration.ofHours(1));
		try {
			RedisProbe.Ping first = probe.ping();
			assertThat(first.isReachable()).isTrue();
			assertThat(probe.ping()).isSameAs(first);
			assertThat(probe.check(false).ping()).isSameAs(first);
			verify(this.connectionFactory, times(1)).getConnection();
			assertThat(probe.check(true).ping()).isNotSameAs(first);
			verify(this.connectionFactory, times(2)).getConnection();
		}
		finally {
			probe.destroy();
		}
	}

	@Test
	void whenTheCacheTimeIsZeroThenEveryCheckProbes() throws Exception {
		RedisProbe probe = probe(Duration.ZERO);
		try {
			probe.ping();
			probe.ping();
			verify(this.connectionFactory, times(2)).getConnection();
		}
		finally {
			probe.destroy();
		}
	}

	private RedisProbe probe(Duration cacheTime) {
		return new RedisProbe(this.connectionFactory, Duration.ofSeconds(10), cacheTime, new RedisErrorClassifier());
	}

}

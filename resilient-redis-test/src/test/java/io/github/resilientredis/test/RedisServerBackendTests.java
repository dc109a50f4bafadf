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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the choice of a {@link RedisServer.Backend}.
 *
 * @author resilient-redis contributors
 */
class RedisServerBackendTests {

	@Test
	void whenLocalBackendIsChosenThenRedisServerFromPathIsUsed() {
		try (RedisServer redis = RedisServer.builder().backend(RedisServer.Backend.LOCAL).start()) {
			assertThat(redis.process()).isInstanceOf(LocalRedisProcess.class);
			assertThat(redis.toString()).startsWith("RedisServer[local 127.0.0.1:");
		}
	}

	@Test
	void whenIsolatedNetworkIsRequestedWithContainerThenStartFails() {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> RedisServer.builder().backend(RedisServer.Backend.CONTAINER).isolatedNetwork().start())
			.withMessageContaining("LOCAL backend");
	}

	@Test
	void whenServerCannotStartThenExceptionShowsItsLog() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> RedisServer.builder()
				.backend(RedisServer.Backend.LOCAL)
				.config("no-such-directive", "yes")
				.start())
			.withMessageContaining("Redis exited during startup")
			.withMessageContaining("no-such-directive");
	}

}

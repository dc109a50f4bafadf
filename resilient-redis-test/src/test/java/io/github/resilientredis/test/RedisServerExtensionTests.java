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

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisServerExtension}.
 *
 * @author resilient-redis contributors
 */
@ExtendWith(RedisServerExtension.class)
class RedisServerExtensionTests {

	private final RedisServer constructorInjected;

	RedisServerExtensionTests(RedisServer redis) {
		this.constructorInjected = redis;
	}

	@Test
	void serverIsInjectedAndRunning(RedisServer redis) throws IOException {
		assertThat(redis).isSameAs(this.constructorInjected);
		try (RawConnection connection = RawConnection.open(redis, Duration.ofSeconds(5))) {
			assertThat(connection.command("PING")).isEqualTo("+PONG");
		}
	}

	@Nested
	class NestedTests {

		@Test
		void nestedClassSharesTheServer(RedisServer redis) {
			assertThat(redis).isSameAs(RedisServerExtensionTests.this.constructorInjected);
			assertThat(redis.execute("PING")).isEqualTo("PONG");
		}

	}

}

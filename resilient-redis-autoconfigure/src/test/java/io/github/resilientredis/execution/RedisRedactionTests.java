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

package io.github.resilientredis.execution;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisRedaction}.
 *
 * @author resilient-redis contributors
 */
class RedisRedactionTests {

	@Test
	void whenUrlHasUserAndPasswordThenPasswordIsMasked() {
		assertThat(RedisRedaction.redact("Cannot connect to redis://default:secret@host:6379"))
			.isEqualTo("Cannot connect to redis://default:****@host:6379");
	}

	@Test
	void whenUrlHasPasswordWithoutUserThenPasswordIsMasked() {
		assertThat(RedisRedaction.redact("redis://:secret@host")).isEqualTo("redis://:****@host");
	}

	@Test
	void whenUserInfoHasNoColonThenWholeUserInfoIsMasked() {
		assertThat(RedisRedaction.redact("redis://secret@host:6379/0")).isEqualTo("redis://****@host:6379/0");
	}

	@Test
	void whenPasswordContainsAtSignThenWholePasswordIsMasked() {
		assertThat(RedisRedaction.redact("rediss://user:p@ss@host:6380/1")).isEqualTo("rediss://user:****@host:6380/1");
	}

	@Test
	void whenTextHasSeveralUrlsThenEveryPasswordIsMasked() {
		assertThat(RedisRedaction.redact("from REDISS://a:one@h1 to redis-sentinel://:two@h2:26379,h3:26379#mymaster"))
			.isEqualTo("from REDISS://a:****@h1 to redis-sentinel://:****@h2:26379,h3:26379#mymaster");
	}

	@Test
	void whenUrlHasNoUserInfoThenTextIsUnchanged() {
		assertThat(RedisRedaction.redact("Unable to connect to redis://host:6379 (ops@example.com)"))
			.isEqualTo("Unable to connect to redis://host:6379 (ops@example.com)");
	}

	@Test
	void whenTextIsNullThenResultIsEmpty() {
		assertThat(RedisRedaction.redact(null)).isEmpty();
	}

}

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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link RedisUrlValidator}.
 *
 * @author resilient-redis contributors
 */
class RedisUrlValidatorTests {

	@ParameterizedTest
	@ValueSource(strings = { "redis://localhost", "redis://localhost:6379", "rediss://cache.example.com:6380",
			"redis://user:p%40ss@host:1/15", "redis://:password@host/0", "REDIS://host", "redis://[::1]:6379",
			"redis://10.0.0.1/" })
	void whenUrlIsValidThenItPasses(String url) {
		assertThatNoException().isThrownBy(() -> RedisUrlValidator.validate("REDIS_URL", url));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "redis://localhost|redis://localhost:6379", "rediss://u:p@h/2|rediss://u:p@h:6379/2",
					"redis://[::1]/0|redis://[::1]:6379/0", "redis://h:6380/1|redis://h:6380/1",
					"redis://redis/0|redis://redis:6379/0", "rediss://:pw@rediss|rediss://:pw@rediss:6379",
					"REDIS://Host:1/2|redis://Host:1/2" })
	void whenUrlHasNoPortThenDefaultPortIsMadeExplicit(String url, String expected) {
		assertThat(RedisUrlValidator.withDefaultPort(url)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "''|is empty", "' redis://host'|contains whitespace", "'redis://ho st'|contains whitespace",
					"http://user:hunter2@host|scheme 'http'", "localhost:6379|scheme 'localhost'",
					"redis://|has no host", "redis://user:hunter2@:6379|has no host",
					"redis://host:0|port outside 1-65535", "redis://host:65536|port outside 1-65535",
					"redis://user:hunter2@host:abc|port that is not a number",
					"redis://host:|port that is not a number", "redis://host/db1|database index",
					"redis://host/-1|database index", "redis://host?timeout=1|query or fragment",
					"redis://us%zzer:hunter2@host|user name or password", "redis://[::1|closing bracket for IPv6" })
	void whenUrlIsInvalidThenFailureSaysWhyWithoutThePassword(String url, String reason) {
		assertThatExceptionOfType(InvalidRedisConfigurationException.class)
			.isThrownBy(() -> RedisUrlValidator.validate("REDIS_URL", url))
			.withMessageStartingWith("REDIS_URL is invalid")
			.withMessageContaining(reason)
			.withMessageNotContaining("hunter2");
	}

}

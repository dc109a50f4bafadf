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

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link RedisServer#springProperties()} connect Spring Boot's Redis
 * auto-configuration with Lettuce.
 *
 * @author resilient-redis contributors
 */
class RedisServerSpringPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, SslAutoConfiguration.class));

	@Test
	void whenServerHasAclUserThenTemplateAuthenticatesAsThatUser() {
		try (RedisServer redis = RedisServer.builder().user("app", "p@ss word").start()) {
			this.contextRunner.withPropertyValues(redis.springProperties()).run((context) -> {
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				template.opsForValue().set("key", "value");
				assertThat(redis.execute("GET", "key")).isEqualTo("value");
				assertThat(redis.execute("CLIENT", "LIST")).contains("user=app");
			});
		}
	}

	@Test
	void whenServerUsesTlsThenTemplateTrustsTheGeneratedCa() {
		try (RedisServer redis = RedisServer.builder().tls().password("secret").start()) {
			this.contextRunner.withPropertyValues(redis.springProperties()).run((context) -> {
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				template.opsForValue().set("key", "over-tls");
				assertThat(redis.execute("GET", "key")).isEqualTo("over-tls");
			});
		}
	}

	@Test
	void whenUrlIsUsedThenTemplateConnects() {
		try (RedisServer redis = RedisServer.builder().password("p@ss:word").start()) {
			this.contextRunner.withPropertyValues("spring.data.redis.url=" + redis.url()).run((context) -> {
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				template.opsForValue().set("key", "via-url");
				assertThat(redis.execute("GET", "key")).isEqualTo("via-url");
			});
		}
	}

}

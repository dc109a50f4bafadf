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

package io.github.resilientredis.sample;

import io.github.resilientredis.connection.RedisTransport;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the sample application starts with the starter against a real Redis.
 *
 * @author resilient-redis contributors
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SampleApplicationTests {

	static final RedisServer redis = RedisServer.start();

	@Autowired
	private StringRedisTemplate template;

	@Autowired
	private RedisCommandExecutor executor;

	@Autowired
	private RedisTransport transport;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.applyTo(registry);
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void whenStarterIsOnTheClasspathThenRedisWorksThroughTheExecutor() {
		this.executor.execute(() -> {
			this.template.opsForValue().set("greeting", "hello");
			return null;
		});
		assertThat(this.executor.executeIdempotent(() -> this.template.opsForValue().get("greeting")))
			.isEqualTo("hello");
	}

	@Test
	@EnabledOnOs(value = OS.LINUX, architectures = "amd64")
	void whenStarterRunsOnLinuxX86ThenTheBundledEpollTransportIsInForce() {
		assertThat(this.transport).isEqualTo(RedisTransport.EPOLL);
	}

}

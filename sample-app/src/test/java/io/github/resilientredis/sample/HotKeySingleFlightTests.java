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

import java.util.Map;

import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot key scenario with {@code resilient.redis.cache.single-flight.enabled=true}: one
 * database call per expiry across the instances, against a real Redis.
 *
 * @author resilient-redis contributors
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "resilient.redis.cache.single-flight.enabled=true", "sample.hot-key.database-latency=1s" })
class HotKeySingleFlightTests {

	static final RedisServer redis = RedisServer.start();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.applyTo(registry);
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void whenTheHotKeyExpiresWithSingleFlightThenOneInstanceLoadsItForAll() {
		SampleHttp http = new SampleHttp("http://localhost:" + this.port);
		for (int expiry = 0; expiry < 3; expiry++) {
			JsonNode result = http.post("/api/hot-key/stampede", Map.of()).json();
			assertThat(result.path("singleFlight").asBoolean()).isTrue();
			assertThat(result.path("failed").asInt()).isZero();
			assertThat(result.path("databaseCalls").asLong()).isEqualTo(1);
		}
		JsonNode hotKey = http.get("/api/status").json().path("hotKey");
		assertThat(hotKey.path("singleFlight").asBoolean()).isTrue();
		assertThat(hotKey.path("databaseCalls").asLong()).isEqualTo(3);
	}

}

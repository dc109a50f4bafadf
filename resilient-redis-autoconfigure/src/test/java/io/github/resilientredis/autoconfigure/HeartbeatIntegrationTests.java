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

import java.time.Duration;

import io.github.resilientredis.connection.HeartbeatNettyCustomizer;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the heartbeat against a real {@code redis-server} behind a silent
 * partition: packets are dropped without any reset, as in a cloud network failure or a
 * middlebox that forgot an idle connection.
 *
 * @author resilient-redis contributors
 */
class HeartbeatIntegrationTests {

	private RedisServer server;

	@BeforeEach
	void startServer() {
		assumeThat(RedisServer.isBlackholeSupported())
			.as("silent partitions need Linux, root, iproute2 and network namespaces")
			.isTrue();
		this.server = RedisServer.builder().isolatedNetwork().start();
	}

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void whenNetworkSilentlyDropsPacketsThenHeartbeatClosesTheDeadConnectionAndRecoversAfterHeal() {
		contextRunner("resilient.redis.heartbeat.enabled=true").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			HeartbeatNettyCustomizer heartbeat = context.getBean(HeartbeatNettyCustomizer.class);
			redis.opsForValue().set("greeting", "hello");
			this.server.blackhole();
			try {
				// Nothing tells TCP the peer is gone; the heartbeat notices within
				// interval + timeout and closes the connection, so callers fail fast.
				await().atMost(Duration.ofSeconds(5)).until(() -> heartbeat.getHeartbeatFailures() > 0);
				long started = System.nanoTime();
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> redis.opsForValue().get("greeting"));
				// Half the 500 ms command timeout that a command on the dead connection
				// would wait
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(250));
			}
			finally {
				this.server.heal();
			}
			await().atMost(Duration.ofSeconds(5))
				.ignoreExceptions()
				.until(() -> "hello".equals(redis.opsForValue().get("greeting")));
		});
	}

	@Test
	void whenHeartbeatIsOffThenADeadConnectionStaysOpenAndEveryCallWaitsForTheTimeout() {
		contextRunner("resilient.redis.heartbeat.enabled=false").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("greeting", "hello");
			this.server.blackhole();
			try {
				for (int i = 0; i < 3; i++) {
					long started = System.nanoTime();
					assertThatExceptionOfType(DataAccessException.class)
						.isThrownBy(() -> redis.opsForValue().get("greeting"));
					assertThat(Duration.ofNanos(System.nanoTime() - started))
						.isGreaterThanOrEqualTo(Duration.ofMillis(400));
				}
			}
			finally {
				this.server.heal();
			}
		});
	}

	private ApplicationContextRunner contextRunner(String heartbeat) {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.withPropertyValues(this.server.springProperties())
			.withPropertyValues(heartbeat, "resilient.redis.heartbeat.interval=1s",
					"resilient.redis.heartbeat.timeout=500ms", "spring.data.redis.timeout=500ms",
					"spring.data.redis.connect-timeout=500ms");
	}

}

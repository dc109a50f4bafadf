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

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link RedisCommandExecutor} against a real {@code redis-server}
 * that is killed and restarted.
 *
 * @author resilient-redis contributors
 */
class RedisCommandExecutorIntegrationTests {

	private static final Duration WAIT_IN_OPEN_STATE = Duration.ofSeconds(1);

	@TempDir
	private Path directory;

	private RedisServer server;

	private ClientResources clientResources;

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	private final RedisErrorClassifier classifier = new RedisErrorClassifier();

	private final CircuitBreaker circuitBreaker = CircuitBreaker.of("redis",
			RedisCommandExecutor.circuitBreakerConfig(this.classifier)
				.failureRateThreshold(50)
				.slidingWindowSize(4)
				.minimumNumberOfCalls(4)
				.waitDurationInOpenState(WAIT_IN_OPEN_STATE)
				.permittedNumberOfCallsInHalfOpenState(1)
				.build());

	private final RedisCommandExecutor executor = new RedisCommandExecutor(this.circuitBreaker, Retry.of("redis",
			RedisCommandExecutor.retryConfig(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(500))),
			this.classifier);

	@BeforeEach
	void startRedisAndConnect() throws IOException {
		this.server = new RedisServer(freePort(), this.directory);
		this.server.start();
		this.clientResources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();
		LettuceClientConfiguration clientConfiguration = LettuceClientConfiguration.builder()
			.clientResources(this.clientResources)
			.clientOptions(ClientOptions.builder().disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS).build())
			.commandTimeout(Duration.ofMillis(300))
			.build();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", this.server.port), clientConfiguration);
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis = new StringRedisTemplate(this.connectionFactory);
	}

	@AfterEach
	void disconnectAndKillRedis() {
		this.connectionFactory.destroy();
		this.clientResources.shutdown(0, 1, TimeUnit.SECONDS);
		this.server.kill();
	}

	@Test
	void whenRedisIsKilledThenCallsFailWithRedisUnavailableAndBreakerOpensAndAfterRestartItCloses() {
		this.redis.opsForValue().set("greeting", "hello");
		assertThat(this.executor.executeIdempotent("GET greeting", () -> this.redis.opsForValue().get("greeting")))
			.isEqualTo("hello");

		this.server.kill();
		assertThatExceptionOfType(RedisUnavailableException.class).isThrownBy(this::ping)
			.satisfies((ex) -> assertThat(ex.getCause()).isNotInstanceOf(CallNotPermittedException.class));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThatExceptionOfType(RedisUnavailableException.class).isThrownBy(this::ping);
			assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		});
		assertThatExceptionOfType(RedisUnavailableException.class).isThrownBy(this::ping)
			.withCauseInstanceOf(CallNotPermittedException.class);

		this.server.start();
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptionsInstanceOf(RedisUnavailableException.class)
			.untilAsserted(() -> {
				assertThat(ping()).isEqualTo("PONG");
				assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			});
	}

	private @Nullable String ping() {
		return this.executor.executeIdempotent("PING", () -> this.redis.execute(RedisConnection::ping));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
	}

	/**
	 * A {@code redis-server} process without persistence on a fixed port.
	 */
	private static final class RedisServer {

		private final int port;

		private final Path directory;

		private @Nullable Process process;

		RedisServer(int port, Path directory) {
			this.port = port;
			this.directory = directory;
		}

		void start() {
			Path log = this.directory.resolve("redis-" + System.nanoTime() + ".log");
			try {
				this.process = new ProcessBuilder("redis-server", "--port", String.valueOf(this.port), "--bind",
						"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString())
					.redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot start redis-server", ex);
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Files.exists(log) && Files.readString(log).contains("Ready to accept connections"));
		}

		void kill() {
			Process process = this.process;
			if (process != null && process.isAlive()) {
				process.destroyForcibly();
				await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
			}
		}

	}

}

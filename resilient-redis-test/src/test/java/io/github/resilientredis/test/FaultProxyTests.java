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
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link FaultProxy} in front of a real {@code redis-server}.
 *
 * @author resilient-redis contributors
 */
class FaultProxyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final RedisServer server = RedisServer.start();

	private final FaultProxy proxy = FaultProxy.to(this.server);

	@AfterEach
	void stop() {
		this.proxy.close();
		this.server.close();
	}

	@Test
	void commandsAndRepliesAreForwarded() throws IOException {
		try (RespConnection connection = connect()) {
			assertThat(connection.command("PING")).isEqualTo("PONG");
			assertThat(connection.command("SET", "key", "value")).isEqualTo("OK");
			assertThat(this.server.execute("GET", "key")).isEqualTo("value");
			assertThat(this.proxy.connections()).isOne();
		}
	}

	@Test
	void latencyDelaysEachDirection() throws IOException {
		try (RespConnection connection = connect()) {
			assertThat(timed(connection)).isLessThan(Duration.ofMillis(150));
			this.proxy.latency(FaultProxy.Direction.UPSTREAM, Duration.ofMillis(150));
			assertThat(timed(connection)).isBetween(Duration.ofMillis(150), Duration.ofMillis(1000));
			this.proxy.latency(FaultProxy.Direction.DOWNSTREAM, Duration.ofMillis(150));
			assertThat(timed(connection)).isBetween(Duration.ofMillis(300), Duration.ofMillis(1200));
			this.proxy.heal();
			assertThat(timed(connection)).isLessThan(Duration.ofMillis(150));
		}
	}

	@Test
	void bandwidthLimitsTheThroughput() throws IOException {
		this.server.execute("SET", "large", "x".repeat(64 * 1024));
		try (RespConnection connection = connect()) {
			this.proxy.bandwidth(128 * 1024);
			long started = System.nanoTime();
			assertThat((String) connection.command("GET", "large")).hasSize(64 * 1024);
			// 64 KiB at 128 KiB/s, less the first chunk that goes at once
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(350));
		}
	}

	@Test
	void resetAllSendsAnRstToTheClientAndNewConnectionsWork() throws IOException {
		try (RespConnection connection = connect()) {
			assertThat(connection.command("PING")).isEqualTo("PONG");
			await().atMost(TIMEOUT).until(() -> this.server.execute("CLIENT", "LIST").lines().count() == 2);
			assertThat(this.proxy.resetAll()).isOne();
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> connection.command("PING"))
				.havingRootCause()
				.withMessageContaining("Connection reset");
			// The server side was reset too: only the control connection is left
			await().atMost(TIMEOUT).until(() -> this.server.execute("CLIENT", "LIST").lines().count() == 1);
		}
		try (RespConnection connection = connect()) {
			assertThat(connection.command("PING")).isEqualTo("PONG");
		}
	}

	@Test
	void blackholeHoldsEveryByteWithTheSocketsOpenUntilHealed() throws IOException {
		try (RespConnection connection = connect()) {
			assertThat(connection.command("PING")).isEqualTo("PONG");
			this.proxy.blackhole();
			connection.send("SET", "during", "blackhole");
			CompletableFuture<Object> reply = CompletableFuture.supplyAsync(() -> {
				try {
					return connection.read();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
			await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> !reply.isDone());
			assertThat(this.server.execute("EXISTS", "during")).isEqualTo("0");
			assertThat(this.proxy.connections()).isOne();
			this.proxy.heal();
			assertThat(reply.join()).isEqualTo("OK");
			assertThat(this.server.execute("GET", "during")).isEqualTo("blackhole");
		}
	}

	@Test
	void whenTheServerIsDownThenConnectionsThroughTheProxyAreRefusedWithAnRst() throws IOException {
		this.server.kill();
		// The RST may come before the client's connect returns, or on its first command
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> {
			try (RespConnection connection = connect()) {
				connection.command("PING");
			}
		}).satisfies((ex) -> assertThat(ex).isInstanceOfAny(IOException.class, UncheckedIOException.class));
		this.server.restart();
		try (RespConnection connection = connect()) {
			assertThat(connection.command("PING")).isEqualTo("PONG");
		}
	}

	private RespConnection connect() throws IOException {
		return RespConnection.tcp(this.proxy.host(), this.proxy.port(), null, TIMEOUT);
	}

	private static Duration timed(RespConnection connection) {
		long started = System.nanoTime();
		assertThat(connection.command("PING")).isEqualTo("PONG");
		return Duration.ofNanos(System.nanoTime() - started);
	}

}

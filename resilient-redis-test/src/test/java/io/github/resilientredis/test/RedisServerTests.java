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
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link RedisServer}, against the real {@code redis-server}.
 *
 * @author resilient-redis contributors
 */
class RedisServerTests {

	private static final Duration SHORT = Duration.ofMillis(300);

	private static final Duration LONG = Duration.ofSeconds(5);

	@Test
	void startedServerAnswersPing() throws IOException {
		try (RedisServer redis = RedisServer.start(); RawConnection connection = RawConnection.open(redis, LONG)) {
			assertThat(redis.host()).isEqualTo("127.0.0.1");
			assertThat(connection.command("PING")).isEqualTo("+PONG");
			assertThat(redis.execute("PING")).isEqualTo("PONG");
			assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
			assertThat(redis.springProperties()).containsExactly("spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + redis.port());
		}
	}

	@Test
	void passwordIsRequired() throws IOException {
		try (RedisServer redis = RedisServer.builder().password("s3cret p@ss").start();
				RawConnection connection = RawConnection.open(redis, LONG)) {
			assertThat(connection.command("PING")).startsWith("-NOAUTH");
			assertThat(connection.command("AUTH wrong")).startsWith("-WRONGPASS");
			assertThat(connection.command("AUTH \"s3cret p@ss\"")).isEqualTo("+OK");
			assertThat(connection.command("PING")).isEqualTo("+PONG");
			assertThat(redis.url()).isEqualTo("redis://:s3cret%20p%40ss@127.0.0.1:" + redis.port());
			assertThat(redis.springProperties()).contains("spring.data.redis.password=s3cret p@ss")
				.noneMatch((property) -> property.startsWith("spring.data.redis.username"));
		}
	}

	@Test
	void aclUserIsRequiredAndDefaultUserIsDisabled() throws IOException {
		try (RedisServer redis = RedisServer.builder().user("app", "app-pass").start();
				RawConnection connection = RawConnection.open(redis, LONG)) {
			assertThat(connection.command("PING")).startsWith("-NOAUTH");
			assertThat(connection.command("AUTH app wrong")).startsWith("-WRONGPASS");
			assertThat(connection.command("AUTH app app-pass")).isEqualTo("+OK");
			assertThat(connection.command("SET key value")).isEqualTo("+OK");
			assertThat(redis.url()).isEqualTo("redis://app:app-pass@127.0.0.1:" + redis.port());
			assertThat(redis.springProperties()).contains("spring.data.redis.username=app",
					"spring.data.redis.password=app-pass");
		}
	}

	@Test
	void restrictedAclUserIsDeniedExcludedCommands() throws IOException {
		try (RedisServer redis = RedisServer.builder().aclUser("limited", "pass", "+@all", "-info", "-config").start();
				RawConnection connection = RawConnection.open(redis, LONG)) {
			assertThat(connection.command("AUTH limited pass")).isEqualTo("+OK");
			assertThat(connection.command("INFO")).startsWith("-NOPERM");
			assertThat(connection.command("SET key value")).isEqualTo("+OK");
			assertThat(redis.execute("INFO", "server")).contains("redis_version");
		}
	}

	@Test
	void configDirectivesAreApplied() {
		try (RedisServer redis = RedisServer.builder()
			.maxmemory("2mb", "noeviction")
			.config("maxmemory-samples", "7")
			.start()) {
			assertThat(redis.execute("CONFIG", "GET", "maxmemory")).isEqualTo("maxmemory\n2097152");
			assertThat(redis.execute("CONFIG", "GET", "maxmemory-policy")).isEqualTo("maxmemory-policy\nnoeviction");
			assertThat(redis.execute("CONFIG", "GET", "maxmemory-samples")).isEqualTo("maxmemory-samples\n7");
			assertThat(redis.execute("CONFIG", "GET", "save")).isEqualTo("save\n");
		}
	}

	@Test
	void executeReportsErrorReplies() {
		try (RedisServer redis = RedisServer.start()) {
			assertThat(redis.execute("GET", "missing")).isNull();
			assertThat(redis.execute("INCR", "counter")).isEqualTo("1");
			assertThatIllegalStateException().isThrownBy(() -> redis.execute("NOSUCHCOMMAND"))
				.withMessageContaining("unknown command");
		}
	}

	@Test
	void restartKeepsPortAndEmptiesData() throws IOException {
		try (RedisServer redis = RedisServer.start()) {
			int port = redis.port();
			redis.execute("SET", "key", "value");
			redis.restart();
			assertThat(redis.port()).isEqualTo(port);
			assertThat(redis.execute("GET", "key")).isNull();
			try (RawConnection connection = RawConnection.open(redis, LONG)) {
				assertThat(connection.command("PING")).isEqualTo("+PONG");
			}
		}
	}

	@Test
	void keptDataIsWhatTheLastSaveHeldAfterAKillAndRestart() {
		try (RedisServer redis = RedisServer.builder().keepData().start()) {
			redis.execute("SET", "saved", "v1");
			redis.execute("SAVE");
			redis.execute("SET", "saved", "v2");
			redis.execute("SET", "unsaved", "v2");
			String runId = runId(redis);
			redis.kill();
			redis.restart();
			assertThat(runId(redis)).isNotEqualTo(runId);
			assertThat(redis.execute("GET", "saved")).isEqualTo("v1");
			assertThat(redis.execute("GET", "unsaved")).isNull();
			redis.restartWith((settings) -> settings.password("other"));
			assertThat(redis.execute("GET", "saved")).as("kept across restartWith too").isEqualTo("v1");
		}
	}

	private static String runId(RedisServer redis) {
		String info = redis.execute("INFO", "server");
		assertThat(info).contains("run_id:");
		return info.lines().filter((line) -> line.startsWith("run_id:")).findFirst().orElseThrow();
	}

	@Test
	void restartWithChangesSettings() throws IOException {
		try (RedisServer redis = RedisServer.builder().password("first").start()) {
			redis.restartWith((settings) -> settings.password("second"));
			try (RawConnection connection = RawConnection.open(redis, LONG)) {
				assertThat(connection.command("AUTH first")).startsWith("-WRONGPASS");
				assertThat(connection.command("AUTH second")).isEqualTo("+OK");
			}
			assertThat(redis.password()).isEqualTo("second");
		}
	}

	@Test
	void freezeStopsAnswersUntilThaw() throws IOException {
		try (RedisServer redis = RedisServer.start(); RawConnection connection = RawConnection.open(redis, SHORT)) {
			redis.freeze();
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> connection.command("PING"));
			assertThatIllegalStateException().isThrownBy(() -> redis.execute("PING"))
				.withMessageContaining("did not answer");
			redis.thaw();
			await().atMost(LONG).untilAsserted(() -> assertThat(connection.readLine()).isEqualTo("+PONG"));
			assertThat(connection.command("PING")).isEqualTo("+PONG");
			assertThat(redis.execute("PING")).isEqualTo("PONG");
		}
	}

	@Test
	void killRefusesConnectionsUntilRestart() throws IOException {
		try (RedisServer redis = RedisServer.start(); RawConnection connection = RawConnection.open(redis, LONG)) {
			redis.kill();
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> connection.command("PING"));
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> RawConnection.open(redis, LONG));
			redis.restart();
			try (RawConnection reconnected = RawConnection.open(redis, LONG)) {
				assertThat(reconnected.command("PING")).isEqualTo("+PONG");
			}
		}
	}

	@Test
	void slowDelaysConcurrentCommands() throws IOException {
		try (RedisServer redis = RedisServer.start(); RawConnection connection = RawConnection.open(redis, LONG)) {
			Duration sleep = Duration.ofMillis(800);
			long start = System.nanoTime();
			redis.slow(sleep);
			long returned = System.nanoTime();
			assertThat(connection.command("PING")).isEqualTo("+PONG");
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			assertThat(Duration.ofNanos(returned - start)).isLessThan(sleep);
			assertThat(elapsed).isBetween(sleep.minusMillis(50), sleep.plusSeconds(2));
		}
	}

	@Test
	void killClientsDropsOtherConnections() throws IOException {
		try (RedisServer redis = RedisServer.start(); RawConnection connection = RawConnection.open(redis, LONG)) {
			assertThat(connection.command("PING")).isEqualTo("+PONG");
			assertThat(redis.killClients()).isEqualTo(1);
			assertThat(connection.read()).isEqualTo(-1);
			assertThat(redis.execute("PING")).isEqualTo("PONG");
		}
	}

	@Test
	void tlsServerIsReachedWithItsCa() throws Exception {
		try (RedisServer redis = RedisServer.builder().tls().password("secret").start()) {
			assertThat(redis.url()).startsWith("rediss://:secret@127.0.0.1:");
			assertThat(redis.caCertificate()).exists();
			assertThat(Files.readString(redis.caCertificate())).startsWith("-----BEGIN CERTIFICATE-----");
			assertThat(redis.springProperties()).contains("spring.data.redis.ssl.enabled=true",
					"spring.data.redis.ssl.bundle=" + RedisServer.SSL_BUNDLE, "spring.ssl.bundle.pem."
							+ RedisServer.SSL_BUNDLE + ".truststore.certificate=" + redis.caCertificate().toUri());
			try (RawConnection connection = RawConnection.open(redis, LONG, redis.sslContext())) {
				assertThat(connection.command("AUTH secret")).isEqualTo("+OK");
				assertThat(connection.command("PING")).isEqualTo("+PONG");
			}
			try (RawConnection connection = RawConnection.open(redis, LONG, SSLContext.getDefault())) {
				assertThatExceptionOfType(SSLException.class).isThrownBy(() -> connection.command("PING"));
			}
			try (RawConnection connection = RawConnection.open(redis, LONG)) {
				assertThatExceptionOfType(IOException.class).isThrownBy(() -> connection.command("PING"));
			}
		}
	}

	@Test
	void restartWithTlsGeneratesCertificates() throws IOException {
		try (RedisServer redis = RedisServer.start()) {
			assertThat(redis.caCertificate()).isNull();
			redis.restartWith(RedisServer.Builder::tls);
			try (RawConnection connection = RawConnection.open(redis, LONG, redis.sslContext())) {
				assertThat(connection.command("PING")).isEqualTo("+PONG");
			}
		}
	}

	@Test
	void blackholeDropsPacketsSilentlyUntilHeal() throws IOException {
		assumeTrue(RedisServer.isBlackholeSupported(), "needs Linux, root, iproute2 'ip netns' and redis-server");
		try (RedisServer redis = RedisServer.builder().isolatedNetwork().start();
				RawConnection connection = RawConnection.open(redis, SHORT)) {
			assertThat(redis.host()).isNotEqualTo("127.0.0.1");
			assertThat(connection.command("PING")).isEqualTo("+PONG");
			redis.blackhole();
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> connection.command("PING"));
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> RawConnection.open(redis, SHORT));
			assertThat(redis.execute("PING")).isEqualTo("PONG");
			redis.heal();
			try (RawConnection reconnected = RawConnection.open(redis, LONG)) {
				assertThat(reconnected.command("PING")).isEqualTo("+PONG");
			}
		}
	}

	@Test
	void blackholeWithoutIsolatedNetworkIsRejected() {
		try (RedisServer redis = RedisServer.start()) {
			assertThatThrownBy(redis::blackhole).isInstanceOf(UnsupportedOperationException.class)
				.hasMessageContaining("isolatedNetwork()");
		}
	}

	@Test
	void closeLeavesNothingBehind() {
		assumeTrue(RedisServer.isBlackholeSupported(), "needs Linux, root, iproute2 'ip netns' and redis-server");
		RedisServer redis = RedisServer.builder().isolatedNetwork().tls().start();
		String namespace = redis.process().network().name();
		long pid = readPid(redis);
		assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isPresent();
		Path directory = redis.directory();
		assertThat(SystemCommand.run("ip", "netns", "list")).contains(namespace);
		redis.close();
		assertThat(SystemCommand.run("ip", "netns", "list")).doesNotContain(namespace);
		String[] parts = namespace.split("-");
		assertThat(SystemCommand.run("ip", "-o", "link", "show")).doesNotContain(parts[0] + parts[1] + "h" + parts[2]);
		assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
		assertThat(directory).doesNotExist();
	}

	private static long readPid(RedisServer redis) {
		try {
			return Long.parseLong(Files.readString(redis.directory().resolve("redis.pid")).strip());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

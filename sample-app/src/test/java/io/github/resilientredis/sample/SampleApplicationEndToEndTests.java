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

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the packaged sample application as a process against a real Redis, exercises
 * every endpoint, kills Redis, checks that everything keeps answering, restarts Redis and
 * checks that the application goes back to it. Runs in the {@code integration-test}
 * phase, after {@code spring-boot:repackage}.
 *
 * @author resilient-redis contributors
 */
class SampleApplicationEndToEndTests {

	private static final String RESEND = "/api/v1/auth/resend-verification-code";

	private RedisServer redis;

	/**
	 * Time the repository behind the products cache takes: long enough that a read served
	 * from Redis is told apart from one that reached the repository even while the
	 * machine is loaded, when a request of the freshly started JVM can take a second.
	 */
	private static final Duration REPOSITORY_LATENCY = Duration.ofSeconds(3);

	private Process application;

	private SampleHttp http;

	@BeforeEach
	void startRedisAndTheApplication() throws IOException {
		this.redis = RedisServer.start();
		Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the packaged application (spring-boot:repackage)").exists();
		int port = freePort();
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
						"--server.port=" + port, "--sample.live.heartbeat-interval=500ms",
						"--sample.catalog.repository-latency=" + REPOSITORY_LATENCY.toMillis() + "ms"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(Files.createDirectories(Path.of("target")).resolve("sample-app-end-to-end.log").toFile());
		builder.environment().put("REDIS_URL", this.redis.url());
		this.application = builder.start();
		this.http = new SampleHttp("http://localhost:" + port);
		// Generous: on a 2-core machine shared with other builds, starting the JVM and
		// the
		// context has taken more than 90 s.
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
			assertThat(this.application.isAlive()).as("application process (see target/sample-app-end-to-end.log)")
				.isTrue();
			return this.http.get("/actuator/health").status() == 200;
		});
	}

	@AfterEach
	void stopTheApplicationAndRedis() throws InterruptedException {
		if (this.application != null) {
			this.application.destroy();
			if (!this.application.waitFor(20, TimeUnit.SECONDS)) {
				this.application.destroyForcibly();
			}
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void whenRedisIsKilledThenEverythingKeepsServingAndWhenItIsBackTheApplicationUsesItAgain()
			throws InterruptedException {
		// Everything works with Redis up.
		assertThat(this.http.get("/").body()).contains("<canvas id=\"chart\"");
		SampleHttp.Response first = this.http.get("/api/products/1");
		SampleHttp.Response cached = this.http.get("/api/products/1");
		assertThat(first.status()).isEqualTo(200);
		assertThat(cached.body()).isEqualTo(first.body());
		assertThat(first.elapsed()).isGreaterThanOrEqualTo(REPOSITORY_LATENCY);
		assertThat(cached.elapsed()).as("a read that did not reach the repository").isLessThan(REPOSITORY_LATENCY);
		Map<String, Object> someone = Map.of("email", UUID.randomUUID() + "@example.com");
		for (int i = 0; i < 3; i++) {
			assertThat(this.http.post(RESEND, someone).status()).isEqualTo(200);
		}
		assertThat(this.http.post(RESEND, someone).status()).isEqualTo(429);
		BlockingQueue<String> events = this.http.events("/api/events");
		assertThat(events.poll(10, TimeUnit.SECONDS)).contains("heartbeat");
		assertThat(this.http.get("/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
		assertThat(status().path("circuitBreaker").asString()).isEqualTo("CLOSED");

		// Redis dies: the catalog, the rate limiter and health keep answering.
		this.redis.kill();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(this.http.get("/api/products/1").status()).isEqualTo(200);
			assertThat(status().path("circuitBreaker").asString()).isNotEqualTo("CLOSED");
		});
		assertThat(status().path("redis").path("up").asBoolean()).isFalse();
		assertThat(this.http.get("/api/products/2").status()).isEqualTo(200);
		SampleHttp.Response changed = this.http.put("/api/products/1",
				Map.of("name", "Espresso machine", "price", 199));
		assertThat(changed.status()).isEqualTo(200);
		long version = changed.json().path("version").asLong();
		assertThat(this.http.get("/api/products/1").json().path("version").asLong()).isEqualTo(version);
		SampleHttp.Response resend = this.http.post(RESEND, Map.of("email", UUID.randomUUID() + "@example.com"));
		assertThat(resend.status()).isEqualTo(200);
		assertThat(resend.json().path("counted").asBoolean()).isFalse();
		assertHealthAnswers();

		// Redis is back: the breaker closes within seconds, live updates flow again and
		// no
		// stale product is served.
		this.redis.restart();
		long restarted = System.nanoTime();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			JsonNode status = status();
			assertThat(status.path("redis").path("up").asBoolean()).isTrue();
			assertThat(status.path("circuitBreaker").asString()).isEqualTo("CLOSED");
		});
		System.out.println("Sample app: breaker closed " + Duration.ofNanos(System.nanoTime() - restarted).toMillis()
				+ " ms after Redis restarted");
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			events.clear();
			assertThat(events.poll(2, TimeUnit.SECONDS)).contains("heartbeat");
		});
		SampleHttp.Response again = this.http.put("/api/products/1", Map.of("name", "Espresso machine", "price", 189));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> events.stream().anyMatch((event) -> event.contains("product-updated")));
		long latest = again.json().path("version").asLong();
		assertThat(latest).isGreaterThan(version);
		assertThat(this.http.get("/api/products/1").json().path("version").asLong()).isEqualTo(latest);
		assertThat(this.http.get("/api/products/1").json().path("version").asLong()).isEqualTo(latest);
		assertThat(this.redis.execute("GET", "products::1")).contains("\"version\":" + latest);
		assertThat(this.http.get("/actuator/health").status()).isEqualTo(200);
	}

	private void assertHealthAnswers() {
		SampleHttp.Response health = this.http.get("/actuator/health");
		JsonNode body = health.json();
		// Redis is down but the fallback serves: DEGRADED, and HTTP 200 so that a load
		// balancer keeps the instance.
		assertThat(health.status()).isEqualTo(200);
		assertThat(body.path("components").path("redis").path("status").asString()).isIn("UP", "DEGRADED");
	}

	private JsonNode status() {
		SampleHttp.Response status = this.http.get("/api/status");
		assertThat(status.status()).isEqualTo(200);
		return status.json();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.function.ThrowingConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the health, {@code redis} and {@code prometheus} endpoints of the sample
 * application over HTTP, against a real Redis that is up, killed, frozen, or that denies
 * {@code INFO} to the application's user.
 *
 * @author resilient-redis contributors
 */
class SampleActuatorHttpTests {

	private static final String PASSWORD = "s3cret-actuator";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private RedisServer server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void whenRedisIsUpThenHealthStatsPingAndPrometheusAnswerWithoutSecrets() {
		this.server = RedisServer.builder().password(PASSWORD).maxmemory("64mb", "noeviction").start();
		run((app) -> {
			await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/actuator/health").body().contains("\"UP\""));
			for (int i = 0; i < 3; i++) {
				assertThat(app.get("/greetings/" + i % 2).body()).startsWith("Hello, ");
			}
			Response health = app.get("/actuator/health");
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.body()).contains("\"redis\"", "\"latency_ms\"", "\"version\"", "\"mode\":\"standalone\"");
			Response stats = app.get("/actuator/redis/stats");
			assertThat(stats.status()).isEqualTo(200);
			assertThat(stats.body()).contains("\"connected_clients\"", "\"used_memory_human\"",
					"\"maxmemory_policy\":\"noeviction\"", "\"hit_rate\"", "\"circuit_breaker\"",
					"maxmemory-policy is noeviction", "\"greetings\":{\"redis_hits\":1,\"redis_misses\":2",
					"\"command_latency\":{", "\"GET\":{\"count\":3", "\"percentiles_ms\":{\"p50\":", "\"p99\":");
			assertThat(stats.body()).doesNotContainPattern("\"[a-z]+[A-Z][A-Za-z]*\":");
			assertThat(app.get("/actuator/redis/ping").body()).contains("\"status\":\"connected\"", "\"latency_ms\":")
				.doesNotContain("latencyMs");
			Response prometheus = app.get("/actuator/prometheus");
			assertThat(prometheus.body()).contains("resilient_redis_connection_events_total",
					"resilient_redis_connection_active", "resilient_redis_heartbeat_sent_total",
					"resilience4j_circuitbreaker_state{name=\"redis\"", "resilience4j_retry_calls_total",
					"resilient_redis_cache_journal_size", "lettuce_command_completion_seconds",
					"cache_gets_total{cache=\"greetings\",cache_manager=\"cacheManager\",name=\"greetings\",result=\"hit\"} 1.0",
					"cache_gets_total{cache=\"greetings\",cache_manager=\"cacheManager\",name=\"greetings\",result=\"miss\"} 2.0",
					"cache_puts_total{cache=\"greetings\"");
			prometheus.body()
				.lines()
				.filter((line) -> line.startsWith("resilient_redis_connection")
						|| line.startsWith("resilient_redis_heartbeat") || line.startsWith("resilient_redis_cache_gets")
						|| line.startsWith("cache_gets") || line.startsWith("resilience4j_circuitbreaker_state")
						|| line.startsWith("resilience4j_retry_calls")
						|| line.startsWith("lettuce_command_completion_seconds{command=\"GET\""))
				.forEach(System.out::println);
			print(health, stats, app.get("/actuator/redis/ping"));
			assertThat(app.responses()).noneMatch((body) -> body.contains(PASSWORD));
		});
	}

	@Test
	void whenRedisIsKilledThenHealthIsDegradedWithStatus200AndReadinessStaysUp() {
		this.server = RedisServer.builder().password(PASSWORD).start();
		run((app) -> {
			await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/actuator/health").body().contains("\"UP\""));
			this.server.kill();
			for (int i = 0; i < 3; i++) {
				assertThat(app.get("/greetings/down").body()).isEqualTo("Hello, down!");
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> app.get("/actuator/health").body().endsWith("\"status\":\"DEGRADED\"}"));
			Response health = app.get("/actuator/health");
			assertThat(health.status()).isEqualTo(200);
			assertThat(app.get("/actuator/health/readiness").status()).isEqualTo(200);
			assertThat(app.get("/actuator/health/liveness").body()).isEqualTo("{\"status\":\"UP\"}");
			Response stats = app.get("/actuator/redis/stats");
			assertThat(stats.status()).isEqualTo(200);
			assertThat(stats.body()).contains("\"unavailable\":{\"server\":\"", "\"errors\":{\"")
				.doesNotContain("\"server\":{");
			assertThat(app.get("/actuator/prometheus").body()).contains("resilient_redis_errors_total{type=\"",
					"resilient_redis_connection_events_total{event=\"reconnect-attempt\"}");
			print(health, stats, app.get("/actuator/redis/ping"));
			assertThat(app.responses()).noneMatch((body) -> body.contains(PASSWORD));
		});
	}

	@Test
	void whenRedisIsFrozenThenHealthAnswersWithinItsTimeout() {
		this.server = RedisServer.start();
		run((app) -> {
			await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/actuator/health").body().contains("\"UP\""));
			this.server.freeze();
			try {
				long started = System.nanoTime();
				Response health = app.get("/actuator/health");
				Duration took = Duration.ofNanos(System.nanoTime() - started);
				System.out.printf("Health answered in %d ms with Redis frozen%n", took.toMillis());
				// The health timeout is 1 s and the command timeout 3 s: an answer within
				// 2.5 s came from the health timeout, with a margin a loaded machine
				// keeps
				assertThat(took).isLessThan(Duration.ofMillis(2500));
				assertThat(health.status()).isEqualTo(200);
				assertThat(health.body()).endsWith("\"status\":\"DEGRADED\"}").contains("timeout: ");
				print(health);
			}
			finally {
				this.server.thaw();
			}
		});
	}

	@Test
	void whenTheUserMayNotRunInfoThenHealthIsUpAndServerStatsSayWhy() {
		this.server = RedisServer.builder().aclUser("app", PASSWORD, "+@all", "-info", "-config", "-debug").start();
		run((app) -> {
			await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/actuator/health").body().contains("\"UP\""));
			Response health = app.get("/actuator/health");
			assertThat(health.body()).contains("\"version\":\"unavailable: NOPERM");
			Response stats = app.get("/actuator/redis/stats");
			assertThat(stats.body()).contains("\"unavailable\":{\"server\":\"noperm: NOPERM");
			print(health, stats);
			assertThat(app.responses()).noneMatch((body) -> body.contains(PASSWORD));
		});
	}

	@Test
	void whenExposureIsNotConfiguredThenTheRedisEndpointIsNotServedOverHttp() {
		this.server = RedisServer.start();
		run((app) -> {
			assertThat(app.get("/actuator/redis/stats").status()).isEqualTo(404);
			assertThat(app.get("/actuator/health").status()).isIn(200, 503);
		}, "--management.endpoints.web.exposure.include=health");
	}

	private void run(ThrowingConsumer<App> test, String... args) {
		List<String> arguments = new ArrayList<>(
				List.of("--server.port=0", "--spring.data.redis.timeout=3s", "--resilient.redis.health.cache-time=0"));
		Arrays.stream(this.server.springProperties()).map((property) -> "--" + property).forEach(arguments::add);
		arguments.addAll(List.of(args));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run(arguments.toArray(String[]::new))) {
			test.accept(new App(context.getEnvironment().getProperty("local.server.port")));
		}
	}

	private static void print(Response... responses) {
		for (Response response : responses) {
			System.out.printf("GET %s -> %d%n%s%n", response.path(), response.status(), response.body());
		}
	}

	private final class App {

		private final String port;

		private final List<String> responses = new ArrayList<>();

		App(String port) {
			this.port = port;
		}

		Response get(String path) throws IOException, InterruptedException {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.timeout(Duration.ofSeconds(30))
				.build();
			HttpResponse<String> response = SampleActuatorHttpTests.this.http.send(request,
					HttpResponse.BodyHandlers.ofString());
			this.responses.add(response.body());
			return new Response(path, response.statusCode(), response.body());
		}

		List<String> responses() {
			return this.responses;
		}

	}

	private record Response(String path, int status, String body) {

	}

}

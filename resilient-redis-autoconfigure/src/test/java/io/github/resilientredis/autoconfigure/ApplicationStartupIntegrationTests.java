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

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.test.RedisServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Integration tests that start a whole application the way a user does: environment
 * variables, {@code spring.factories} and failure analysis included.
 *
 * @author resilient-redis contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class ApplicationStartupIntegrationTests {

	private static final String PASSWORD = "s3cr3t-Pa55";

	private RedisServer server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void whenRedisUrlHasUserPasswordAndDatabaseThenTheApplicationUsesThem(CapturedOutput output) {
		RedisServer.Builder builder = RedisServer.builder().user("app", PASSWORD);
		boolean partitions = RedisServer.isBlackholeSupported();
		this.server = (partitions ? builder.isolatedNetwork() : builder).start();
		try (ConfigurableApplicationContext context = run(Map.of("REDIS_URL", this.server.url() + "/2"))) {
			LettuceConnectionFactory connectionFactory = context.getBean(LettuceConnectionFactory.class);
			assertThat(connectionFactory.getDatabase()).isEqualTo(2);
			assertThat(connectionFactory.getStandaloneConfiguration().getUsername()).isEqualTo("app");
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("greeting", "hello");
			assertThat(redis.opsForValue().get("greeting")).isEqualTo("hello");
			assertThat(this.server.execute("INFO", "keyspace")).contains("db2:keys=1");
		}
		assertThat(output).contains("Redis connections use the").doesNotContain(PASSWORD);
	}

	@Test
	void whenRedisUrlHasNoPortThenDefaultPortIsUsed() {
		try (ConfigurableApplicationContext context = run(Map.of("REDIS_URL", "redis://redis.invalid"))) {
			LettuceConnectionFactory connectionFactory = context.getBean(LettuceConnectionFactory.class);
			assertThat(connectionFactory.getHostName()).isEqualTo("redis.invalid");
			assertThat(connectionFactory.getPort()).isEqualTo(6379);
		}
	}

	@Test
	void whenWaitForRedisIsOnThenStartupWaitsUntilRedisIsUp(CapturedOutput output) {
		this.server = RedisServer.start();
		this.server.kill();
		// Redis returns once startup is seen waiting for it, however slow the machine.
		CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> output.getOut().contains("Waiting for Redis at "));
			this.server.restart();
		});
		try (ConfigurableApplicationContext context = run(Map.of("REDIS_URL", this.server.url()),
				"--resilient.redis.startup.wait-for-redis=true", "--resilient.redis.startup.wait-budget=20s")) {
			assertThat(restart).isDone();
			assertThat(context.getBean(StringRedisTemplate.class).opsForValue().setIfAbsent("up", "yes")).isTrue();
		}
		assertThat(output).contains("Waiting for Redis at " + this.server.host() + ":" + this.server.port())
			.contains("answered after");
	}

	@Test
	void whenWaitBudgetRunsOutThenStartupFailsWithAnExplanation(CapturedOutput output) {
		this.server = RedisServer.start();
		this.server.kill();
		assertThatException().isThrownBy(() -> run(Map.of("REDIS_URL", this.server.url()),
				"--resilient.redis.startup.wait-for-redis=true", "--resilient.redis.startup.wait-budget=1s"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Startup waited 1s for Redis (resilient.redis.startup.wait-budget)")
			.contains("resilient.redis.startup.wait-for-redis=false");
	}

	@Test
	void whenEnvironmentVariableIsInvalidThenStartupFailsNamingItWithoutThePassword(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> run(Map.of("REDIS_URL", "redis://app:" + PASSWORD + "@redis.internal:99999")));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid Redis configuration: REDIS_URL has a port outside 1-65535.")
			.contains("for example redis://user:password@redis.example.com:6379/0")
			.doesNotContain(PASSWORD);
	}

	@Test
	void whenRedisFailsInEveryWayThenThePasswordIsNeverWritten(CapturedOutput output) {
		RedisServer.Builder builder = RedisServer.builder().user("app", PASSWORD);
		boolean partitions = RedisServer.isBlackholeSupported();
		this.server = (partitions ? builder.isolatedNetwork() : builder).start();
		List<Throwable> failures = new ArrayList<>();
		try (ConfigurableApplicationContext context = run(
				Map.of("REDIS_URL", this.server.url(), "CACHE_SOCKET_TIMEOUT_MS", "300"),
				"--logging.level.io.github.resilientredis=TRACE", "--logging.level.io.lettuce=TRACE",
				"--logging.level.org.springframework.data.redis=TRACE")) {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			RedisCommandExecutor executor = context.getBean(RedisCommandExecutor.class);
			Callable<Boolean> fails = () -> fails(executor, redis, failures);
			redis.opsForValue().set("k", "v");
			this.server.kill();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(fails);
			this.server.restart();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !fails.call());
			this.server.freeze();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(fails);
			this.server.thaw();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !fails.call());
			this.server.slow(Duration.ofSeconds(1));
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(fails);
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !fails.call());
			this.server.killClients();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !fails.call());
			if (partitions) {
				this.server.blackhole();
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(fails);
				this.server.heal();
				Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !fails.call());
			}
			this.server.restartWith((server) -> server.user("app", "another-password"));
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> fails.call() && output.getOut().contains("WRONGPASS"));
		}
		assertThat(output).contains("Redis connections use the")
			.contains(LettuceCommandTraceLimiter.COMMAND_ENCODER + " logs at DEBUG instead of TRACE")
			.doesNotContain(PASSWORD);
		StringWriter stackTraces = new StringWriter();
		failures.forEach((failure) -> failure.printStackTrace(new PrintWriter(stackTraces)));
		assertThat(failures).isNotEmpty();
		assertThat(stackTraces.toString()).doesNotContain(PASSWORD);
	}

	private static boolean fails(RedisCommandExecutor executor, StringRedisTemplate redis, List<Throwable> failures) {
		try {
			executor.execute("GET k", () -> redis.opsForValue().get("k"));
			return false;
		}
		catch (RuntimeException ex) {
			failures.add(ex);
			return true;
		}
	}

	private static ConfigurableApplicationContext run(Map<String, Object> variables, String... args) {
		StandardEnvironment environment = new StandardEnvironment();
		Map<String, Object> systemEnvironment = new LinkedHashMap<>(environment.getSystemEnvironment());
		systemEnvironment.keySet().removeIf((name) -> name.startsWith("REDIS_") || name.startsWith("CACHE_"));
		systemEnvironment.putAll(variables);
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, systemEnvironment));
		return new SpringApplicationBuilder(TestApplication.class).environment(environment)
			.web(WebApplicationType.NONE)
			.run(args);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class })
	static class TestApplication {

	}

}

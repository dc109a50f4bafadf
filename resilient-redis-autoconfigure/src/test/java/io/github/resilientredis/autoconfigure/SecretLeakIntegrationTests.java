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
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that the password from {@code REDIS_URL} never reaches the output, at the most
 * verbose log levels of the starter and of Lettuce, while Redis is killed, frozen and
 * restarted with another password, nor the message or causes of any exception thrown.
 *
 * @author resilient-redis contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretLeakIntegrationTests {

	private static final String PASSWORD = "Leak-Canary-7f3e9";

	private final List<Throwable> failures = new ArrayList<>();

	private RedisServer server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void whenRedisFailsInEveryWayThenThePasswordIsNeverWritten(CapturedOutput output) {
		this.server = RedisServer.builder().user("app", PASSWORD).start();
		try (ConfigurableApplicationContext context = run(this.server.url())) {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			RedisCommandExecutor executor = context.getBean(RedisCommandExecutor.class);
			redis.opsForValue().set("k", "v");
			this.server.kill();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fails(executor, redis));
			this.server.restart();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !fails(executor, redis));
			this.server.freeze();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fails(executor, redis));
			this.server.thaw();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !fails(executor, redis));
			this.server.restartWith((server) -> server.user("app", "another-password"));
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> fails(executor, redis) && output.getOut().contains("WRONGPASS"));
		}
		assertThat(output).contains("Redis connections use the")
			.contains(LettuceCommandTraceLimiter.COMMAND_ENCODER + " logs at DEBUG instead of TRACE")
			.doesNotContain(PASSWORD);
		assertThat(this.failures).isNotEmpty();
		assertThat(describeFailures()).doesNotContain(PASSWORD);
	}

	private boolean fails(RedisCommandExecutor executor, StringRedisTemplate redis) {
		try {
			executor.execute("GET k", () -> redis.opsForValue().get("k"));
			return false;
		}
		catch (RuntimeException ex) {
			this.failures.add(ex);
			return true;
		}
	}

	private String describeFailures() {
		StringWriter description = new StringWriter();
		PrintWriter writer = new PrintWriter(description);
		this.failures.forEach((failure) -> failure.printStackTrace(writer));
		return description.toString();
	}

	private static ConfigurableApplicationContext run(String redisUrl) {
		StandardEnvironment environment = new StandardEnvironment();
		Map<String, Object> systemEnvironment = new LinkedHashMap<>(environment.getSystemEnvironment());
		systemEnvironment.keySet().removeIf((name) -> name.startsWith("REDIS_") || name.startsWith("CACHE_"));
		systemEnvironment.put("REDIS_URL", redisUrl);
		systemEnvironment.put("CACHE_SOCKET_TIMEOUT_MS", "300");
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, systemEnvironment));
		return new SpringApplicationBuilder(TestApplication.class).environment(environment)
			.web(WebApplicationType.NONE)
			.run("--logging.level.io.github.resilientredis=TRACE", "--logging.level.io.lettuce=TRACE",
					"--logging.level.org.springframework.data.redis=TRACE", "--debug");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class })
	static class TestApplication {

	}

}

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
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.github.resilientredis.test.RedisServer;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the Lettuce connection against a real {@code redis-server} with
 * the fault injected.
 *
 * @author resilient-redis contributors
 */
class ConnectionResilienceIntegrationTests {

	private final RedisServer server = RedisServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues(this.server.springProperties())
		.withInitializer(StartupEnvironment.withVariables(Map.of("CACHE_SOCKET_TIMEOUT_MS", "2000")))
		.withPropertyValues("spring.data.redis.timeout=500ms");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whenRedisIsKilledThenCommandsFailInMillisecondsInsteadOfQueueing() {
		run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("greeting", "hello");
			this.server.kill();
			await().atMost(Duration.ofSeconds(5)).until(() -> failsFast(redis));
			for (int i = 0; i < 20; i++) {
				long started = System.nanoTime();
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> redis.opsForValue().get("greeting"));
				// Half the 500 ms command timeout that a queued command would wait: a
				// margin a loaded machine keeps
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(250));
			}
		});
	}

	@Test
	void whenRedisRestartsThenTrafficFlowsWithinOneSecondOfItAcceptingConnections() {
		run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("greeting", "hello");
			AtomicLong failedReconnects = countFailedReconnects(context);
			this.server.kill();
			// Let the back-off grow to its cap before Redis returns: the worst case.
			await().atMost(Duration.ofSeconds(10)).until(() -> failedReconnects.get() >= 8);
			this.server.restart();
			long restarted = System.nanoTime();
			await().atMost(Duration.ofSeconds(1))
				.pollInterval(Duration.ofMillis(5))
				.ignoreExceptions()
				.until(() -> redis.opsForValue().setIfAbsent("back", "yes") != null);
			Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
			System.out.println("Traffic flowed again " + recovery.toMillis() + " ms after Redis accepted connections");
			assertThat(recovery).isLessThan(Duration.ofSeconds(1));
		});
	}

	@Test
	void whenUserSetsSpringBootsTimeoutThenACallToAFrozenRedisFailsWithinItInsteadOfTheStartersDefault() {
		// The user's own Boot key, over the seed variable and the starter's default (2s)
		this.contextRunner.withPropertyValues("spring.data.redis.timeout=300ms").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			// The first connection's handshake is bound by the timeout too: a loaded
			// machine may need more than one attempt.
			await().atMost(Duration.ofSeconds(10))
				.ignoreExceptions()
				.untilAsserted(() -> redis.opsForValue().set("greeting", "hello"));
			this.server.freeze();
			try {
				long started = System.nanoTime();
				assertThatExceptionOfType(QueryTimeoutException.class)
					.isThrownBy(() -> redis.opsForValue().get("greeting"))
					.havingRootCause()
					.withMessage("Command timed out after 300 millisecond(s)");
				Duration failedAfter = Duration.ofNanos(System.nanoTime() - started);
				System.out.println("With Redis frozen and spring.data.redis.timeout=300ms, the call failed after "
						+ failedAfter.toMillis() + " ms");
				assertThat(failedAfter).isBetween(Duration.ofMillis(250), Duration.ofSeconds(1));
			}
			finally {
				this.server.thaw();
			}
			await().atMost(Duration.ofSeconds(5))
				.ignoreExceptions()
				.until(() -> "hello".equals(redis.opsForValue().get("greeting")));
		});
	}

	@Test
	void whenApplicationStartsWithRedisDownThenItWorksAsSoonAsRedisIsUp() {
		this.server.kill();
		run((context) -> {
			assertThat(context).hasNotFailed();
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> redis.opsForValue().get("greeting"));
			this.server.restart();
			await().atMost(Duration.ofSeconds(3)).ignoreExceptions().untilAsserted(() -> {
				redis.opsForValue().set("greeting", "hello");
				assertThat(redis.opsForValue().get("greeting")).isEqualTo("hello");
			});
		});
	}

	@Test
	void whenServerDropsConnectionsThenNextCommandsSucceedAfterReconnect() {
		run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("greeting", "hello");
			assertThat(this.server.killClients()).isPositive();
			await().atMost(Duration.ofSeconds(2))
				.ignoreExceptions()
				.until(() -> "hello".equals(redis.opsForValue().get("greeting")));
		});
	}

	private void run(Consumer<AssertableApplicationContext> test) {
		this.contextRunner.run(test::accept);
	}

	private static boolean failsFast(StringRedisTemplate redis) {
		long started = System.nanoTime();
		try {
			redis.opsForValue().get("greeting");
			return false;
		}
		catch (DataAccessException ex) {
			return Duration.ofNanos(System.nanoTime() - started).toMillis() < 50;
		}
	}

	static AtomicLong countFailedReconnects(AssertableApplicationContext context) {
		AtomicLong failed = new AtomicLong();
		context.getBean(ClientResources.class)
			.eventBus()
			.get()
			.filter(ReconnectFailedEvent.class::isInstance)
			.subscribe((event) -> failed.incrementAndGet());
		return failed;
	}

}

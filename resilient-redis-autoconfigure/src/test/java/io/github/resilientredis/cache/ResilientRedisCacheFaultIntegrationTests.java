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

package io.github.resilientredis.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of the circuit-breaking cache against a real {@code redis-server}
 * with each fault injected: no exception reaches the caller, the breaker opens, calls
 * while it is open are answered locally in microseconds, it closes after recovery, and
 * nothing written or evicted during the outage is read stale from Redis afterwards.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisCacheFaultIntegrationTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

	private static final Duration FALLBACK_P99_BOUND = COMMAND_TIMEOUT.dividedBy(5);

	private static final String PASSWORD = "s3cret-cache";

	private final RedisServer server = RedisServer.builder().password(PASSWORD).maxmemory("4mb", "noeviction").start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CatalogConfiguration.class)
		.withPropertyValues(this.server.springProperties())
		.withPropertyValues("spring.data.redis.timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
				"resilient.redis.circuit-breaker.wait-duration-in-open-state=500ms", "resilient.redis.retry.budget=1s");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void survivesAKill() {
		survives(RedisServer::kill, RedisServer::restart);
	}

	@Test
	void survivesAFreeze() {
		survives(RedisServer::freeze, RedisServer::thaw);
	}

	@Test
	void whenRedisRestartsEmptyThenNoCallFailsAndNothingIsServedFromTheFallbackOnceItIsBack() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
			catalog.store("kept", "v1");
			assertThat(catalog.find("kept")).isEqualTo("v1");
			Thread restart = new Thread(this.server::restart);
			restart.start();
			// Another instance changes the data while this one still holds v1 locally.
			catalog.store("kept", "v2");
			while (restart.isAlive()) {
				assertThat(catalog.find("kept")).isIn("v1", "v2");
			}
			await().atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> cacheManager.getCircuitBreakerState() == State.CLOSED
						&& !cacheManager.isServingFromFallback());
			assertThat(catalog.find("kept")).as("read from the empty Redis, then loaded").isEqualTo("v2");
		});
	}

	@Test
	void survivesSlowResponses() {
		survives((server) -> server.slow(Duration.ofSeconds(4)), (server) -> {
		});
	}

	@Test
	void survivesOutOfMemory() {
		// Reads keep working under OOM: only writes fail, so the traffic is writes.
		survives(ResilientRedisCacheFaultIntegrationTests::fillMemory,
				(server) -> server.execute("CONFIG", "SET", "maxmemory", "64mb"),
				(catalog) -> catalog.update("other", "v" + System.nanoTime()));
	}

	@Test
	void survivesAPasswordChangedUnderTheApplication() {
		survives((server) -> {
			server.execute("CONFIG", "SET", "requirepass", "changed-" + PASSWORD);
			server.killClients();
		}, (server) -> server.execute("CONFIG", "SET", "requirepass", PASSWORD));
	}

	private void survives(Consumer<RedisServer> fault, Consumer<RedisServer> heal) {
		survives(fault, heal, (catalog) -> {
			assertThat(catalog.find("kept")).isEqualTo("v1");
			catalog.update("other", "v" + System.nanoTime());
		});
	}

	private void survives(Consumer<RedisServer> fault, Consumer<RedisServer> heal, Consumer<Catalog> traffic) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			Catalog catalog = context.getBean(Catalog.class);
			ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
			catalog.store("evicted", "v1");
			catalog.store("updated", "v1");
			catalog.store("kept", "v1");
			assertThat(catalog.find("evicted")).isEqualTo("v1");
			assertThat(catalog.find("updated")).isEqualTo("v1");
			assertThat(catalog.find("kept")).isEqualTo("v1");
			int loads = catalog.loads();
			assertThat(catalog.find("kept")).isEqualTo("v1");
			assertThat(catalog.loads()).as("served by Redis").isEqualTo(loads);

			fault.accept(this.server);
			long faultStarted = System.nanoTime();
			// Reads and writes keep answering while the breaker decides to open: any
			// exception here fails the test.
			await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10)).until(() -> {
				traffic.accept(catalog);
				return cacheManager.getCircuitBreakerState() != State.CLOSED;
			});
			Duration opened = Duration.ofNanos(System.nanoTime() - faultStarted);

			List<Long> latencies = new ArrayList<>();
			for (int i = 0; i < 500; i++) {
				long started = System.nanoTime();
				String value = catalog.find("kept");
				latencies.add(System.nanoTime() - started);
				assertThat(value).as("answered by the fallback").isEqualTo("v1");
			}
			Collections.sort(latencies);
			Duration p99 = Duration.ofNanos(latencies.get(latencies.size() * 99 / 100));

			catalog.store("evicted", "v2");
			catalog.evict("evicted");
			catalog.update("updated", "v2");
			assertThat(catalog.find("evicted")).as("read-your-writes while down").isEqualTo("v2");
			assertThat(catalog.find("updated")).as("read-your-writes while down").isEqualTo("v2");
			assertThat(cacheManager.isServingFromFallback()).isTrue();

			heal.accept(this.server);
			long healed = System.nanoTime();
			await().atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> cacheManager.getCircuitBreakerState() == State.CLOSED
						&& !cacheManager.isServingFromFallback());
			Duration recovered = Duration.ofNanos(System.nanoTime() - healed);
			System.out.printf(
					"%s: breaker left CLOSED %d ms after the fault; p99 of calls while open %d us "
							+ "(max %d us); closed and journal replayed %d ms after Redis returned%n",
					describe(), opened.toMillis(), p99.toNanos() / 1000, latencies.get(latencies.size() - 1) / 1000,
					recovered.toMillis());
			// Far below the command timeout that a call waiting on Redis would take, with
			// a margin for a loaded machine's scheduling stalls
			assertThat(p99).as("p99 of calls while open").isLessThan(FALLBACK_P99_BOUND);

			assertThat(catalog.find("evicted")).as("never stale after the outage").isEqualTo("v2");
			assertThat(catalog.find("updated")).as("never stale after the outage").isEqualTo("v2");
			int loadsAfter = catalog.loads();
			assertThat(catalog.find("updated")).isEqualTo("v2");
			assertThat(catalog.loads()).as("served by Redis again").isEqualTo(loadsAfter);
			assertThat(cacheManager.getCache("products")).isInstanceOf(ResilientRedisCache.class);
		});
	}

	private static String describe() {
		return StackWalker.getInstance()
			.walk((frames) -> frames.map(StackWalker.StackFrame::getMethodName)
				.filter((name) -> name.startsWith("survives") && !name.equals("survives"))
				.findFirst()
				.orElse("fault"));
	}

	private static void fillMemory(RedisServer server) {
		// Over the limit for good: a SET that fails only while its own large request
		// is buffered would leave room for the next small one.
		String block = "x".repeat(4 * 1024);
		for (int i = 0; i < 512; i++) {
			server.execute("SET", "filler:" + i, block);
		}
		server.execute("CONFIG", "SET", "maxmemory", "1mb");
		assertThat(catchThrowable(() -> server.execute("SET", "probe", "1"))).hasMessageContaining("OOM");
	}

}

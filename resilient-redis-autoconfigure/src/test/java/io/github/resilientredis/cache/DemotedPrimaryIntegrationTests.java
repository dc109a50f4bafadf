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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisMonitoringAutoConfiguration;
import io.github.resilientredis.autoconfigure.health.ResilientRedisHealthContributorAutoConfiguration;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisErrorCounter;
import io.github.resilientredis.health.ResilientRedisHealthIndicator;
import io.github.resilientredis.test.RedisServer;
import io.github.resilientredis.test.StableEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of a primary demoted to a replica behind a stable endpoint, as a
 * cloud primary endpoint whose DNS record moves on a failover: two real
 * {@code redis-server} processes swap roles with {@code REPLICAOF} while the application
 * writes through the cache, and Lettuce resolves the endpoint's host name to whichever
 * server it points at. The demoted server keeps the application's connections open and
 * answers their writes with {@code READONLY}.
 *
 * @author resilient-redis contributors
 */
class DemotedPrimaryIntegrationTests {

	private static final String ENDPOINT = "primary.redis.test";

	private static final String KEY = "demoted";

	private static final Pattern WRITTEN = Pattern.compile("w(\\d+)w");

	private static final Duration FIRST_WRITE_BOUND = Duration.ofSeconds(3);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class, ResilientRedisCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class,
				ResilientRedisHealthContributorAutoConfiguration.class))
		.withUserConfiguration(CatalogConfiguration.class)
		.withPropertyValues("spring.data.redis.timeout=500ms",
				"resilient.redis.circuit-breaker.wait-duration-in-open-state=500ms", "resilient.redis.retry.budget=1s",
				"resilient.redis.health.cache-time=0");

	@Test
	void whenTheEndpointMovesToThePromotedReplicaThenWritesReachItWithinThreeSecondsAndReadonlyErrorsStop() {
		try (RedisServer first = server(); RedisServer second = server()) {
			second.replicaOf(first);
			StableEndpoint endpoint = StableEndpoint.of(ENDPOINT, first);
			run(endpoint, (context) -> {
				Catalog catalog = context.getBean(Catalog.class);
				RedisErrorCounter errors = context.getBean(RedisErrorCounter.class);
				try (CacheLoad writes = writes(catalog)) {
					await().atMost(Duration.ofSeconds(20)).until(() -> writtenOn(first) > 10);
					second.promote();
					endpoint.moveTo(second);
					long writtenBefore = writes.calls();
					long demoted = System.nanoTime();
					// REPLICAOF demotes at once; the resync that follows is not waited
					// for
					CompletableFuture<Void> resynced = CompletableFuture.runAsync(() -> first.replicaOf(second));
					await().atMost(Duration.ofSeconds(10))
						.pollInterval(Duration.ofMillis(5))
						.until(() -> writtenOn(second) > writtenBefore);
					Duration firstWrite = Duration.ofNanos(System.nanoTime() - demoted);
					resynced.get(30, TimeUnit.SECONDS);
					long readonly = readonlyErrors(errors);
					System.out.printf(
							"Demoted primary behind a moved endpoint: first acknowledged write on the promoted "
									+ "server %d ms after the demotion; %d readonly errors by then%n",
							firstWrite.toMillis(), readonly);
					assertThat(readonly).as("writes reached the demoted server").isPositive();
					assertThat(firstWrite).isLessThanOrEqualTo(FIRST_WRITE_BOUND);
					// Writes already on their way to the demoted server may still fail;
					// then
					// the count holds still for two seconds of writes
					AtomicLong settled = new AtomicLong(-1);
					await().atMost(Duration.ofSeconds(5))
						.during(Duration.ofSeconds(2))
						.until(() -> settled.getAndSet(readonlyErrors(errors)) == readonlyErrors(errors));
					System.out.printf("Readonly errors stopped growing at %d; %d writes, none failed%n",
							readonlyErrors(errors), writes.calls());
					assertThat(writtenOn(second)).as("writes keep reaching the promoted server")
						.isGreaterThan(writtenBefore);
					writes.assertNoCallFailed();
				}
			});
		}
	}

	@Test
	void whenTheEndpointStaysOnTheDemotedPrimaryThenTheBreakerNeverClosesAndHealthSaysItIsAReplica() {
		try (RedisServer first = server(); RedisServer second = server()) {
			second.replicaOf(first);
			StableEndpoint endpoint = StableEndpoint.of(ENDPOINT, first);
			run(endpoint, (context) -> {
				CircuitBreaker breaker = context.getBean(CircuitBreaker.class);
				List<State> transitions = new CopyOnWriteArrayList<>();
				breaker.getEventPublisher()
					.onStateTransition((event) -> transitions.add(event.getStateTransition().getToState()));
				// The cache only reads, so its journal stays empty: replaying journaled
				// writes fails on a replica by itself, and would keep the breaker open
				try (CacheLoad writes = writes(context.getBean(RedisCommandExecutor.class),
						context.getBean(StringRedisTemplate.class), context.getBean(Catalog.class))) {
					await().atMost(Duration.ofSeconds(20)).until(() -> writtenOn(first, KEY) > 10);
					second.promote();
					first.replicaOf(second);
					await().atMost(Duration.ofSeconds(5)).until(() -> breaker.getState() != State.CLOSED);
					int opened = transitions.size();
					// Eight times the wait in the open state: eight chances to close
					// wrongly
					await().atMost(Duration.ofSeconds(5))
						.during(Duration.ofSeconds(4))
						.until(() -> !transitions.subList(opened, transitions.size()).contains(State.CLOSED));
					List<State> since = List.copyOf(transitions.subList(opened, transitions.size()));
					Health health = health(context);
					System.out.printf(
							"Demoted primary, endpoint not moved: breaker transitions after it opened %s; health %s %s%n",
							since, health.getStatus(), health.getDetails());
					assertThat(since).as("the breaker closed against a replica").doesNotContain(State.CLOSED);
					assertThat(breaker.getState()).isNotEqualTo(State.CLOSED);
					assertThat(health.getStatus()).isEqualTo(ResilientRedisHealthIndicator.DEGRADED);
					assertThat(health.getDetails()).containsEntry("role", "replica");
					assertThat(health.getDetails().get("error")).asString().startsWith("replica: ");
					writes.assertNoCallFailed();
					// Once it is a primary again, the cache is back on it
					first.promote();
					await().atMost(Duration.ofSeconds(5)).until(() -> breaker.getState() == State.CLOSED);
					long before = writes.calls();
					await().atMost(Duration.ofSeconds(5)).until(() -> writtenOn(first, KEY) > before);
					writes.assertNoCallFailed();
				}
			});
		}
	}

	private static RedisServer server() {
		// A full resync starts at once instead of after Redis's default 5 s
		return RedisServer.builder().config("repl-diskless-sync-delay", "0").start();
	}

	private void run(StableEndpoint endpoint, ContextConsumer<AssertableApplicationContext> test) {
		this.contextRunner.withPropertyValues(endpoint.springProperties())
			.withBean(ClientResourcesBuilderCustomizer.class,
					() -> (builder) -> builder.socketAddressResolver(endpoint.socketAddressResolver()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> context.getBean(CircuitBreaker.class).getState() == State.CLOSED);
				test.accept(context);
			});
	}

	/**
	 * Return the number of the last write the server holds, {@code -1} for none.
	 */
	/**
	 * Write a growing number through a {@code @CachePut} method every two milliseconds.
	 */
	private static CacheLoad writes(Catalog catalog) {
		return CacheLoad.start(1, Duration.ofMillis(2), (write) -> catalog.update(KEY, "w" + write + "w"));
	}

	/**
	 * Write a growing number every two milliseconds with the application's own
	 * {@code SET} through the executor, answering from a fallback when Redis is
	 * unavailable, and read through the cache.
	 */
	private static CacheLoad writes(RedisCommandExecutor executor, StringRedisTemplate redis, Catalog catalog) {
		return CacheLoad.start(1, Duration.ofMillis(2), (write) -> {
			executor.execute("SET " + KEY, () -> {
				redis.opsForValue().set(KEY, "w" + write + "w");
				return null;
			}, (unavailable) -> null);
			catalog.find("read");
		});
	}

	private static long writtenOn(RedisServer server) {
		return writtenOn(server, "products::" + KEY);
	}

	private static long writtenOn(RedisServer server, String key) {
		Matcher written = WRITTEN.matcher(String.valueOf(server.execute("GET", key)));
		return written.find() ? Long.parseLong(written.group(1)) : -1;
	}

	private static long readonlyErrors(RedisErrorCounter errors) {
		return errors.getCounts().getOrDefault("readonly", 0L);
	}

	private static Health health(AssertableApplicationContext context) {
		Health health = context.getBean("redisHealthContributor", HealthIndicator.class).health();
		assertThat(health).isNotNull();
		return health;
	}

}

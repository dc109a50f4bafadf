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

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisMonitoringAutoConfiguration;
import io.github.resilientredis.execution.RedisErrorCounter;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration test of the cache while Redis loads its data set, as after a restart with a
 * large one: a real {@code redis-server} with {@code key-load-delay} reloads its data set
 * with {@code DEBUG RELOAD} and answers {@code LOADING} for a few seconds.
 *
 * @author resilient-redis contributors
 */
class LoadingIntegrationTests {

	private static final int KEYS = 8_000;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class, ResilientRedisCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, ResilientRedisMonitoringAutoConfiguration.class))
		.withUserConfiguration(CatalogConfiguration.class)
		.withPropertyValues("spring.data.redis.timeout=500ms",
				"resilient.redis.circuit-breaker.wait-duration-in-open-state=500ms", "resilient.redis.retry.budget=1s");

	@Test
	void whenRedisIsLoadingItsDataSetThenCallsAreAnsweredFromTheFallbackAndTheBreakerClosesOnceLoaded()
			throws Exception {
		// 100 µs per key: 8,000 keys load in about three seconds, answering clients every
		// kilobyte
		try (RedisServer redis = RedisServer.builder()
			.config("key-load-delay", "100")
			.config("loading-process-events-interval-bytes", "1024")
			.start()) {
			redis.execute("DEBUG", "POPULATE", String.valueOf(KEYS), "filler");
			this.contextRunner.withPropertyValues(redis.springProperties()).run((context) -> {
				Catalog catalog = context.getBean(Catalog.class);
				CircuitBreaker breaker = context.getBean(CircuitBreaker.class);
				RedisErrorCounter errors = context.getBean(RedisErrorCounter.class);
				ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> breaker.getState() == State.CLOSED);
				List<String> transitions = new CopyOnWriteArrayList<>();
				try (CacheLoad load = CacheLoad.start(catalog, "loading-")) {
					await().atMost(Duration.ofSeconds(20)).until(() -> load.calls() > 100);
					breaker.getEventPublisher()
						.onStateTransition((event) -> transitions.add(event.getStateTransition().getToState().name()));
					long started = System.nanoTime();
					CompletableFuture<Void> loaded = redis.reload();
					loaded.get(60, TimeUnit.SECONDS);
					long loadedAt = System.nanoTime();
					List<String> whileLoading = List.copyOf(transitions);
					await().atMost(Duration.ofSeconds(10))
						.pollInterval(Duration.ofMillis(10))
						.until(() -> breaker.getState() == State.CLOSED && !cacheManager.isServingFromFallback());
					Duration back = Duration.ofNanos(System.nanoTime() - loadedAt);
					System.out.printf(
							"Redis loading for %d ms (DEBUG RELOAD of %d keys): %d calls, none failed; breaker "
									+ "transitions while loading %s; back on Redis %d ms after loading ended; "
									+ "errors %s%n",
							TimeUnit.NANOSECONDS.toMillis(loadedAt - started), KEYS, load.calls(), whileLoading,
							back.toMillis(), errors.getCounts());
					load.assertNoCallFailed();
					assertThat(errors.getCounts()).containsKey("loading");
					assertThat(whileLoading).as("the breaker closed while Redis was still loading")
						.doesNotContain(State.CLOSED.name());
					assertThat(back).isLessThanOrEqualTo(Duration.ofSeconds(2));
				}
			});
		}
	}

}

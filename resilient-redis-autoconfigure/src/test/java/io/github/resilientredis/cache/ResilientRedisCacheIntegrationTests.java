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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.Cache;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of the behaviour of {@link ResilientRedisCache} against a real
 * {@code redis-server}: ordering of writes and reads, deserialization failures, which
 * failures count toward the breaker, and the synchronous and asynchronous cache paths
 * during an outage.
 *
 * @author resilient-redis contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class ResilientRedisCacheIntegrationTests {

	private final RedisServer server = RedisServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues(this.server.springProperties())
		.withPropertyValues("spring.data.redis.timeout=500ms",
				"resilient.redis.circuit-breaker.wait-duration-in-open-state=500ms", "resilient.redis.retry.budget=1s");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void aThreadAlwaysReadsItsOwnLastWriteOrEviction() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			int threads = 8;
			int iterations = 1500;
			AtomicInteger staleReads = new AtomicInteger();
			ExecutorService executor = Executors.newFixedThreadPool(threads);
			try {
				List<Future<?>> futures = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					String key = "thread-" + t;
					futures.add(executor.submit(() -> {
						for (int i = 0; i < iterations; i++) {
							String version = key + ":" + i;
							if (i % 5 == 4) {
								catalog.store(key, version);
								catalog.evict(key);
							}
							else {
								catalog.update(key, version);
							}
							if (!version.equals(catalog.find(key))) {
								staleReads.incrementAndGet();
							}
						}
						return null;
					}));
				}
				for (Future<?> future : futures) {
					future.get(2, TimeUnit.MINUTES);
				}
			}
			finally {
				executor.shutdownNow();
			}
			System.out.printf("%d reads after the thread's own write or eviction, %d stale%n", threads * iterations,
					staleReads.get());
			assertThat(staleReads).hasValue(0);
		});
	}

	@Test
	void aValueThatNoLongerDeserializesIsAMissThatIsEvictedCountedAndLoggedOnce(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			ResilientRedisCache cache = (ResilientRedisCache) context.getBean(ResilientRedisCacheManager.class)
				.getCache("products");
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("products::a", "secret-value-of-an-old-class");
			redis.opsForValue().set("products::b", "secret-value-of-an-old-class");
			catalog.store("a", "fresh");
			catalog.store("b", "fresh");
			assertThat(catalog.find("a")).isEqualTo("fresh");
			assertThat(catalog.find("b")).isEqualTo("fresh");
			assertThat(catalog.loads()).isEqualTo(2);
			assertThat(cache.getResilienceStatistics().getDeserializationFailures()).isEqualTo(2);
			assertThat(redis.opsForValue().get("products::a")).isNotEqualTo("secret-value-of-an-old-class");
			assertThat(catalog.find("a")).isEqualTo("fresh");
			assertThat(catalog.loads()).as("served by Redis again").isEqualTo(2);
			assertThat(output).containsOnlyOnce("Cache 'products' holds a value that cannot be deserialized")
				.doesNotContain("secret-value-of-an-old-class");
			assertThat(
					context.getBean("redisCircuitBreaker", CircuitBreaker.class).getMetrics().getNumberOfFailedCalls())
				.isZero();
		});
	}

	@Test
	void exceptionsOfTheApplicationReachTheCallerAndNeverOpenTheBreaker() {
		this.contextRunner.run((context) -> {
			FailingService service = context.getBean(FailingService.class);
			CircuitBreaker breaker = context.getBean("redisCircuitBreaker", CircuitBreaker.class);
			for (int i = 0; i < 30; i++) {
				assertThatIllegalStateException().isThrownBy(service::load).withMessage("application failure");
			}
			Cache cache = context.getBean(ResilientRedisCacheManager.class).getCache("products");
			assertThat(cache).isNotNull();
			assertThat(catchThrowable(() -> cache.put("key", new Object())))
				.as("a value that cannot be serialized is the caller's error")
				.isNotNull();
			assertThat(breaker.getState()).isEqualTo(State.CLOSED);
			assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
		});
	}

	@Test
	void synchronizedAsynchronousAndReactiveCachedMethodsFallBackTheSameWay() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
			catalog.store("sync", "v1");
			catalog.store("async", "v1");
			catalog.store("reactive", "v1");
			assertThat(catalog.findReactive("reactive").block(Duration.ofSeconds(5))).isEqualTo("v1");
			assertThat(catalog.findSynchronized("sync")).isEqualTo("v1");
			assertThat(catalog.findAsync("async").get(5, TimeUnit.SECONDS)).isEqualTo("v1");
			int loads = catalog.loads();
			assertThat(catalog.findAsync("async").get(5, TimeUnit.SECONDS)).isEqualTo("v1");
			assertThat(catalog.loads()).as("asynchronous hit served by Redis").isEqualTo(loads);
			this.server.kill();
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
				assertThat(catalog.findSynchronized("sync")).isEqualTo("v1");
				assertThat(catalog.findAsync("async").get(5, TimeUnit.SECONDS)).isEqualTo("v1");
				assertThat(catalog.findReactive("reactive").block(Duration.ofSeconds(5))).isEqualTo("v1");
				return cacheManager.getCircuitBreakerState() != State.CLOSED;
			});
			loads = catalog.loads();
			assertThat(catalog.findReactive("reactive").block(Duration.ofSeconds(1))).isEqualTo("v1");
			assertThat(catalog.loads()).as("reactive read answered by the fallback").isEqualTo(loads);
			assertThat(catalog.findSynchronized("sync")).isEqualTo("v1");
			assertThat(catalog.findAsync("async").get(1, TimeUnit.SECONDS)).isEqualTo("v1");
			catalog.store("new-sync", "v1");
			catalog.store("new-async", "v1");
			assertThat(catalog.findSynchronized("new-sync")).isEqualTo("v1");
			assertThat(catalog.findAsync("new-async").get(1, TimeUnit.SECONDS)).isEqualTo("v1");
			loads = catalog.loads();
			assertThat(catalog.findSynchronized("new-sync")).isEqualTo("v1");
			assertThat(catalog.findAsync("new-async").get(1, TimeUnit.SECONDS)).isEqualTo("v1");
			assertThat(catalog.loads()).as("values loaded while down are served by the fallback").isEqualTo(loads);
			this.server.restart();
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> !cacheManager.isServingFromFallback());
			assertThat(catalog.findAsync("async").get(5, TimeUnit.SECONDS)).isEqualTo("v1");
		});
	}

	@Test
	void aCachedFutureCompletedOnARedisEventLoopIsStoredInRedis() {
		// A put that blocked the event loop would wait out the command timeout: a long
		// one, so that the bound below tells it apart with a margin a loaded machine
		// keeps
		this.contextRunner.withPropertyValues("spring.data.redis.timeout=5s").run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			RedisBackedService service = context.getBean(RedisBackedService.class);
			ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
			ResilientRedisCache cache = (ResilientRedisCache) cacheManager.getCache("products");
			redis.opsForValue().set("source:x", "v1");
			// Connect the reactive side first: only the cached call itself is timed.
			assertThat(service.find("warm-up").get(5, TimeUnit.SECONDS)).isNull();
			await().atMost(Duration.ofSeconds(5)).until(() -> cache.getResilienceStatistics().getRedisPuts() == 1);
			long started = System.nanoTime();
			assertThat(service.find("x").get(5, TimeUnit.SECONDS)).isEqualTo("v1");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
			await().atMost(Duration.ofSeconds(5)).until(() -> cache.getResilienceStatistics().getRedisPuts() == 2);
			assertThat(cacheManager.getJournalSize()).isZero();
			assertThat(service.find("x").get(5, TimeUnit.SECONDS)).isEqualTo("v1");
			assertThat(service.loads()).isEqualTo(2);
			assertThat(cache.getResilienceStatistics().getRedisHits()).isEqualTo(1);
		});
	}

	@Test
	void whenRedisAcceptsConnectionsAgainThenTheCacheReturnsWithoutWaitingOutTheBreaker() {
		this.contextRunner.withPropertyValues("resilient.redis.circuit-breaker.wait-duration-in-open-state=1m")
			.run((context) -> {
				Catalog catalog = context.getBean(Catalog.class);
				ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
				catalog.store("a", "v1");
				assertThat(catalog.find("a")).isEqualTo("v1");
				this.server.kill();
				await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
					catalog.find("a");
					return cacheManager.getCircuitBreakerState() == State.OPEN;
				});
				this.server.restart();
				long restarted = System.nanoTime();
				await().atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(5))
					.until(() -> cacheManager.getCircuitBreakerState() == State.CLOSED);
				System.out.printf("Breaker closed %d ms after Redis restarted (wait in open state: 1 min)%n",
						Duration.ofNanos(System.nanoTime() - restarted).toMillis());
			});
	}

	@Test
	void whenTheJournalOverflowsThenTheCacheIsClearedInRedisBeforeItServesAgain() {
		this.contextRunner.withPropertyValues("resilient.redis.cache.journal.max-size=3").run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
			for (int i = 0; i < 6; i++) {
				catalog.store("key-" + i, "v1");
				assertThat(catalog.find("key-" + i)).isEqualTo("v1");
			}
			this.server.freeze();
			openBreaker(context, catalog);
			for (int i = 0; i < 5; i++) {
				catalog.store("key-" + i, "v2");
				catalog.evict("key-" + i);
			}
			assertThat(cacheManager.getJournalOverflows()).isEqualTo(1);
			// Another instance changed key-5 meanwhile: a cleared cache loads it again.
			catalog.store("key-5", "v2");
			this.server.thaw();
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> !cacheManager.isServingFromFallback());
			for (int i = 0; i < 6; i++) {
				assertThat(catalog.find("key-" + i)).isEqualTo("v2");
			}
		});
	}

	private void openBreaker(AssertableApplicationContext context, Catalog catalog) {
		ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10)).until(() -> {
			catalog.find("probe");
			return cacheManager.getCircuitBreakerState() != State.CLOSED;
		});
	}

	@Configuration(proxyBeanMethods = false)
	@Import(CatalogConfiguration.class)
	static class CachingConfiguration {

		@Bean
		FailingService failingService() {
			return new FailingService();
		}

		@Bean
		RedisBackedService redisBackedService(RedisConnectionFactory connectionFactory) {
			return new RedisBackedService(
					new ReactiveStringRedisTemplate((ReactiveRedisConnectionFactory) connectionFactory));
		}

	}

	public static class FailingService {

		@Cacheable("products")
		public String load() {
			throw new IllegalStateException("application failure");
		}

	}

	public static class RedisBackedService {

		private final ReactiveStringRedisTemplate redis;

		private final AtomicInteger loads = new AtomicInteger();

		RedisBackedService(ReactiveStringRedisTemplate redis) {
			this.redis = redis;
		}

		int loads() {
			return this.loads.get();
		}

		@Cacheable("products")
		public CompletableFuture<String> find(String id) {
			this.loads.incrementAndGet();
			// Completed on a Lettuce event loop thread.
			return this.redis.opsForValue().get("source:" + id).toFuture();
		}

	}

}

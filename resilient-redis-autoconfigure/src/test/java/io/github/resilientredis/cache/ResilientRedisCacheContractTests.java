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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Spring {@link Cache} contract of {@link ResilientRedisCache} against a real
 * {@code redis-server}: a {@code put} is a put unless it fills the miss its own
 * interception just saw, the fallback holds values by value, and a locking cache writer
 * keeps two instances from loading the same key twice.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisCacheContractTests {

	private final RedisServer server = RedisServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(ShelfConfiguration.class)
		.withPropertyValues(this.server.springProperties());

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whenAPutFollowsAMissAndAnEvictionOfTheSameThreadThenItIsStored() {
		this.contextRunner.run((context) -> {
			Cache cache = items(context);
			assertStoredOverAFillInFlight(context, () -> {
				assertThat(cache.get("k")).isNull();
				cache.evict("k");
				cache.put("k", "v");
			});
			assertStored(context, "k", "v");
		});
	}

	@Test
	void whenAnnotatedMissEvictionAndPutFollowEachOtherThenThePutIsStored() {
		this.contextRunner.run((context) -> {
			Shelf shelf = context.getBean(Shelf.class);
			assertThat(shelf.findOrNull("k")).as("a miss that is not filled (unless)").isNull();
			shelf.evict("k");
			shelf.update("k", "v");
			assertStored(context, "k", "v");
			int loads = shelf.loads();
			assertThat(shelf.findOrNull("k")).isEqualTo("v");
			assertThat(shelf.loads()).as("served from the cache").isEqualTo(loads);
		});
	}

	@Test
	void whenAPutFollowsAMissAndAPutIfAbsentOfTheSameThreadThenItIsStored() {
		this.contextRunner.run((context) -> {
			Cache cache = items(context);
			assertStoredOverAFillInFlight(context, () -> {
				assertThat(cache.get("k")).isNull();
				assertThat(cache.putIfAbsent("k", "first")).isNull();
				cache.put("k", "second");
			});
			assertStored(context, "k", "second");
		});
	}

	@Test
	void whenAPutFollowsAMissAndAClearOfTheSameThreadThenItIsStored() {
		this.contextRunner.run((context) -> {
			Cache cache = items(context);
			assertStoredOverAFillInFlight(context, () -> {
				assertThat(cache.get("k")).isNull();
				cache.clear();
				cache.put("k", "v");
			});
			assertStored(context, "k", "v");
		});
	}

	@Test
	void whenAnnotatedMissClearAndPutFollowEachOtherThenThePutIsStored() {
		this.contextRunner.run((context) -> {
			Shelf shelf = context.getBean(Shelf.class);
			assertThat(shelf.findOrNull("k")).isNull();
			shelf.evictAll();
			shelf.update("k", "v");
			assertStored(context, "k", "v");
		});
	}

	@Test
	void whenAPooledThreadsEarlierMissWasNeverFilledThenItsLaterPutIsStored() {
		this.contextRunner.run((context) -> {
			Shelf shelf = context.getBean(Shelf.class);
			ExecutorService pool = Executors.newSingleThreadExecutor();
			try {
				// Not filled: unless="#result == null"
				assertThat(pool.submit(() -> shelf.findOrNull("a")).get(10, TimeUnit.SECONDS)).isNull();
				// Not filled: the method threw
				assertThat(pool.submit(() -> {
					try {
						return shelf.findOrFail("b");
					}
					catch (IllegalStateException ex) {
						return "threw";
					}
				}).get(10, TimeUnit.SECONDS)).isEqualTo("threw");
				// Another thread writes both keys meanwhile
				shelf.update("a", "other-thread");
				shelf.update("b", "other-thread");
				pool.submit(() -> shelf.update("a", "pooled")).get(10, TimeUnit.SECONDS);
				pool.submit(() -> shelf.update("b", "pooled")).get(10, TimeUnit.SECONDS);
			}
			finally {
				pool.shutdownNow();
			}
			assertStored(context, "a", "pooled");
			assertStored(context, "b", "pooled");
		});
	}

	@Test
	void whenAKeyIsWrittenWhileAMissLoadsThenTheOlderLoadedValueIsNotStored() {
		this.contextRunner.run((context) -> {
			Shelf shelf = context.getBean(Shelf.class);
			shelf.store("k", "old");
			CompletableFuture<String> slowRead = CompletableFuture.supplyAsync(() -> shelf.findSlowly("k"));
			assertThat(shelf.awaitLoadStarted()).isTrue();
			shelf.update("k", "new");
			shelf.releaseLoad();
			assertThat(slowRead.get(10, TimeUnit.SECONDS)).as("the caller gets what it loaded").isEqualTo("old");
			assertStored(context, "k", "new");
			assertThat(resilientItems(context).getResilienceStatistics().getSupersededFills()).isOne();
		});
	}

	@Test
	void whenTheCachedMethodPutsAKeyItMissedItselfThenThatPutIsAPlainPut() {
		this.contextRunner.run((context) -> {
			Shelf shelf = context.getBean(Shelf.class);
			Cache cache = items(context);
			// The method's own code: a miss of "other", another thread writes it, then
			// a put of "other": not the fill of the interception around it.
			String result = shelf.findWithinMethod("k", () -> {
				assertThat(cache.get("other")).isNull();
				CompletableFuture.runAsync(() -> shelf.update("other", "other-thread")).join();
				cache.put("other", "method");
			});
			assertThat(result).isEqualTo("loaded");
			assertStored(context, "other", "method");
			assertStored(context, "k", "loaded");
		});
	}

	@Test
	void whenACallerChangesAValueItPutThenTheFallbackStillServesWhatWasPut() {
		this.contextRunner.run((context) -> {
			Shelf shelf = context.getBean(Shelf.class);
			List<String> put = new ArrayList<>(List.of("put"));
			shelf.saveList("k", put);
			put.add("changed after the put");
			openBreaker(context);
			List<String> served = shelf.findList("k");
			assertThat(served).containsExactly("put");
			assertThat(resilientCache(context, "lists").getResilienceStatistics().getFallbackHits()).isOne();
		});
	}

	@Test
	void whenACallerChangesAValueItReadThenTheFallbackStillServesWhatRedisHeld() {
		this.contextRunner.run((context) -> {
			Shelf shelf = context.getBean(Shelf.class);
			assertThat(shelf.findList("k")).containsExactly("loaded");
			List<String> hit = shelf.findList("k");
			assertThat(shelf.listLoads()).as("the second read is a hit").isOne();
			hit.add("changed after the hit");
			openBreaker(context);
			List<String> first = shelf.findList("k");
			List<String> second = shelf.findList("k");
			assertThat(first).containsExactly("loaded");
			first.add("changed after a fallback read");
			assertThat(second).isNotSameAs(first).containsExactly("loaded");
			assertThat(shelf.findList("k")).containsExactly("loaded");
		});
	}

	@Test
	void whenTheCacheWriterLocksThenTwoInstancesLoadAKeyOnce() {
		AtomicInteger loads = new AtomicInteger();
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ApplicationContextRunner locking = this.contextRunner.withUserConfiguration(LockingWriterConfiguration.class)
			.withBean(SlowLoader.class, () -> new SlowLoader(loads, loading, release));
		// One slow call opens the first instance's breaker: the load, which blocks for
		// longer than the threshold, must not count as one.
		locking
			.withPropertyValues("resilient.redis.circuit-breaker.slow-call-duration-threshold=1s",
					"resilient.redis.circuit-breaker.consecutive-failure-threshold=1")
			.run((first) -> locking.run((second) -> {
				assertThat(((SynchronousCacheWriter) items(first).getNativeCache()).isStarters()).isFalse();
				CompletableFuture<String> firstRead = CompletableFuture
					.supplyAsync(() -> first.getBean(SlowLoader.class).find("k"));
				assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
				CompletableFuture<String> secondRead = CompletableFuture
					.supplyAsync(() -> second.getBean(SlowLoader.class).find("k"));
				// The second instance waits for the first one's lock instead of loading
				await().during(Duration.ofMillis(1500))
					.atMost(Duration.ofSeconds(10))
					.until(() -> loads.get() == 1 && !secondRead.isDone());
				release.countDown();
				assertThat(firstRead.get(10, TimeUnit.SECONDS)).isEqualTo("loaded-1");
				assertThat(secondRead.get(10, TimeUnit.SECONDS)).isEqualTo("loaded-1");
				assertThat(loads).hasValue(1);
				// The loader's time is not Redis's: the first instance's breaker, which a
				// single slow call would open, stays closed.
				CircuitBreaker breaker = first.getBean("redisCircuitBreaker", CircuitBreaker.class);
				assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
				assertThat(breaker.getMetrics().getNumberOfSlowCalls()).isZero();
			}));
	}

	@Test
	void whenTheCacheWriterIsTheStartersThenSynchronizedLoadsAreFencedInTheJvm() {
		this.contextRunner.run((context) -> {
			assertThat(((SynchronousCacheWriter) items(context).getNativeCache()).isStarters()).isTrue();
			Shelf shelf = context.getBean(Shelf.class);
			shelf.store("k", "v1");
			assertThat(shelf.findOnce("k")).isEqualTo("v1");
			assertThat(shelf.findOnce("k")).isEqualTo("v1");
			assertThat(shelf.loads()).isOne();
		});
	}

	// The writes run while an annotated load of the key, whose miss came first, is in
	// flight on another thread: they are stored, and that older load is not stored over
	// them.
	private static void assertStoredOverAFillInFlight(AssertableApplicationContext context, Runnable writes)
			throws Exception {
		Shelf shelf = context.getBean(Shelf.class);
		shelf.store("k", "loaded-before-the-writes");
		CompletableFuture<String> slowRead = CompletableFuture.supplyAsync(() -> shelf.findSlowly("k"));
		assertThat(shelf.awaitLoadStarted()).isTrue();
		writes.run();
		shelf.releaseLoad();
		assertThat(slowRead.get(30, TimeUnit.SECONDS)).isEqualTo("loaded-before-the-writes");
		assertThat(resilientItems(context).getResilienceStatistics().getSupersededFills()).isOne();
	}

	private void assertStored(AssertableApplicationContext context, String key, String value) {
		assertThat(this.server.execute("EXISTS", "items::" + key)).as("in Redis").isEqualTo("1");
		Cache.ValueWrapper stored = items(context).get(key);
		assertThat(stored).isNotNull();
		assertThat(stored.get()).isEqualTo(value);
		assertThat(resilientItems(context).getResilienceStatistics().getFallbackHits()).as("read from Redis").isZero();
	}

	private static void awaitRelease(CountDownLatch release) {
		try {
			assertThat(release.await(10, TimeUnit.SECONDS)).as("released").isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void openBreaker(AssertableApplicationContext context) {
		context.getBean("redisCircuitBreaker", CircuitBreaker.class).transitionToForcedOpenState();
	}

	private static Cache items(AssertableApplicationContext context) {
		Cache cache = context.getBean(CacheManager.class).getCache("items");
		assertThat(cache).isNotNull();
		return cache;
	}

	private static ResilientRedisCache resilientItems(AssertableApplicationContext context) {
		return resilientCache(context, "items");
	}

	private static ResilientRedisCache resilientCache(AssertableApplicationContext context, String name) {
		return (ResilientRedisCache) context.getBean(CacheManager.class).getCache(name);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class ShelfConfiguration {

		@Bean
		Shelf shelf() {
			return new Shelf();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LockingWriterConfiguration {

		@Bean
		RedisCacheManagerBuilderCustomizer lockingWriter(RedisConnectionFactory connectionFactory) {
			return (builder) -> builder.cacheWriter(RedisCacheWriter.lockingRedisCacheWriter(connectionFactory));
		}

	}

	/**
	 * A cached service over a map that stands for the database.
	 */
	public static class Shelf {

		private final Map<String, String> database = new ConcurrentHashMap<>();

		private final AtomicInteger loads = new AtomicInteger();

		private final AtomicInteger listLoads = new AtomicInteger();

		private final CountDownLatch loadStarted = new CountDownLatch(1);

		private final CountDownLatch releaseLoad = new CountDownLatch(1);

		void store(String id, String value) {
			this.database.put(id, value);
		}

		int loads() {
			return this.loads.get();
		}

		int listLoads() {
			return this.listLoads.get();
		}

		boolean awaitLoadStarted() throws InterruptedException {
			return this.loadStarted.await(10, TimeUnit.SECONDS);
		}

		void releaseLoad() {
			this.releaseLoad.countDown();
		}

		@Cacheable(cacheNames = "items", unless = "#result == null")
		public String findOrNull(String id) {
			this.loads.incrementAndGet();
			return this.database.get(id);
		}

		@Cacheable("items")
		public String findOrFail(String id) {
			throw new IllegalStateException("No " + id);
		}

		@Cacheable("items")
		public String findSlowly(String id) {
			String value = this.database.get(id);
			this.loadStarted.countDown();
			awaitRelease(this.releaseLoad);
			return value;
		}

		@Cacheable(cacheNames = "items", key = "#id")
		public String findWithinMethod(String id, Runnable body) {
			body.run();
			return "loaded";
		}

		@Cacheable(cacheNames = "items", sync = true)
		public String findOnce(String id) {
			this.loads.incrementAndGet();
			return this.database.get(id);
		}

		@CachePut(cacheNames = "items", key = "#id")
		public String update(String id, String value) {
			this.database.put(id, value);
			return value;
		}

		@CacheEvict("items")
		public void evict(String id) {
		}

		@CacheEvict(cacheNames = "items", allEntries = true)
		public void evictAll() {
		}

		@CachePut(cacheNames = "lists", key = "#id")
		public List<String> saveList(String id, List<String> list) {
			return list;
		}

		@Cacheable("lists")
		public List<String> findList(String id) {
			this.listLoads.incrementAndGet();
			return new ArrayList<>(List.of("loaded"));
		}

	}

	/**
	 * A synchronized cached method whose load blocks until released.
	 */
	public static class SlowLoader {

		private final AtomicInteger loads;

		private final CountDownLatch loading;

		private final CountDownLatch release;

		SlowLoader(AtomicInteger loads, CountDownLatch loading, CountDownLatch release) {
			this.loads = loads;
			this.loading = loading;
			this.release = release;
		}

		@Cacheable(cacheNames = "items", sync = true)
		public String find(String id) {
			int load = this.loads.incrementAndGet();
			this.loading.countDown();
			awaitRelease(this.release);
			return "loaded-" + load;
		}

	}

}

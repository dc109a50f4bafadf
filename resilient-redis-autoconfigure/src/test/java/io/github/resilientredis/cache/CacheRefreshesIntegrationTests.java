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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.metrics.ResilientRedisCacheMetrics;
import io.github.resilientredis.test.RedisServer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of the background refreshes of synchronized loads on a real Redis:
 * stale values served while the loader fails, writes made during a refresh never undone,
 * early refresh (XFetch) keeping a hot key from expiring, and a Redis outage.
 *
 * @author resilient-redis contributors
 */
class CacheRefreshesIntegrationTests {

	private static final String REFRESH_THREAD = "resilient-redis-refresh-";

	private final RedisServer server = RedisServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(PricesConfiguration.class)
		.withPropertyValues(this.server.springProperties());

	/** A time to live of 1 s and a stale grace of 30 s. */
	private final ApplicationContextRunner staleRunner = this.contextRunner
		.withPropertyValues("spring.cache.redis.time-to-live=1s", "resilient.redis.cache.stale.time-to-live=30s");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whenTheLoaderFailsWhileAStaleValueExistsThenNoCallerSeesTheFailureAndTheRefreshAfterRecoveryIsServed() {
		this.staleRunner.run((context) -> {
			Prices prices = context.getBean(Prices.class);
			Database database = context.getBean(Database.class);
			ResilientCacheStatistics statistics = statistics(context);
			String loaded = prices.price("p");
			assertThat(loaded).isEqualTo("p:1");
			database.failing = true;
			AtomicLong calls = new AtomicLong();
			AtomicLong failures = new AtomicLong();
			AtomicLong staleAnswers = new AtomicLong();
			long started = System.nanoTime();
			long failingUntil = started + Duration.ofSeconds(10).toNanos();
			// Ten seconds of calls while the loader throws: the value expired after
			// one.
			await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
				calls.incrementAndGet();
				try {
					if (loaded.equals(prices.price("p"))) {
						staleAnswers.incrementAndGet();
					}
				}
				catch (RuntimeException ex) {
					failures.incrementAndGet();
				}
				return System.nanoTime() >= failingUntil;
			});
			long failingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			database.failing = false;
			long recovered = System.nanoTime();
			int loadsBefore = database.loads.get();
			await().atMost(Duration.ofSeconds(3))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> !loaded.equals(prices.price("p")));
			long freshMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recovered);
			System.out.printf(
					"Stale while the loader fails for %d ms (time to live 1 s, stale grace 30 s): %d calls, %d "
							+ "failed, %d answered the stale value; stale served %d, stale errors %d, refreshes "
							+ "failed %d; fresh value %d ms after the loader recovered, %d load(s) after it%n",
					failingMillis, calls.get(), failures.get(), staleAnswers.get(), statistics.getStaleServed(),
					statistics.getStaleErrors(), statistics.getRefreshesFailed(), freshMillis,
					database.loads.get() - loadsBefore);
			assertThat(failures.get()).as("calls that saw the loader's failure").isZero();
			assertThat(staleAnswers.get()).isEqualTo(calls.get());
			assertThat(statistics.getStaleServed()).isPositive();
			assertThat(statistics.getStaleErrors()).isPositive();
			assertThat(statistics.getStaleErrors()).isEqualTo(statistics.getRefreshesFailed());
			// One refresh a second at most while the loader fails (the default back-off),
			// not one at every hit.
			assertThat(statistics.getRefreshesFailed()).as("refreshes while the loader failed")
				.isLessThanOrEqualTo(failingMillis / 1000 + 2);
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new ResilientRedisCacheMetrics((ResilientRedisCache) cache(context), Tags.empty()).bindTo(registry);
			assertThat(registry.get("resilient.redis.cache.stale.served").functionCounter().count())
				.isEqualTo(statistics.getStaleServed());
			assertThat(registry.get("resilient.redis.cache.stale.errors").functionCounter().count())
				.isEqualTo(statistics.getStaleErrors());
			assertThat(
					registry.get("resilient.redis.cache.refreshes").tag("outcome", "failed").functionCounter().count())
				.isEqualTo(statistics.getRefreshesFailed());
			assertThat(prices.price("p")).startsWith("p:").isNotEqualTo(loaded);
			assertThat(database.loads.get() - loadsBefore).as("loads after the loader recovered").isOne();
		});
	}

	@Test
	void whenTheStaleGraceEndsThenTheKeyIsGone() {
		this.contextRunner
			.withPropertyValues("spring.cache.redis.time-to-live=1s", "resilient.redis.cache.stale.time-to-live=1s")
			.run((context) -> {
				Prices prices = context.getBean(Prices.class);
				prices.price("p");
				Long pttl = Long.valueOf(this.server.execute("PTTL", "prices::p"));
				assertThat(pttl).as("time to live and stale grace in Redis").isBetween(1_000L, 2_000L);
				Cache cache = cache(context);
				await().atMost(Duration.ofSeconds(2))
					.pollInterval(Duration.ofMillis(10))
					.until(() -> cache.get("p") == null);
				assertThat(this.server.execute("EXISTS", "prices::p"))
					.as("a lookup without a loader misses a stale value that Redis still holds")
					.isEqualTo("1");
				await().atMost(Duration.ofSeconds(3))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> "0".equals(this.server.execute("EXISTS", "prices::p")));
				assertThat(statistics(context).getStaleServed()).isZero();
				assertThat(prices.price("p")).isEqualTo("p:2");
			});
	}

	@Test
	void whenTheCacheIsNearCachedThenTheLocalCopyEndsWithTheTimeToLiveNotWithTheStaleGrace() {
		this.staleRunner.withPropertyValues("resilient.redis.cache.near.enabled=true").run((context) -> {
			Prices prices = context.getBean(Prices.class);
			ResilientRedisCache cache = (ResilientRedisCache) cache(context);
			assertThat(cache.isNearCached()).isTrue();
			assertThat(prices.price("p")).isEqualTo("p:1");
			await().atMost(Duration.ofSeconds(2)).until(() -> {
				cache.get("p");
				return cache.getResilienceStatistics().getNearHits() > 0;
			});
			long held = cache.getResilienceStatistics().getNearHits();
			// A lookup misses once the time to live ends, though Redis holds the value
			// for 30 s more: no near hit answers it.
			await().atMost(Duration.ofSeconds(3))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> cache.get("p") == null);
			assertThat(this.server.execute("EXISTS", "prices::p")).isEqualTo("1");
			long nearHitsAfterExpiry = cache.getResilienceStatistics().getNearHits();
			assertThat(prices.price("p")).as("the stale value, served by Redis").isEqualTo("p:1");
			assertThat(cache.getResilienceStatistics().getNearHits()).isEqualTo(nearHitsAfterExpiry);
			assertThat(cache.getResilienceStatistics().getStaleServed()).isOne();
			assertThat(held).isPositive();
		});
	}

	@Test
	void whenTheKeyIsEvictedDuringARefreshThenTheRefreshedValueIsNotStoredAndTheNextLoadSeesNewData() {
		this.staleRunner.run((context) -> {
			Prices prices = context.getBean(Prices.class);
			ResilientCacheStatistics statistics = statistics(context);
			CountDownLatch release = staleWithRefreshBlocked(context, prices);
			prices.evict("p");
			release.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> refreshesEnded(statistics) == 1);
			assertThat(this.server.execute("EXISTS", "prices::p")).as("the evicted key in Redis").isEqualTo("0");
			assertThat(cache(context).get("p")).isNull();
			assertThat(prices.price("p")).as("the next load, not the refreshed value").isEqualTo("p:3");
			assertThat(statistics.getRefreshesSuperseded()).isOne();
		});
	}

	@Test
	void whenAnotherInstanceEvictsTheKeyDuringARefreshThenTheRefreshedValueIsNotStored() {
		this.staleRunner.run((refreshing) -> this.staleRunner.run((other) -> {
			Prices prices = refreshing.getBean(Prices.class);
			ResilientCacheStatistics statistics = statistics(refreshing);
			CountDownLatch release = staleWithRefreshBlocked(refreshing, prices);
			// This JVM's fence never sees it: only the lease revoked in Redis does.
			other.getBean(Prices.class).evict("p");
			release.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> refreshesEnded(statistics) == 1);
			assertThat(this.server.execute("EXISTS", "prices::p")).as("the evicted key in Redis").isEqualTo("0");
			assertThat(statistics.getRefreshesSuperseded()).isOne();
			assertThat(other.getBean(Prices.class).price("p")).isEqualTo("p:1");
		}));
	}

	@Test
	void whenTheKeyIsPutDuringARefreshThenThePutIsKept() {
		this.staleRunner.run((context) -> {
			Prices prices = context.getBean(Prices.class);
			Database database = context.getBean(Database.class);
			ResilientCacheStatistics statistics = statistics(context);
			CountDownLatch release = staleWithRefreshBlocked(context, prices);
			prices.update("p", "p:put");
			release.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> refreshesEnded(statistics) == 1);
			assertThat(prices.price("p")).isEqualTo("p:put");
			assertThat(statistics.getRefreshesSuperseded()).isOne();
			assertThat(database.loads.get()).isEqualTo(2);
		});
	}

	@Test
	void whenAnotherInstanceRefreshedTheKeySinceTheReadThatDecidedARefreshThenThatRefreshIsSkipped() {
		this.staleRunner.run((first) -> this.staleRunner.run((second) -> {
			Prices firstPrices = first.getBean(Prices.class);
			Prices secondPrices = second.getBean(Prices.class);
			Database secondDatabase = second.getBean(Database.class);
			assertThat(firstPrices.price("p")).isEqualTo("p:1");
			assertThat(secondPrices.price("q")).isEqualTo("q:1");
			assertThat(secondPrices.price("r")).isEqualTo("r:2");
			Cache secondCache = cache(second);
			await().atMost(Duration.ofSeconds(3))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> secondCache.get("p") == null && secondCache.get("q") == null
						&& secondCache.get("r") == null);
			// The second instance's two refresh threads are held by the refreshes of q
			// and r: its refresh of p, decided now from the stale value, waits behind
			// them.
			CountDownLatch release = new CountDownLatch(1);
			CountDownLatch entered = new CountDownLatch(2);
			secondDatabase.entered = entered;
			secondDatabase.release = release;
			assertThat(secondPrices.price("q")).isEqualTo("q:1");
			assertThat(secondPrices.price("r")).isEqualTo("r:2");
			await().atMost(Duration.ofSeconds(5)).until(() -> entered.getCount() == 0);
			assertThat(secondPrices.price("p")).as("the stale value, answered at once").isEqualTo("p:1");
			// Meanwhile the first instance refreshes p and stores it.
			ResilientCacheStatistics firstStatistics = statistics(first);
			assertThat(firstPrices.price("p")).isEqualTo("p:1");
			await().atMost(Duration.ofSeconds(5)).until(() -> firstStatistics.getRefreshesStored() == 1);
			release.countDown();
			ResilientCacheStatistics secondStatistics = statistics(second);
			await().atMost(Duration.ofSeconds(5)).until(() -> secondStatistics.getRefreshesSkipped() == 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> secondStatistics.getRefreshesStored() == 2);
			assertThat(secondDatabase.loads.get()).as("loads of the second instance: q, r and their refreshes, not p")
				.isEqualTo(4);
			assertThat(secondPrices.price("p")).isEqualTo("p:2");
		}));
	}

	@Test
	void whenAHotKeyIsReadThenEarlyRefreshesInTheBackgroundKeepCallersFromLoading() throws Exception {
		this.contextRunner
			.withPropertyValues("spring.cache.redis.time-to-live=2s",
					"resilient.redis.cache.early-refresh.enabled=true")
			.run((context) -> {
				Prices prices = context.getBean(Prices.class);
				Database database = context.getBean(Database.class);
				ResilientCacheStatistics statistics = statistics(context);
				database.loadTime = Duration.ofMillis(50);
				assertThat(prices.price("p")).isEqualTo("p:1");
				Map<String, long[]> seen = new ConcurrentHashMap<>();
				AtomicLong calls = new AtomicLong();
				long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
				ExecutorService threads = Executors.newFixedThreadPool(16);
				List<Future<?>> readers = new ArrayList<>();
				for (int i = 0; i < 16; i++) {
					readers.add(threads.submit(() -> {
						while (System.nanoTime() < end) {
							String value = prices.price("p");
							long now = System.nanoTime();
							seen.merge(value, new long[] { now, now }, (held, latest) -> new long[] {
									Math.min(held[0], latest[0]), Math.max(held[1], latest[1]) });
							calls.incrementAndGet();
							LockSupport.parkNanos(500_000);
						}
					}));
				}
				try {
					for (Future<?> reader : readers) {
						reader.get(20, TimeUnit.SECONDS);
					}
				}
				finally {
					threads.shutdownNow();
				}
				long longestMillis = seen.values()
					.stream()
					.mapToLong((span) -> TimeUnit.NANOSECONDS.toMillis(span[1] - span[0]))
					.max()
					.orElse(0);
				System.out.printf(
						"Early refresh of a hot key (time to live 2 s, loader 50 ms, 16 threads, 8 s): %d calls, "
								+ "%d loads, %d by callers after the first, %d values served (longest %d ms), "
								+ "refreshes stored %d, superseded %d, skipped %d%n",
						calls.get(), database.loads.get(), database.callerLoads.get() - 1, seen.size(), longestMillis,
						statistics.getRefreshesStored(), statistics.getRefreshesSuperseded(),
						statistics.getRefreshesSkipped());
				assertThat(database.callerLoads.get()).as("loads run by callers, the first one included").isOne();
				assertThat(seen).as("one value per time to live at least").hasSizeGreaterThanOrEqualTo(4);
				assertThat(longestMillis).as("longest a value was served").isLessThan(2_000);
				assertThat(statistics.getRefreshesStored()).isEqualTo(database.loads.get() - 1);
			});
	}

	@Test
	void whenRedisFreezesWhileStaleValuesAreOnThenNoCallFails() throws Exception {
		this.contextRunner
			.withPropertyValues("spring.cache.redis.time-to-live=1s", "resilient.redis.cache.stale.time-to-live=30s",
					"resilient.redis.cache.early-refresh.enabled=true", "spring.data.redis.timeout=500ms",
					"resilient.redis.circuit-breaker.wait-duration-in-open-state=500ms",
					"resilient.redis.retry.budget=1s")
			.run((context) -> {
				Prices prices = context.getBean(Prices.class);
				Database database = context.getBean(Database.class);
				CircuitBreaker breaker = context.getBean(CircuitBreaker.class);
				ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
				database.loadTime = Duration.ofMillis(20);
				AtomicLong calls = new AtomicLong();
				AtomicLong failures = new AtomicLong();
				AtomicInteger key = new AtomicInteger();
				ExecutorService threads = Executors.newFixedThreadPool(4);
				CountDownLatch stop = new CountDownLatch(1);
				for (int i = 0; i < 4; i++) {
					threads.submit(() -> {
						while (stop.getCount() > 0) {
							try {
								prices.price("k" + (key.incrementAndGet() % 8));
							}
							catch (RuntimeException ex) {
								failures.incrementAndGet();
							}
							calls.incrementAndGet();
							LockSupport.parkNanos(2_000_000);
						}
					});
				}
				try {
					await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() > 200);
					this.server.freeze();
					long frozenAt = calls.get();
					try {
						await().atMost(Duration.ofSeconds(10))
							.until(() -> breaker.getState() != State.CLOSED && calls.get() > frozenAt + 200);
					}
					finally {
						this.server.thaw();
					}
					await().atMost(Duration.ofSeconds(15))
						.pollInterval(Duration.ofMillis(20))
						.until(() -> breaker.getState() == State.CLOSED && !cacheManager.isServingFromFallback());
					long thawedAt = calls.get();
					await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() > thawedAt + 200);
				}
				finally {
					stop.countDown();
					threads.shutdown();
					assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
				}
				ResilientCacheStatistics statistics = statistics(context);
				System.out.printf(
						"Redis frozen with stale values and early refresh on: %d calls, %d failed; stale served %d, "
								+ "refreshes stored %d, failed %d, fallback hits %d%n",
						calls.get(), failures.get(), statistics.getStaleServed(), statistics.getRefreshesStored(),
						statistics.getRefreshesFailed(), statistics.getFallbackHits());
				assertThat(failures.get()).as("failed calls").isZero();
			});
	}

	// Let the value of "p" turn stale, then answer it while its refresh is blocked.
	private CountDownLatch staleWithRefreshBlocked(AssertableApplicationContext context, Prices prices) {
		Database database = context.getBean(Database.class);
		assertThat(prices.price("p")).isEqualTo("p:1");
		Cache cache = cache(context);
		await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10)).until(() -> cache.get("p") == null);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch entered = new CountDownLatch(1);
		database.entered = entered;
		database.release = release;
		assertThat(prices.price("p")).as("the stale value, answered at once").isEqualTo("p:1");
		await().atMost(Duration.ofSeconds(5)).until(() -> entered.getCount() == 0);
		return release;
	}

	private static long refreshesEnded(ResilientCacheStatistics statistics) {
		return statistics.getRefreshesStored() + statistics.getRefreshesSuperseded() + statistics.getRefreshesFailed();
	}

	private static Cache cache(AssertableApplicationContext context) {
		Cache cache = context.getBean(CacheManager.class).getCache("prices");
		assertThat(cache).isNotNull();
		return cache;
	}

	private static ResilientCacheStatistics statistics(AssertableApplicationContext context) {
		return ((ResilientRedisCache) cache(context)).getResilienceStatistics();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class PricesConfiguration {

		@Bean
		Database database() {
			return new Database();
		}

		@Bean
		Prices prices(Database database) {
			return new Prices(database);
		}

	}

	/**
	 * The database behind {@link Prices}: a new version of a price at each load.
	 */
	static class Database {

		final AtomicInteger loads = new AtomicInteger();

		/** Loads run on a caller's thread rather than a refresh thread. */
		final AtomicInteger callerLoads = new AtomicInteger();

		volatile boolean failing;

		volatile Duration loadTime = Duration.ZERO;

		volatile @Nullable CountDownLatch entered;

		volatile @Nullable CountDownLatch release;

		String load(String id) {
			if (this.failing) {
				throw new IllegalStateException("database down");
			}
			CountDownLatch entered = this.entered;
			CountDownLatch release = this.release;
			try {
				if (entered != null && release != null) {
					entered.countDown();
					assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
				}
				if (!this.loadTime.isZero()) {
					// The database's own time.
					Thread.sleep(this.loadTime.toMillis());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			if (!Thread.currentThread().getName().startsWith(REFRESH_THREAD)) {
				this.callerLoads.incrementAndGet();
			}
			return id + ":" + this.loads.incrementAndGet();
		}

	}

	/**
	 * A cached service over the {@link Database}.
	 */
	static class Prices {

		private final Database database;

		Prices(Database database) {
			this.database = database;
		}

		@Cacheable(cacheNames = "prices", sync = true)
		String price(String id) {
			return this.database.load(id);
		}

		@CacheEvict(cacheNames = "prices")
		void evict(String id) {
		}

		@CachePut(cacheNames = "prices", key = "#id")
		String update(String id, String value) {
			return value;
		}

	}

}

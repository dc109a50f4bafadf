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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.RedisServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of the near cache through Spring's cache annotations on a real
 * {@code redis-server}: which reads fill it while other keys are written, which writes
 * cancel a fill, and when it stops answering because its server is no longer a master.
 *
 * @author resilient-redis contributors
 */
class NearCacheIntegrationTests {

	private static final Duration MAX_STALENESS = Duration.ofMillis(500);

	private static final int KEYS = 50;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(GatedCatalogConfiguration.class)
		.withPropertyValues("spring.data.redis.timeout=500ms",
				"resilient.redis.circuit-breaker.wait-duration-in-open-state=200ms", "resilient.redis.retry.budget=1s",
				"resilient.redis.cache.near.enabled=true",
				"resilient.redis.cache.near.max-staleness=" + MAX_STALENESS.toMillis() + "ms");

	@Test
	void whenOtherKeysAreWrittenWhileAKeyIsReadThenTheReadStillFillsTheNearCache() {
		try (RedisServer server = RedisServer.start()) {
			run(server, (context, catalog, cache) -> {
				NearCacheTracking tracking = context.getBean(NearCacheTracking.class);
				GatedStringSerializer serializer = context.getBean(GatedStringSerializer.class);
				try (CacheLoad writes = CacheLoad.start(4, Duration.ofNanos(1),
						(call) -> catalog.update("other-" + (call % 20), "v" + call))) {
					AtomicLong attempts = new AtomicLong();
					// Each attempt reads a key while other keys are written; on a starved
					// machine the link's trust may lapse during one.
					await().atMost(Duration.ofSeconds(60))
						.until(() -> readWhileOthersAreWritten(catalog, cache, tracking, serializer, writes,
								"read-" + attempts.incrementAndGet()));
					System.out.printf("Near cache filled by a read made during writes of other keys: attempt %d, %d "
							+ "writes of other keys%n", attempts.get(), writes.calls());
					writes.assertNoCallFailed();
				}
			});
		}
	}

	private static boolean readWhileOthersAreWritten(Catalog catalog, ResilientRedisCache cache,
			NearCacheTracking tracking, GatedStringSerializer serializer, CacheLoad writes, String key)
			throws Exception {
		long keysInvalidated = tracking.getInvalidations().get("key");
		catalog.update(key, "value");
		// Redis's invalidation of the write has been applied: no write of the key from
		// now on.
		await().atMost(Duration.ofSeconds(5)).until(() -> tracking.getInvalidations().get("key") > keysInvalidated);
		GatedStringSerializer.Hold hold = serializer.holdNextRead("value");
		CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> catalog.find(key));
		assertThat(hold.awaitHeld()).as("the read decodes what Redis answered").isTrue();
		long writesBefore = writes.calls();
		await().atMost(Duration.ofSeconds(10)).until(() -> writes.calls() > writesBefore + 50);
		hold.release();
		assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("value");
		long nearHits = cache.getResilienceStatistics().getNearHits();
		assertThat(catalog.find(key)).isEqualTo("value");
		return cache.getResilienceStatistics().getNearHits() > nearHits;
	}

	@Test
	void whenTheKeyIsWrittenWhileItIsReadThenWhatTheReadFoundIsNotServedFromTheNearCache() {
		try (RedisServer server = RedisServer.start()) {
			run(server, (context, catalog, cache) -> {
				NearCacheTracking tracking = context.getBean(NearCacheTracking.class);
				GatedStringSerializer serializer = context.getBean(GatedStringSerializer.class);
				catalog.update("fenced", "old");
				GatedStringSerializer.Hold hold = serializer.holdNextRead("old");
				CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> catalog.find("fenced"));
				assertThat(hold.awaitHeld()).as("the read decodes what Redis answered").isTrue();
				long keysInvalidated = tracking.getInvalidations().get("key");
				catalog.update("fenced", "new");
				// The invalidation Redis pushes for the write has been applied too.
				await().atMost(Duration.ofSeconds(5))
					.until(() -> tracking.getInvalidations().get("key") > keysInvalidated);
				hold.release();
				assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("old");
				assertThat(catalog.find("fenced")).isEqualTo("new");
				assertThat(catalog.find("fenced")).isEqualTo("new");
			});
		}
	}

	@Test
	void whenTheServerIsDemotedToAReplicaThenNearHitsStopWithinTheMaximumStaleness() throws Exception {
		try (RedisServer first = replicatingServer(); RedisServer second = replicatingServer()) {
			run(first, (context, catalog, cache) -> {
				NearCacheTracking tracking = context.getBean(NearCacheTracking.class);
				for (int i = 0; i < KEYS; i++) {
					catalog.update("key-" + i, "v" + i);
				}
				second.replicaOf(first);
				second.promote();
				// This instance only reads: nothing it does meets the replica's READONLY
				// error.
				try (Reads reads = new Reads(catalog, cache)) {
					await().atMost(Duration.ofSeconds(10)).until(() -> reads.nearHits.get() > 1000);
					long demoted = System.nanoTime();
					reads.demotedAt.set(demoted);
					first.replicaOf(second);
					long afterDemotion = reads.reads.get();
					await().atMost(Duration.ofSeconds(10))
						.until(() -> reads.reads.get() > afterDemotion + 1000
								&& System.nanoTime() - demoted > MAX_STALENESS.multipliedBy(2).toNanos());
					System.out.printf(
							"Near cache on a demoted server: %d near hits before the demotion, %d near hits "
									+ "started more than %d ms after it (%d reads); trusted again: %s%n",
							reads.nearHitsBefore(), reads.lateNearHits.get(), MAX_STALENESS.toMillis(),
							reads.reads.get(), tracking.isTrusted());
					assertThat(reads.lateNearHits.get())
						.as("near hits started more than %s after the demotion", MAX_STALENESS)
						.isZero();
					assertThat(tracking.isTrusted()).isFalse();
					assertThat(tracking.getInvalidations().get("demoted")).isOne();
					first.promote();
					long nearHitsBeforePromotion = reads.nearHits.get();
					await().atMost(Duration.ofSeconds(10))
						.until(() -> reads.nearHits.get() > nearHitsBeforePromotion + 1000);
					assertThat(reads.failure.get()).isNull();
				}
			});
		}
	}

	private static RedisServer replicatingServer() {
		// A full resync starts at once instead of after Redis's default 5 s
		return RedisServer.builder().config("repl-diskless-sync-delay", "0").start();
	}

	private void run(RedisServer server, NearCacheTest test) {
		this.contextRunner.withPropertyValues(server.springProperties()).run((context) -> {
			assertThat(context).hasNotFailed();
			NearCacheTracking tracking = context.getBean(NearCacheTracking.class);
			ResilientRedisCache cache = (ResilientRedisCache) context.getBean(ResilientRedisCacheManager.class)
				.getCache("products");
			assertThat(cache).isNotNull();
			assertThat(cache.isNearCached()).isTrue();
			await().atMost(Duration.ofSeconds(30)).until(tracking::isTrusted);
			test.run(context, context.getBean(Catalog.class), cache);
		});
	}

	@FunctionalInterface
	interface NearCacheTest {

		void run(AssertableApplicationContext context, Catalog catalog, ResilientRedisCache cache) throws Exception;

	}

	/**
	 * One thread that reads the keys in turn through {@code @Cacheable} and tells near
	 * hits apart by the cache's counter (no other thread reads).
	 */
	private static final class Reads implements AutoCloseable {

		private final AtomicLong demotedAt = new AtomicLong();

		private final AtomicLong reads = new AtomicLong();

		private final AtomicLong nearHits = new AtomicLong();

		private final AtomicLong nearHitsBeforeDemotion = new AtomicLong();

		private final AtomicLong lateNearHits = new AtomicLong();

		private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Thread thread;

		Reads(Catalog catalog, ResilientRedisCache cache) {
			this.thread = new Thread(() -> {
				ResilientCacheStatistics statistics = cache.getResilienceStatistics();
				try {
					for (long read = 0; this.running.get(); read++) {
						long before = statistics.getNearHits();
						long start = System.nanoTime();
						catalog.find("key-" + (read % KEYS));
						this.reads.incrementAndGet();
						if (statistics.getNearHits() > before) {
							this.nearHits.incrementAndGet();
							long demoted = this.demotedAt.get();
							if (demoted == 0) {
								this.nearHitsBeforeDemotion.incrementAndGet();
							}
							else if (start - demoted > MAX_STALENESS.toNanos()) {
								this.lateNearHits.incrementAndGet();
							}
						}
					}
				}
				catch (Throwable ex) {
					this.failure.set(ex);
				}
			}, "near-cache-reads");
			this.thread.start();
		}

		long nearHitsBefore() {
			return this.nearHitsBeforeDemotion.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join(TimeUnit.SECONDS.toMillis(10));
		}

	}

	/**
	 * A string serializer whose next read of a given value waits until released, to hold
	 * a read between Redis's reply and the near cache's fill.
	 */
	static final class GatedStringSerializer implements RedisSerializer<String> {

		private final RedisSerializer<String> delegate = RedisSerializer.string();

		private final AtomicReference<@Nullable Hold> next = new AtomicReference<>();

		Hold holdNextRead(String value) {
			Hold hold = new Hold(value);
			this.next.set(hold);
			return hold;
		}

		@Override
		public byte[] serialize(@Nullable String value) {
			return this.delegate.serialize(value);
		}

		@Override
		public @Nullable String deserialize(byte @Nullable [] bytes) {
			String value = this.delegate.deserialize(bytes);
			Hold hold = this.next.get();
			if (value != null && hold != null && hold.value.equals(value) && this.next.compareAndSet(hold, null)) {
				hold.reading.countDown();
				try {
					hold.released.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return value;
		}

		static final class Hold {

			private final String value;

			private final CountDownLatch reading = new CountDownLatch(1);

			private final CountDownLatch released = new CountDownLatch(1);

			Hold(String value) {
				this.value = value;
			}

			boolean awaitHeld() throws InterruptedException {
				return this.reading.await(10, TimeUnit.SECONDS);
			}

			void release() {
				this.released.countDown();
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(CatalogConfiguration.class)
	static class GatedCatalogConfiguration {

		@Bean
		GatedStringSerializer gatedStringSerializer() {
			return new GatedStringSerializer();
		}

		@Bean
		RedisCacheConfiguration redisCacheConfiguration(GatedStringSerializer gatedStringSerializer) {
			return RedisCacheConfiguration.defaultCacheConfig()
				.serializeValuesWith(SerializationPair.fromSerializer(gatedStringSerializer));
		}

	}

}

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.connection.RedisServerChangedEvent;
import io.github.resilientredis.test.RedisServer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared set-up of the tests of cache writes that Redis acknowledges and then forgets: an
 * application with the {@link Catalog}, a reader thread that counts reads of the values
 * from before an acknowledged write, and the {@link RedisServerChangedEvent}s seen.
 *
 * @author resilient-redis contributors
 */
final class ForgottenWrites {

	static final String OLD = "old";

	static final String NEW = "new";

	private ForgottenWrites() {
	}

	static ApplicationContextRunner contextRunner(RedisServer server) {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
							ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
			.withUserConfiguration(CatalogConfiguration.class)
			.withBean(ServerChanges.class, ServerChanges::new)
			.withPropertyValues(server.springProperties())
			.withPropertyValues("spring.data.redis.timeout=500ms",
					"resilient.redis.circuit-breaker.wait-duration-in-open-state=200ms",
					"resilient.redis.retry.budget=300ms", "resilient.redis.reconnect.max-delay=50ms");
	}

	/**
	 * Cache both keys with the old value and check that Redis holds them.
	 * @param catalog the catalog
	 * @param server the server that holds them
	 * @param put the key to be overwritten
	 * @param evicted the key to be evicted
	 */
	static void cacheOldValues(Catalog catalog, RedisServer server, String put, String evicted) {
		catalog.store(put, OLD);
		catalog.store(evicted, OLD);
		assertThat(catalog.find(put)).isEqualTo(OLD);
		assertThat(catalog.find(evicted)).isEqualTo(OLD);
		assertThat(server.execute("EXISTS", redisKey(evicted))).as("cached in Redis").isEqualTo("1");
	}

	/**
	 * Overwrite one key with {@code @CachePut} and evict the other with
	 * {@code @CacheEvict}, and check that Redis acknowledged both.
	 * @param catalog the catalog
	 * @param server the server that acknowledges them
	 * @param put the key to overwrite
	 * @param evicted the key to evict
	 */
	static void writeNewValues(Catalog catalog, RedisServer server, String put, String evicted) {
		catalog.update(put, NEW);
		catalog.store(evicted, NEW);
		catalog.evict(evicted);
		assertThat(server.execute("EXISTS", redisKey(evicted))).as("evicted in Redis").isEqualTo("0");
		assertThat(catalog.find(put)).isEqualTo(NEW);
	}

	static String redisKey(String key) {
		return "products::" + key;
	}

	/**
	 * Wait until the change was seen, the forgotten writes replayed and reads served by
	 * Redis again; then read both keys.
	 * @param context the application
	 * @param changesBefore the number of changes seen before the fault
	 * @param put the overwritten key
	 * @param evicted the evicted key
	 * @return how long it took
	 */
	static Duration awaitReplayed(ConfigurableApplicationContext context, int changesBefore, String put,
			String evicted) {
		long start = System.nanoTime();
		ServerChanges changes = context.getBean(ServerChanges.class);
		ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> changes.events().size() > changesBefore
					&& cacheManager.getCircuitBreakerState() == State.CLOSED && !cacheManager.isServingFromFallback());
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		Catalog catalog = context.getBean(Catalog.class);
		assertThat(catalog.find(put)).isEqualTo(NEW);
		assertThat(catalog.find(evicted)).isEqualTo(NEW);
		RedisServerChangedEvent event = changes.events().get(changes.events().size() - 1);
		assertThat(event.getCurrent().runId()).isNotEqualTo(event.getPrevious().runId());
		return took;
	}

	static String summary(List<Duration> durations) {
		List<Long> millis = new ArrayList<>(durations.stream().map(Duration::toMillis).toList());
		Collections.sort(millis);
		return "median " + millis.get(millis.size() / 2) + " ms, max " + millis.get(millis.size() - 1) + " ms";
	}

	/**
	 * The {@link RedisServerChangedEvent}s the application saw.
	 */
	static final class ServerChanges implements ApplicationListener<RedisServerChangedEvent> {

		private final List<RedisServerChangedEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(RedisServerChangedEvent event) {
			this.events.add(event);
		}

		List<RedisServerChangedEvent> events() {
			return this.events;
		}

	}

	/**
	 * Reads the keys whose new value Redis has acknowledged, in a loop on threads of its
	 * own, and counts the reads of the old value.
	 */
	static final class Reader implements AutoCloseable {

		private static final int THREADS = 2;

		private final Catalog catalog;

		private final List<Thread> threads = new ArrayList<>();

		private volatile List<String> keys = List.of();

		private volatile boolean running = true;

		private final AtomicLong reads = new AtomicLong();

		private final List<String> staleReads = new CopyOnWriteArrayList<>();

		private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

		Reader(Catalog catalog) {
			this.catalog = catalog;
			for (int i = 0; i < THREADS; i++) {
				Thread thread = new Thread(this::run, "forgotten-writes-reader-" + i);
				thread.setDaemon(true);
				thread.start();
				this.threads.add(thread);
			}
		}

		/**
		 * Read these keys from now on: their new values are acknowledged.
		 * @param keys the keys
		 */
		void read(String... keys) {
			this.keys = List.of(keys);
		}

		private void run() {
			while (this.running) {
				for (String key : this.keys) {
					try {
						String value = this.catalog.find(key);
						this.reads.incrementAndGet();
						if (OLD.equals(value)) {
							this.staleReads.add(key);
						}
					}
					catch (Throwable ex) {
						this.failure.compareAndSet(null, ex);
					}
				}
				// Pace the loop on a small shared machine.
				LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
			}
		}

		long reads() {
			return this.reads.get();
		}

		List<String> staleReads() {
			return this.staleReads;
		}

		@Nullable Throwable failure() {
			return this.failure.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.running = false;
			for (Thread thread : this.threads) {
				thread.join(TimeUnit.SECONDS.toMillis(10));
			}
		}

	}

}

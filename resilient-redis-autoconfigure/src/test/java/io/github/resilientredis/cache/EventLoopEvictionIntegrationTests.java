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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.RedisServer;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Evictions and clears called on a Netty event-loop thread, which must never wait for a
 * Redis reply: they are journaled, so that they are visible to every read of the JVM when
 * they return, and Redis is cleaned by the recovery.
 *
 * @author resilient-redis contributors
 */
class EventLoopEvictionIntegrationTests {

	private static final int KEYS = 20;

	private final RedisServer server = RedisServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CatalogConfiguration.class)
		.withPropertyValues(this.server.springProperties());

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whenAnEventLoopEvictsAKeyThenTheNextReadMissesAndRedisIsCleaned() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			for (int i = 0; i < KEYS; i++) {
				String id = "k" + i;
				catalog.store(id, "v1");
				assertThat(catalog.find(id)).isEqualTo("v1");
				catalog.store(id, "v2");
				assertThat(onEventLoop(() -> {
					catalog.evict(id);
					return catalog.find(id);
				})).as("read after the eviction returned").isEqualTo("v2");
			}
			assertThat(catalog.loads()).isEqualTo(2 * KEYS);
			awaitCleanedInRedis(context);
		});
	}

	@Test
	void whenAnEventLoopClearsTheCacheThenTheNextReadsMissAndRedisIsCleaned() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			for (int i = 0; i < KEYS; i++) {
				catalog.store("k" + i, "v1");
				assertThat(catalog.find("k" + i)).isEqualTo("v1");
				catalog.store("k" + i, "v2");
			}
			onEventLoop(() -> {
				context.getBean(CacheManager.class).getCache("products").clear();
				return null;
			});
			for (int i = 0; i < KEYS; i++) {
				assertThat(catalog.find("k" + i)).as("read after the clear returned").isEqualTo("v2");
			}
			assertThat(catalog.loads()).isEqualTo(2 * KEYS);
		});
	}

	private void awaitCleanedInRedis(ApplicationContext context) {
		ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> cacheManager.getJournalSize() == 0);
		assertThat(cacheManager.getJournalReplayedKeys()).isEqualTo(KEYS);
	}

	private static <T> T onEventLoop(Callable<T> task) throws Exception {
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread thread = new FastThreadLocalThread(() -> {
			try {
				result.complete(task.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}, "event-loop-caller");
		thread.start();
		return result.get(30, TimeUnit.SECONDS);
	}

}

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

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Synchronized loads ({@code @Cacheable(sync = true)}) whose loader reads other cached
 * keys through the proxy, as a hierarchy (categories, org units, folders) is cached: many
 * threads, random nodes, the cache cleared between rounds. Every round finishes, with the
 * starter as with plain Spring Boot.
 *
 * @author resilient-redis contributors
 */
class NestedSynchronizedLoadsIntegrationTests {

	private static final int NODES = 4096;

	private static final int THREADS = 8;

	private static final int ROUNDS = 5;

	private static final int CALLS_PER_THREAD = 200;

	private final RedisServer server = RedisServer.start();

	private final ApplicationContextRunner starter = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(HierarchyConfiguration.class)
		.withPropertyValues(this.server.springProperties());

	private final ApplicationContextRunner plainSpringBoot = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(HierarchyConfiguration.class)
		.withPropertyValues(this.server.springProperties())
		.withPropertyValues("spring.cache.type=redis");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whenSynchronizedLoadsReadTheirParentsOnManyThreadsThenEveryRoundFinishes() {
		this.starter.run((context) -> {
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(ResilientRedisCacheManager.class);
			assertRoundsFinish(context.getBean(Hierarchy.class), context.getBean(CacheManager.class));
		});
	}

	@Test
	void whenSynchronizedLoadsReadTheirParentsOnManyThreadsWithPlainSpringBootThenEveryRoundFinishes() {
		this.plainSpringBoot.run((context) -> {
			assertThat(context.getBean(CacheManager.class)).isNotInstanceOf(ResilientRedisCacheManager.class);
			assertRoundsFinish(context.getBean(Hierarchy.class), context.getBean(CacheManager.class));
		});
	}

	@Test
	void whenASynchronizedLoadAsksForItsOwnKeyThenItFailsClearlyInsteadOfHanging() {
		this.starter.run((context) -> {
			Hierarchy hierarchy = context.getBean(Hierarchy.class);
			CompletableFuture<Void> call = CompletableFuture.runAsync(() -> hierarchy.cycle(7));
			assertThat(call).failsWithin(Duration.ofSeconds(20))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessageContaining("must not recursively load its own key");
			assertThatIllegalStateException().isThrownBy(() -> hierarchy.cycle(8));
		});
	}

	private void assertRoundsFinish(Hierarchy hierarchy, CacheManager cacheManager) throws Exception {
		String threadName = "hierarchy-reader-" + System.nanoTime();
		ExecutorService threads = Executors.newFixedThreadPool(THREADS, (runnable) -> {
			Thread thread = new Thread(runnable, threadName);
			thread.setDaemon(true);
			return thread;
		});
		try {
			for (int round = 0; round < ROUNDS; round++) {
				cacheManager.getCache("paths").clear();
				List<CompletableFuture<Void>> readers = new ArrayList<>();
				for (int i = 0; i < THREADS; i++) {
					readers.add(CompletableFuture.runAsync(() -> {
						for (int call = 0; call < CALLS_PER_THREAD; call++) {
							int node = ThreadLocalRandom.current().nextInt(1, NODES);
							assertThat(hierarchy.path(node)).isEqualTo(Hierarchy.expectedPath(node));
						}
					}, threads));
				}
				try {
					CompletableFuture.allOf(readers.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
				}
				catch (TimeoutException ex) {
					throw new AssertionError(
							"Round " + round + " did not finish in 60 s; deadlocked threads: " + deadlocked(threadName),
							ex);
				}
				assertThat(deadlocked(threadName)).isEmpty();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static List<String> deadlocked(String threadName) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long[] ids = threads.findDeadlockedThreads();
		if (ids == null) {
			return List.of();
		}
		return Arrays.stream(threads.getThreadInfo(ids))
			.filter((info) -> info != null && info.getThreadName().equals(threadName))
			.map(ThreadInfo::toString)
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class HierarchyConfiguration {

		@Bean
		Hierarchy hierarchy() {
			return new Hierarchy();
		}

	}

	/**
	 * A tree of nodes where node {@code n}'s parent is {@code n / 2}: a node's cached
	 * path is its parent's cached path, read through the proxy, and its own number.
	 */
	public static class Hierarchy {

		@Autowired
		@Lazy
		private Hierarchy self;

		@Cacheable(cacheNames = "paths", sync = true)
		public String path(int node) {
			return (node == 1) ? "/1" : this.self.path(node / 2) + "/" + node;
		}

		@Cacheable(cacheNames = "cycles", sync = true)
		public String cycle(int node) {
			return this.self.cycle(node);
		}

		static String expectedPath(int node) {
			return (node == 1) ? "/1" : expectedPath(node / 2) + "/" + node;
		}

	}

}

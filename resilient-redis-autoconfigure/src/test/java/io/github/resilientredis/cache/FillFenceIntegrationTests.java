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

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.BatchStrategies;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fill fence through Spring's annotations on the paths an application configures
 * beside the default: a value loaded before a concurrent {@code @CachePut} of its key is
 * never stored over it, whether the fill is deferred to a commit or the cache writer is
 * the application's own.
 *
 * @author resilient-redis contributors
 */
class FillFenceIntegrationTests {

	private final RedisServer server = RedisServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(LedgerConfiguration.class)
		.withPropertyValues(this.server.springProperties());

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whenATransactionAwareFillLoadedBeforeAConcurrentPutCommitsThenThePutIsKept() {
		this.contextRunner.withUserConfiguration(TransactionConfiguration.class).run((context) -> {
			assertThat(context.getBean(CacheManager.class).getCache("entries"))
				.isInstanceOf(TransactionAwareCacheDecorator.class);
			Orders orders = context.getBean(Orders.class);
			assertPutKeptOverOlderLoad(context, () -> orders.read("k"));
		});
	}

	@Test
	void whenASynchronizedLoadThroughTheApplicationsWriterLoadedBeforeAConcurrentPutThenThePutIsKept() {
		this.contextRunner.withUserConfiguration(ScanningWriterConfiguration.class).run((context) -> {
			Ledger ledger = context.getBean(Ledger.class);
			assertPutKeptOverOlderLoad(context, () -> ledger.findOnce("k"));
			assertThat(resilientEntries(context).getResilienceStatistics().getSupersededFills()).isOne();
		});
	}

	@Test
	void whenRedisCannotTakeAPutThroughTheApplicationsWriterThenThePutIsJournaledNotSilent() {
		this.contextRunner.withUserConfiguration(ScanningWriterConfiguration.class)
			.withPropertyValues("spring.data.redis.timeout=500ms", "resilient.redis.retry.budget=500ms")
			.run((context) -> {
				Ledger ledger = context.getBean(Ledger.class);
				ledger.update("k", "old");
				ResilientRedisCache cache = resilientEntries(context);
				assertThat(cache.getResilienceStatistics().getRedisPuts()).isOne();
				this.server.freeze();
				try {
					ledger.update("k", "new");
					assertThat(cache.getResilienceStatistics().getFallbackPuts())
						.as("the put Redis could not take went to the fallback")
						.isOne();
					assertThat(context.getBean(ResilientRedisCacheManager.class).getJournalSize())
						.as("journaled for deletion in Redis")
						.isOne();
					assertThat(ledger.find("k")).isEqualTo("new");
				}
				finally {
					this.server.thaw();
				}
			});
	}

	private static ResilientRedisCache resilientEntries(AssertableApplicationContext context) {
		Cache cache = context.getBean(CacheManager.class).getCache("entries");
		return (ResilientRedisCache) ((cache instanceof TransactionAwareCacheDecorator decorator)
				? decorator.getTargetCache() : cache);
	}

	private static void assertPutKeptOverOlderLoad(AssertableApplicationContext context, Loading loading)
			throws Exception {
		Ledger ledger = context.getBean(Ledger.class);
		ledger.store("k", "old");
		CompletableFuture<String> load = CompletableFuture.supplyAsync(loading::load);
		assertThat(ledger.awaitLoadStarted()).as("the load started").isTrue();
		ledger.update("k", "new");
		ledger.releaseLoad();
		assertThat(load.get(30, TimeUnit.SECONDS)).isEqualTo("old");
		Cache cache = context.getBean(CacheManager.class).getCache("entries");
		assertThat(cache.get("k", String.class)).isEqualTo("new");
		assertThat(ledger.find("k")).as("answered from the cache").isEqualTo("new");
	}

	@FunctionalInterface
	interface Loading {

		String load();

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class LedgerConfiguration {

		@Bean
		Ledger ledger() {
			return new Ledger();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ScanningWriterConfiguration {

		@Bean
		RedisCacheManagerBuilderCustomizer scanningWriter(RedisConnectionFactory connectionFactory) {
			return (builder) -> builder
				.cacheWriter(RedisCacheWriter.nonLockingRedisCacheWriter(connectionFactory, BatchStrategies.scan(100)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class TransactionConfiguration {

		@Bean
		RedisCacheManagerBuilderCustomizer transactionAware() {
			return (builder) -> builder.transactionAware();
		}

		@Bean
		PlatformTransactionManager transactionManager() {
			return new SynchronizationOnlyTransactionManager();
		}

		@Bean
		Orders orders(Ledger ledger) {
			return new Orders(ledger);
		}

	}

	/**
	 * A cached service over a map that stands for the database, whose loads block until
	 * released.
	 */
	public static class Ledger {

		private final Map<String, String> database = new ConcurrentHashMap<>();

		private final CountDownLatch loadStarted = new CountDownLatch(1);

		private final CountDownLatch release = new CountDownLatch(1);

		void store(String id, String value) {
			this.database.put(id, value);
		}

		boolean awaitLoadStarted() throws InterruptedException {
			return this.loadStarted.await(30, TimeUnit.SECONDS);
		}

		void releaseLoad() {
			this.release.countDown();
		}

		@Cacheable("entries")
		public String find(String id) {
			return slowly(id);
		}

		@Cacheable(cacheNames = "entries", sync = true)
		public String findOnce(String id) {
			return slowly(id);
		}

		@CachePut(cacheNames = "entries", key = "#id")
		public String update(String id, String value) {
			this.database.put(id, value);
			return value;
		}

		private String slowly(String id) {
			String value = this.database.get(id);
			this.loadStarted.countDown();
			try {
				if (!this.release.await(30, TimeUnit.SECONDS)) {
					throw new IllegalStateException("Load of " + id + " not released");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return value;
		}

	}

	/**
	 * A transactional service that reads through the cached one.
	 */
	public static class Orders {

		private final Ledger ledger;

		Orders(Ledger ledger) {
			this.ledger = ledger;
		}

		@Transactional
		public String read(String id) {
			return this.ledger.find(id);
		}

	}

	/**
	 * A transaction manager without a resource: transactions only synchronize, as they do
	 * around a database.
	 */
	static class SynchronizationOnlyTransactionManager extends AbstractPlatformTransactionManager {

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

}

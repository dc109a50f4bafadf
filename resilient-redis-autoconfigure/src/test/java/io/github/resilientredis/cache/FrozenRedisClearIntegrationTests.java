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
import java.util.concurrent.TimeUnit;

import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A clear of a cache while Redis hangs ({@code SIGSTOP}): it waits for its command
 * timeout, and writers of other keys of the cache do not wait behind it.
 *
 * @author resilient-redis contributors
 */
class FrozenRedisClearIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private final RedisServer server = RedisServer.start();

	// The breaker stays closed: every call waits for its own command timeout.
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(ShelvesConfiguration.class)
		.withPropertyValues(this.server.springProperties())
		.withPropertyValues("spring.data.redis.timeout=" + TIMEOUT.toMillis() + "ms",
				"resilient.redis.circuit-breaker.consecutive-failure-threshold=1000",
				"resilient.redis.circuit-breaker.minimum-number-of-calls=1000");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whenAClearWaitsForAFrozenRedisThenAPutOfAnotherKeyDoesNotWaitBehindIt() {
		this.contextRunner.run((context) -> {
			Shelves shelves = context.getBean(Shelves.class);
			shelves.put("a", "1");
			this.server.freeze();
			try {
				long start = System.nanoTime();
				CompletableFuture<Long> clear = CompletableFuture.supplyAsync(() -> {
					shelves.clear();
					return System.nanoTime();
				});
				// The clear has sent its command and waits for the reply.
				await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> !clear.isDone());
				CompletableFuture<Long> put = CompletableFuture.supplyAsync(() -> {
					shelves.put("b", "2");
					return System.nanoTime();
				});
				long clearedAt = clear.get(30, TimeUnit.SECONDS);
				long putAt = put.get(30, TimeUnit.SECONDS);
				Duration afterClear = Duration.ofNanos(putAt - clearedAt);
				System.out.printf("Clear with Redis frozen: %d ms; put of another key done %d ms after the clear%n",
						TimeUnit.NANOSECONDS.toMillis(clearedAt - start), afterClear.toMillis());
				// Waiting behind the clear, the put would start its own timeout only once
				// the clear's had passed.
				assertThat(afterClear).isLessThan(TIMEOUT.minusMillis(500));
			}
			finally {
				this.server.thaw();
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class ShelvesConfiguration {

		@Bean
		Shelves shelves() {
			return new Shelves();
		}

	}

	/**
	 * A cached service that writes and clears one cache.
	 */
	public static class Shelves {

		@CachePut(cacheNames = "shelves", key = "#id")
		public String put(String id, String value) {
			return value;
		}

		@CacheEvict(cacheNames = "shelves", allEntries = true)
		public void clear() {
		}

	}

}

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

package io.github.resilientredis.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisErrorClassifier;
import io.github.resilientredis.test.RedisServer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.util.Assert;

/**
 * The caching applications the benchmarks compare, both with {@link VersionedCatalog}
 * behind {@code @EnableCaching}: plain Spring Boot (its Redis and cache
 * auto-configurations only, so its own {@link RedisCacheManager} with Boot's defaults)
 * and the same application with resilient-redis.
 *
 * @author resilient-redis contributors
 */
final class CachingApplication {

	private CachingApplication() {
	}

	/**
	 * Start an application connected to the given server.
	 * @param server the server
	 * @param resilient whether resilient-redis is on; {@code false} is plain Spring Boot
	 * @param dedicatedConnections whether every operation borrows a pooled connection
	 * instead of sharing the multiplexed one
	 * @param extraProperties more properties, {@code name=value}
	 * @return the running application context
	 */
	static ConfigurableApplicationContext start(RedisServer server, boolean resilient, boolean dedicatedConnections,
			String... extraProperties) {
		List<Class<?>> sources = new ArrayList<>();
		sources.add(resilient ? ResilientCaching.class : PlainBootCaching.class);
		List<String> properties = new ArrayList<>(List.of(server.springProperties()));
		properties.add("spring.main.banner-mode=off");
		properties.add("logging.level.root=WARN");
		// Redis errors are what the plain run shows; the starter logs them as warnings
		properties.add("logging.level.io.github.resilientredis=ERROR");
		if (!resilient) {
			// The starter's defaults for Spring Boot's keys come with its jar, not with
			// its
			// auto-configuration
			properties.add("resilient.redis.enabled=false");
		}
		if (dedicatedConnections) {
			sources.add(BenchmarkApplication.DedicatedConnections.class);
			properties.add("spring.data.redis.lettuce.pool.enabled=true");
		}
		properties.addAll(List.of(extraProperties));
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	/**
	 * Start an application the way a user writes one: every auto-configuration on the
	 * classpath (Actuator, Micrometer, Resilience4j's), with or without
	 * resilient-redis's.
	 * @param server the server
	 * @param resilient whether resilient-redis is on; {@code false} leaves out every
	 * auto-configuration of resilient-redis
	 * @param extraProperties more properties, {@code name=value}
	 * @return the running application context
	 */
	static ConfigurableApplicationContext startFullyConfigured(RedisServer server, boolean resilient,
			String... extraProperties) {
		List<String> properties = new ArrayList<>(List.of(server.springProperties()));
		properties.add("spring.main.banner-mode=off");
		properties.add("logging.level.root=WARN");
		if (!resilient) {
			properties.add("spring.autoconfigure.exclude=" + String.join(",", resilientAutoConfigurations()));
			// The starter's defaults for Spring Boot's keys come with its jar
			properties.add("resilient.redis.enabled=false");
		}
		properties.addAll(List.of(extraProperties));
		return new SpringApplicationBuilder(FullyConfiguredCaching.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	/**
	 * Wait until Redis holds the given number of keys: plain Spring Boot writes its cache
	 * asynchronously.
	 * @param server the server
	 * @param keys the number of keys
	 */
	static void awaitKeysInRedis(RedisServer server, int keys) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!String.valueOf(keys).equals(server.execute("DBSIZE"))) {
			Assert.state(System.nanoTime() - deadline < 0, "The cache was not filled");
			Thread.onSpinWait();
		}
	}

	private static List<String> resilientAutoConfigurations() {
		ClassPathResource imports = new ClassPathResource(
				"META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports",
				ResilientRedisAutoConfiguration.class.getClassLoader());
		try (InputStream input = imports.getInputStream()) {
			String content = new String(input.readAllBytes(), StandardCharsets.UTF_8);
			return Arrays.stream(content.split("\\R"))
				.map(String::trim)
				.filter((line) -> line.startsWith("io.github.resilientredis."))
				.collect(Collectors.toList());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the resilient cache manager of a context, if it has one.
	 * @param context the context
	 * @return the cache manager, or {@code null} for plain Spring Boot
	 */
	static @Nullable ResilientRedisCacheManager resilientCacheManager(ConfigurableApplicationContext context) {
		CacheManager cacheManager = context.getBean(CacheManager.class);
		return (cacheManager instanceof ResilientRedisCacheManager resilient) ? resilient : null;
	}

	/**
	 * Return the starter's circuit breaker.
	 * @param context a context with resilient-redis
	 * @return the circuit breaker
	 */
	static CircuitBreaker circuitBreaker(ConfigurableApplicationContext context) {
		return context.getBean("redisCircuitBreaker", CircuitBreaker.class);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Catalog {

		@Bean
		VersionedCatalog versionedCatalog() {
			return new VersionedCatalog();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, CacheAutoConfiguration.class })
	static class PlainBootCaching extends Catalog {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Ablations.class)
	static class FullyConfiguredCaching extends Catalog {

	}

	/**
	 * The starter with one feature taken out, as a user could replace its beans:
	 * {@code benchmark.ablate=fence} (no cache interception scope, so no fill is fenced),
	 * {@code retry} (idempotent reads are not retried), {@code breaker-and-retry} (no
	 * circuit breaker either).
	 */
	@Configuration(proxyBeanMethods = false)
	static class Ablations {

		@Bean(name = "resilientRedisCacheFillScopePostProcessor")
		@ConditionalOnProperty(name = "benchmark.ablate", havingValue = "fence")
		static BeanPostProcessor noFillScope() {
			return new BeanPostProcessor() {
			};
		}

		@Bean
		@ConditionalOnProperty(name = "benchmark.ablate", havingValue = "retry")
		RedisCommandExecutor redisCommandExecutorWithoutRetry(CircuitBreaker redisCircuitBreaker, Retry redisRetry,
				RedisErrorClassifier classifier) {
			return new RedisCommandExecutor(redisCircuitBreaker, redisRetry, classifier) {

				@Override
				public <T extends @Nullable Object> T executeIdempotent(@Nullable String operationName,
						Supplier<T> operation) {
					return execute(operationName, operation);
				}

			};
		}

		@Bean
		@ConditionalOnProperty(name = "benchmark.ablate", havingValue = "breaker-and-retry")
		RedisCommandExecutor redisCommandExecutorWithoutBreaker(CircuitBreaker redisCircuitBreaker, Retry redisRetry,
				RedisErrorClassifier classifier) {
			return new RedisCommandExecutor(redisCircuitBreaker, redisRetry, classifier) {

				@Override
				public <T extends @Nullable Object> T executeIdempotent(@Nullable String operationName,
						Supplier<T> operation) {
					return operation.get();
				}

				@Override
				public <T extends @Nullable Object> T execute(@Nullable String operationName, Supplier<T> operation) {
					return operation.get();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
			ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class })
	static class ResilientCaching extends Catalog {

	}

}

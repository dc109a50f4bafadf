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

package io.github.resilientredis.autoconfigure.metrics;

import java.time.Duration;

import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.cache.NearCacheTracking;
import io.github.resilientredis.cache.ResilientRedisCache;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.metrics.ResilientRedisCacheManagerMetrics;
import io.github.resilientredis.metrics.ResilientRedisCacheMeterBinderProvider;
import io.github.resilientredis.test.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ResilientRedisCacheMetricsAutoConfiguration} with Spring Boot's cache
 * metrics against a real {@code redis-server}.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisCacheMetricsAutoConfigurationTests {

	private static RedisServer server;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class, ResilientRedisCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, ResilientRedisCacheMetricsAutoConfiguration.class,
				MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, CacheMetricsAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues(server.springProperties());

	@BeforeAll
	static void startServer() {
		server = RedisServer.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void whenACacheExistsAtStartupThenBootsCacheMetricsReportItOnTheCacheFamilyWithTheExtrasBeside(
			CapturedOutput output) {
		this.contextRunner.withPropertyValues("spring.cache.cache-names=startup").run((context) -> {
			Cache cache = cache(context, "startup");
			cache.put("a", "1");
			assertThat(cache.get("a")).isNotNull();
			assertThat(cache.get("b")).isNull();
			cache.evict("a");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(count(meter(registry, "cache.gets", "startup").tag("result", "hit"))).isEqualTo(1);
			assertThat(count(meter(registry, "cache.gets", "startup").tag("result", "miss"))).isEqualTo(1);
			assertThat(count(meter(registry, "cache.puts", "startup"))).isEqualTo(1);
			assertThat(count(meter(registry, "cache.evictions", "startup"))).isEqualTo(1);
			assertThat(count(meter(registry, "resilient.redis.cache.gets", "startup").tag("result", "redis-hit")))
				.isEqualTo(1);
			assertThat(count(meter(registry, "resilient.redis.cache.puts", "startup").tag("destination", "redis")))
				.isEqualTo(1);
			assertThat(meter(registry, "resilient.redis.cache.fallback.size", "startup").gauge()).isNotNull();
			assertThat(count(meter(registry, "resilient.redis.cache.superseded.fills", "startup"))).isZero();
			assertThat(output).as("bound once, by Spring Boot").doesNotContain("already registered");
		});
	}

	@Test
	void bootsCacheMetricsRegistrarBindsAResilientCacheThroughItsProviderNotTheRedisCacheOne() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context, "registrar");
			cache.put("a", "1");
			cache.get("a");
			assertThat(context).getBeans(ResilientRedisCacheMeterBinderProvider.class).hasSize(1);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(context.getBean(CacheMetricsRegistrar.class)
				.bindCacheToRegistry(cache, Tag.of("cache.manager", "registrar-test"))).isTrue();
			// Spring Boot's RedisCacheMetrics would read RedisCache statistics: none here
			assertThat(registry.get("cache.gets")
				.tags("cache", "registrar", "cache.manager", "registrar-test", "result", "hit")
				.functionCounter()
				.count()).isEqualTo(1);
			assertThat(registry.find("resilient.redis.cache.gets").tag("cache.manager", "registrar-test").meters())
				.isNotEmpty();
		});
	}

	@Test
	void whenACacheIsCreatedAtItsFirstUseThenItIsReportedWithTheTagsOfBootsCacheMetrics() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("cache.gets").tag("name", "later").meters()).isEmpty();
			Cache cache = cache(context, "later");
			cache.get("x");
			assertThat(count(meter(registry, "cache.gets", "later").tag("result", "miss"))).isEqualTo(1);
			assertThat(count(meter(registry, "resilient.redis.cache.gets", "later").tag("result", "redis-miss")))
				.isEqualTo(1);
		});
	}

	@Test
	void whenRedisIsDownThenReadsAnsweredFromTheFallbackAreHits() {
		try (RedisServer failing = RedisServer.start()) {
			this.contextRunner.withPropertyValues(failing.springProperties()).run((context) -> {
				Cache cache = cache(context, "outage");
				cache.put("a", "1");
				assertThat(cache.get("a")).isNotNull();
				failing.kill();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(cache.get("a")).isNotNull();
					assertThat(count(
							meter(registry, "resilient.redis.cache.gets", "outage").tag("result", "fallback-hit")))
						.isPositive();
				});
				double redisHits = count(
						meter(registry, "resilient.redis.cache.gets", "outage").tag("result", "redis-hit"));
				double fallbackHits = count(
						meter(registry, "resilient.redis.cache.gets", "outage").tag("result", "fallback-hit"));
				assertThat(count(meter(registry, "cache.gets", "outage").tag("result", "hit")))
					.isEqualTo(redisHits + fallbackHits);
			});
		}
	}

	@Test
	void theCacheManagerMetersAreTaggedWithTheCacheManager() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("resilient.redis.cache.journal.size")
				.tag("cache.manager", "cacheManager")
				.gauge()
				.value()).isZero();
			assertThat(registry.get("resilient.redis.cache.fallback.serving")
				.tag("cache.manager", "cacheManager")
				.gauge()
				.value()).isZero();
		});
	}

	@Test
	void whenBootsCacheMetricsAreOffThenTheStartersBinderStillReportsEveryCache() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
					DataRedisAutoConfiguration.class, ResilientRedisCacheAutoConfiguration.class,
					CacheAutoConfiguration.class, ResilientRedisCacheMetricsAutoConfiguration.class))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues(server.springProperties())
			.run((context) -> {
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(ResilientRedisCacheManagerMetrics.class).bindTo(registry);
				cache(context, "unmanaged").get("x");
				assertThat(count(meter(registry, "cache.gets", "unmanaged").tag("result", "miss"))).isEqualTo(1);
			});
	}

	@Test
	void whenTheUserDefinesTheBindersThenTheirsAreUsed() {
		this.contextRunner.withUserConfiguration(UserMetricsConfiguration.class)
			.run((context) -> assertThat(context).getBeans(ResilientRedisCacheManagerMetrics.class)
				.containsOnlyKeys("userCacheManagerMetrics"))
			.run((context) -> assertThat(context).getBeans(ResilientRedisCacheMeterBinderProvider.class)
				.containsOnlyKeys("userProvider"));
	}

	@Test
	void whenMicrometerIsAbsentThenThereAreNoCacheMeters() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ResilientRedisCacheManagerMetrics.class)
				.doesNotHaveBean(ResilientRedisCacheMeterBinderProvider.class));
	}

	@Test
	void whenTheNearCacheIsEnabledThenNearHitsTrustAndInvalidationsAreReported() {
		this.contextRunner.withPropertyValues("resilient.redis.cache.near.enabled=true").run((context) -> {
			ResilientRedisCache cache = (ResilientRedisCache) cache(context, "near");
			NearCacheTracking tracking = context.getBean(NearCacheTracking.class);
			cache.put("a", "1");
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				cache.get("a");
				return cache.getResilienceStatistics().getNearHits() > 0;
			});
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(count(meter(registry, "resilient.redis.cache.gets", "near").tag("result", "near-hit")))
				.isPositive();
			assertThat(count(meter(registry, "cache.gets", "near").tag("result", "hit"))).isPositive();
			assertThat(registry.get("resilient.redis.cache.near.trusted")
				.tag("cache.manager", "cacheManager")
				.gauge()
				.value()).isOne();
			server.execute("FLUSHALL");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> registry.get("resilient.redis.cache.near.invalidations")
					.tags("cache.manager", "cacheManager", "reason", "flush")
					.functionCounter()
					.count() == 1);
			assertThat(cache.get("a")).isNull();
			assertThat(tracking.isTrusted()).isTrue();
		});
	}

	@Test
	void whenSingleFlightIsOnThenLoadsByRoleAndLeaseWaitsAreReported() {
		this.contextRunner.withPropertyValues("resilient.redis.cache.single-flight.enabled=true").run((context) -> {
			Cache cache = cache(context, "flight");
			assertThat(cache.get("a", () -> "loaded")).isEqualTo("loaded");
			assertThat(cache.get("a", () -> "again")).isEqualTo("loaded");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(count(meter(registry, "resilient.redis.cache.loads", "flight").tag("role", "leader"))).isOne();
			for (String role : new String[] { "follower", "waited-out", "local" }) {
				assertThat(count(meter(registry, "resilient.redis.cache.loads", "flight").tag("role", role))).as(role)
					.isZero();
			}
			assertThat(meter(registry, "resilient.redis.cache.lease.waits", "flight").functionTimer().count()).isZero();
		});
	}

	private static Cache cache(AssertableApplicationContext context, String name) {
		Cache cache = context.getBean(CacheManager.class).getCache(name);
		assertThat(cache).isInstanceOf(ResilientRedisCache.class);
		return cache;
	}

	private static RequiredSearch meter(MeterRegistry registry, String name, String cache) {
		return registry.get(name).tags("cache", cache, "name", cache, "cache.manager", "cacheManager");
	}

	private static double count(RequiredSearch search) {
		return search.functionCounter().count();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMetricsConfiguration {

		@Bean
		ResilientRedisCacheManagerMetrics userCacheManagerMetrics(ResilientRedisCacheManager cacheManager) {
			return new ResilientRedisCacheManagerMetrics(cacheManager, "cacheManager");
		}

		@Bean
		ResilientRedisCacheMeterBinderProvider userProvider() {
			return new ResilientRedisCacheMeterBinderProvider();
		}

	}

}

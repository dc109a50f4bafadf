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

package io.github.resilientredis.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerMetricsAutoConfiguration;
import io.github.resilientredis.cache.ResilientRedisCache;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResilientRedisCacheAutoConfiguration}.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisCacheAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class);

	@Test
	void whenCachingIsEnabledThenTheCacheManagerIsResilient() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CacheManager.class);
			assertThat(context).getBean("cacheManager").isInstanceOf(ResilientRedisCacheManager.class);
			assertThat(context.getBean(CacheManager.class).getCache("products"))
				.isInstanceOf(ResilientRedisCache.class);
			assertThat(context).hasSingleBean(RedisReconnectListener.class);
		});
	}

	@Test
	void whenCachingIsNotEnabledThenThereIsNoCacheManager() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
							ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CacheManager.class));
	}

	@Test
	void whenTheApplicationDefinesACacheManagerThenItIsUsed() {
		this.contextRunner.withUserConfiguration(UserCacheManagerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CacheManager.class);
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
		});
	}

	@Test
	void whenAnotherCacheTypeIsConfiguredThenTheResilientCacheManagerBacksOff() {
		this.contextRunner.withPropertyValues("spring.cache.type=none").run((context) -> {
			assertThat(context).doesNotHaveBean(ResilientRedisCacheManager.class);
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(NoOpCacheManager.class);
		});
	}

	@Test
	void whenTheCacheTypeIsRedisThenTheCacheManagerIsResilient() {
		this.contextRunner.withPropertyValues("spring.cache.type=redis")
			.run((context) -> assertThat(context).hasSingleBean(ResilientRedisCacheManager.class));
	}

	@Test
	void whenTheResilientCacheIsDisabledThenSpringBootsRedisCacheManagerIsUsed() {
		this.contextRunner.withPropertyValues("resilient.redis.cache.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ResilientRedisCacheManager.class);
			assertThat(context.getBean(CacheManager.class)).isExactlyInstanceOf(RedisCacheManager.class);
		});
	}

	@Test
	void whenResilientRedisIsDisabledThenSpringBootsRedisCacheManagerIsUsed() {
		this.contextRunner.withPropertyValues("resilient.redis.enabled=false")
			.run((context) -> assertThat(context.getBean(CacheManager.class))
				.isExactlyInstanceOf(RedisCacheManager.class));
	}

	@Test
	void whenCaffeineIsAbsentThenSpringBootsRedisCacheManagerIsUsed() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Caffeine.class))
			.run((context) -> assertThat(context.getBean(CacheManager.class))
				.isExactlyInstanceOf(RedisCacheManager.class));
	}

	@Test
	void springCacheRedisPropertiesAreHonoured() {
		this.contextRunner
			.withPropertyValues("spring.cache.cache-names=products,prices", "spring.cache.redis.time-to-live=10m",
					"spring.cache.redis.key-prefix=shop:", "spring.cache.redis.cache-null-values=false",
					"spring.cache.redis.enable-statistics=true")
			.run((context) -> {
				ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
				assertThat(cacheManager.getCacheNames()).containsExactlyInAnyOrder("products", "prices");
				RedisCacheConfiguration configuration = cacheManager.getCacheConfigurations().get("products");
				assertThat(configuration.getTtlFunction().getTimeToLive("key", "value"))
					.isEqualTo(Duration.ofMinutes(10));
				assertThat(configuration.getKeyPrefixFor("products")).isEqualTo("shop:products::");
				assertThat(configuration.getAllowCacheNullValues()).isFalse();
				ResilientRedisCache cache = (ResilientRedisCache) cacheManager.getCache("products");
				assertThat(cache.getStatistics()).isNotNull();
				assertThat(cache.getNativeCache().getCacheStatistics("products").getCacheName()).isEqualTo("products");
			});
	}

	@Test
	void aRedisCacheConfigurationBeanIsUsedAsTheDefault() {
		this.contextRunner.withUserConfiguration(RedisCacheConfigurationConfiguration.class).run((context) -> {
			ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
			ResilientRedisCache cache = (ResilientRedisCache) cacheManager.getCache("any");
			assertThat(cache.getCacheConfiguration().getTtlFunction().getTimeToLive("key", "value"))
				.isEqualTo(Duration.ofSeconds(42));
		});
	}

	@Test
	void builderCustomizersAndCacheManagerCustomizersAreApplied() {
		this.contextRunner.withUserConfiguration(CustomizersConfiguration.class).run((context) -> {
			ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
			assertThat(cacheManager.getCacheNames()).contains("custom");
			assertThat(cacheManager.getCacheConfigurations().get("custom").getTtlFunction().getTimeToLive("k", "v"))
				.isEqualTo(Duration.ofMinutes(1));
			assertThat(cacheManager.isAllowRuntimeCacheCreation()).isFalse();
			assertThat(cacheManager.getCache("unknown")).isNull();
			assertThat(cacheManager.isTransactionAware()).isTrue();
			assertThat(context.getBean(CustomizersConfiguration.class).customized.get()).isSameAs(cacheManager);
		});
	}

	@Test
	void noCachingConfigurerIsRegistered() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(CachingConfigurer.class));
	}

	@Test
	void theCachesShareTheRedisCircuitBreakerRegisteredInTheApplicationsRegistry() {
		this.contextRunner.withBean(CircuitBreakerRegistry.class, CircuitBreakerRegistry::ofDefaults).run((context) -> {
			CircuitBreaker breaker = context.getBean("redisCircuitBreaker", CircuitBreaker.class);
			assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("redis")).isSameAs(breaker);
			breaker.transitionToForcedOpenState();
			assertThat(context.getBean(ResilientRedisCacheManager.class).getCircuitBreakerState())
				.isEqualTo(CircuitBreaker.State.FORCED_OPEN);
		});
	}

	@Test
	void withResilience4jsAutoConfigurationTheBreakerHasResilience4jsMeters() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(CircuitBreakerAutoConfiguration.class,
					CircuitBreakerMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				CircuitBreaker breaker = context.getBean("redisCircuitBreaker", CircuitBreaker.class);
				assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("redis")).isSameAs(breaker);
				SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
				breaker.transitionToOpenState();
				assertThat(registry.get("resilience4j.circuitbreaker.state")
					.tag("name", "redis")
					.tag("state", "open")
					.gauge()
					.value()).isEqualTo(1);
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCacheManagerConfiguration {

		@Bean
		CacheManager myCacheManager() {
			return new ConcurrentMapCacheManager();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RedisCacheConfigurationConfiguration {

		@Bean
		RedisCacheConfiguration redisCacheConfiguration() {
			return RedisCacheConfiguration.defaultCacheConfig().entryTtl(Duration.ofSeconds(42));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(CachingConfiguration.class)
	static class CustomizersConfiguration {

		final AtomicReference<RedisCacheManager> customized = new AtomicReference<>();

		@Bean
		RedisCacheManagerBuilderCustomizer customCache() {
			return (builder) -> builder
				.withCacheConfiguration("custom",
						RedisCacheConfiguration.defaultCacheConfig().entryTtl(Duration.ofMinutes(1)))
				.disableCreateOnMissingCache()
				.transactionAware();
		}

		@Bean
		CacheManagerCustomizer<RedisCacheManager> captureCacheManager() {
			return this.customized::set;
		}

	}

}

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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.cache.CacheLoadPolicy;
import io.github.resilientredis.cache.NearCacheTracking;
import io.github.resilientredis.cache.ResilientCacheSettings;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.cache.ResilientRedisCacheManager.ResilientRedisCacheManagerBuilder;
import io.github.resilientredis.connection.RedisServerWatch;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisErrorClassifier;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers;
import org.springframework.boot.cache.autoconfigure.CacheProperties;
import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.io.ResourceLoader;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheManager.RedisCacheManagerBuilder;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;

/**
 * The {@link ResilientRedisCacheManager}, built the way Spring Boot builds its
 * {@code RedisCacheManager} (same properties, same customizers) but with a cache writer
 * that writes synchronously.
 *
 * @author resilient-redis contributors
 */
@Configuration(proxyBeanMethods = false)
class ResilientRedisCacheConfiguration {

	private static final String WRITER_PROBE_CACHE = "resilient-redis-writer-probe";

	@Bean
	@ConditionalOnMissingBean(CacheManager.class)
	ResilientRedisCacheManager cacheManager(CacheProperties cacheProperties,
			ObjectProvider<CacheManagerCustomizer<?>> cacheManagerCustomizers,
			ObjectProvider<RedisCacheConfiguration> redisCacheConfiguration,
			ObjectProvider<RedisCacheManagerBuilderCustomizer> redisCacheManagerBuilderCustomizers,
			RedisConnectionFactory redisConnectionFactory, ResourceLoader resourceLoader,
			ResilientRedisProperties properties, RedisCommandExecutor redisCommandExecutor,
			CircuitBreaker redisCircuitBreaker, RedisErrorClassifier redisErrorClassifier,
			ObjectProvider<RedisServerWatch> redisServerWatch, ObjectProvider<NearCacheTracking> nearCacheTracking) {
		RedisCacheWriter writer = ResilientRedisCacheManager.synchronousCacheWriter(redisConnectionFactory);
		RedisCacheManagerBuilder builder = RedisCacheManager.builder(writer)
			.cacheDefaults(redisCacheConfiguration
				.getIfAvailable(() -> createConfiguration(cacheProperties, resourceLoader.getClassLoader())));
		List<String> cacheNames = cacheProperties.getCacheNames();
		if (!cacheNames.isEmpty()) {
			builder.initialCacheNames(new LinkedHashSet<>(cacheNames));
		}
		if (cacheProperties.getRedis().isEnableStatistics()) {
			builder.enableStatistics();
		}
		redisCacheManagerBuilderCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		// The builder hides what customizers chose: read it from what it builds.
		RedisCacheManager built = builder.build();
		built.initializeCaches();
		Map<String, RedisCacheConfiguration> initialCaches = new LinkedHashMap<>();
		builder.getConfiguredCaches()
			.forEach((name) -> builder.getCacheConfigurationFor(name)
				.ifPresent((configuration) -> initialCaches.put(name, configuration)));
		ResilientRedisCacheManagerBuilder managerBuilder = ResilientRedisCacheManager
			.builder(resolveWriter(built, writer), redisCommandExecutor, redisCircuitBreaker, redisErrorClassifier)
			.cacheDefaults(builder.cacheDefaults())
			.allowRuntimeCacheCreation(built.isAllowRuntimeCacheCreation())
			.withInitialCacheConfigurations(initialCaches)
			.transactionAware(built.isTransactionAware())
			.settings(settings(properties.getCache()))
			.serverWatch(redisServerWatch.getIfAvailable());
		NearCacheTracking tracking = nearCacheTracking.getIfAvailable();
		if (tracking != null) {
			ResilientRedisProperties.Near near = properties.getCache().getNear();
			managerBuilder.nearCache(tracking, new LinkedHashSet<>(near.getCacheNames()), near.getMaximumSize(),
					near.isStoreByReference());
		}
		ResilientRedisProperties.Cache cache = properties.getCache();
		if (cache.getSingleFlight().isEnabled() || cache.getEarlyRefresh().isEnabled()
				|| !cache.getStale().getTimeToLive().isZero()) {
			managerBuilder.loadPolicies(redisConnectionFactory, (name) -> loadPolicy(cache, name));
		}
		ResilientRedisCacheManager cacheManager = managerBuilder.build();
		return new CacheManagerCustomizers(cacheManagerCustomizers.orderedStream().toList()).customize(cacheManager);
	}

	/**
	 * Decorates the interceptor of {@code @EnableCaching} so that the cache fences only
	 * the fill of the miss that the same interception saw.
	 * @return the post-processor
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean(name = "resilientRedisCacheFillScopePostProcessor")
	static CacheFillScopePostProcessor resilientRedisCacheFillScopePostProcessor() {
		return new CacheFillScopePostProcessor();
	}

	/**
	 * The tracking link of the near cache: one dedicated connection with client-side
	 * caching for the connection factory.
	 * @param connectionFactory the connection factory
	 * @param properties the properties
	 * @return the tracking link
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("resilient.redis.cache.near.enabled")
	NearCacheTracking redisNearCacheTracking(RedisConnectionFactory connectionFactory,
			ResilientRedisProperties properties) {
		return new NearCacheTracking(NearCacheTopology.requireSupported(connectionFactory),
				properties.getCache().getNear().getMaxStaleness());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ ClientResources.class, ResilientRedisCacheManager.class })
	RedisReconnectListener redisReconnectListener(ClientResources clientResources,
			ResilientRedisCacheManager cacheManager) {
		return new RedisReconnectListener(clientResources, cacheManager);
	}

	private RedisCacheWriter resolveWriter(RedisCacheManager built, RedisCacheWriter writer) {
		String name = built.getCacheNames().stream().findFirst().orElse(WRITER_PROBE_CACHE);
		Cache cache = built.getCache(name);
		return (cache != null && cache.getNativeCache() instanceof RedisCacheWriter resolved) ? resolved : writer;
	}

	private ResilientCacheSettings settings(ResilientRedisProperties.Cache cache) {
		ResilientRedisProperties.Fallback fallback = cache.getFallback();
		ResilientRedisProperties.Replay replay = cache.getReplay();
		return new ResilientCacheSettings(fallback.isEnabled(), fallback.getMaximumSize(), fallback.getTimeToLive(),
				cache.getJournal().getMaxSize(), replay.getWindow(), replay.getMaxSize());
	}

	private static CacheLoadPolicy loadPolicy(ResilientRedisProperties.Cache cache, String name) {
		ResilientRedisProperties.SingleFlight singleFlight = cache.getSingleFlight();
		ResilientRedisProperties.EarlyRefresh earlyRefresh = cache.getEarlyRefresh();
		ResilientRedisProperties.Stale stale = cache.getStale();
		return new CacheLoadPolicy(singleFlight.isEnabled() && includes(singleFlight.getCacheNames(), name),
				singleFlight.getLeaseTime(), singleFlight.getWaitTime(),
				earlyRefresh.isEnabled() && includes(earlyRefresh.getCacheNames(), name), earlyRefresh.getBeta(),
				includes(stale.getCacheNames(), name) ? stale.getTimeToLive() : Duration.ZERO,
				stale.getRefreshBackoff());
	}

	private static boolean includes(List<String> cacheNames, String name) {
		return cacheNames.isEmpty() || cacheNames.contains(name);
	}

	private RedisCacheConfiguration createConfiguration(CacheProperties cacheProperties,
			@Nullable ClassLoader classLoader) {
		CacheProperties.Redis redisProperties = cacheProperties.getRedis();
		RedisCacheConfiguration config = RedisCacheConfiguration.defaultCacheConfig()
			.serializeValuesWith(SerializationPair.fromSerializer(new JdkSerializationRedisSerializer(classLoader)));
		if (redisProperties.getTimeToLive() != null) {
			config = config.entryTtl(redisProperties.getTimeToLive());
		}
		if (redisProperties.getKeyPrefix() != null) {
			config = config.prefixCacheNameWith(redisProperties.getKeyPrefix());
		}
		if (!redisProperties.isCacheNullValues()) {
			config = config.disableCachingNullValues();
		}
		if (!redisProperties.isUseKeyPrefix()) {
			config = config.disableKeyPrefix();
		}
		return config;
	}

}

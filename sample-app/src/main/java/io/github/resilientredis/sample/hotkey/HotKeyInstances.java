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

package io.github.resilientredis.sample.hotkey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisErrorClassifier;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * Several application instances inside this one: each is a cache manager of its own,
 * built like the application's (its breaker, executor and connection), so each has its
 * own caches, its own one-load-per-key of {@code sync = true} and its own local fallback,
 * as separate processes would. Their caches' loads are coordinated as the application's
 * are: {@code resilient.redis.cache.single-flight.enabled} switches single flight on for
 * them too. {@code sample.hot-key.instances} (3) sets how many,
 * {@code sample.hot-key.time-to-live} (10 s) how long the bestseller stays cached.
 *
 * @author resilient-redis contributors
 */
@Configuration(proxyBeanMethods = false)
class HotKeyInstances implements DisposableBean {

	/**
	 * Name of the cache resolver bean that picks the instance's cache.
	 */
	static final String CACHE_RESOLVER = "hotKeyCacheResolver";

	private final List<ResilientRedisCacheManager> managers = new ArrayList<>();

	private final ResilientRedisCacheManager applicationManager;

	HotKeyInstances(ResilientRedisCacheManager applicationManager, RedisConnectionFactory connectionFactory,
			RedisCommandExecutor executor, CircuitBreaker redisCircuitBreaker, RedisErrorClassifier classifier,
			@Value("${sample.hot-key.instances:3}") int instances,
			@Value("${sample.hot-key.time-to-live:10s}") Duration timeToLive) {
		Assert.isTrue(instances > 0, "'sample.hot-key.instances' must be positive");
		this.applicationManager = applicationManager;
		for (int i = 0; i < instances; i++) {
			ResilientRedisCacheManager manager = ResilientRedisCacheManager
				.builder(ResilientRedisCacheManager.synchronousCacheWriter(connectionFactory), executor,
						redisCircuitBreaker, classifier)
				.cacheDefaults(RedisCacheConfiguration.defaultCacheConfig().entryTtl(timeToLive))
				// The application's load policies: the same properties switch them on
				.loadPolicies(connectionFactory, applicationManager::loadPolicy)
				.build();
			manager.afterPropertiesSet();
			this.managers.add(manager);
		}
	}

	/**
	 * The cache resolver of {@link BestsellerService#find}: the bestseller cache of the
	 * instance its first argument names.
	 * @return the cache resolver
	 */
	@Bean(CACHE_RESOLVER)
	CacheResolver hotKeyCacheResolver() {
		return (context) -> List.of(cache((Integer) context.getArgs()[0]));
	}

	/**
	 * Return the bestseller cache of an instance.
	 * @param instance the instance, from 0
	 * @return its cache
	 */
	Cache cache(int instance) {
		Cache cache = this.managers.get(instance).getCache(BestsellerService.CACHE);
		Assert.state(cache != null, "No bestseller cache");
		return cache;
	}

	int count() {
		return this.managers.size();
	}

	boolean isSingleFlight() {
		return this.applicationManager.loadPolicy(BestsellerService.CACHE).singleFlight();
	}

	@Override
	public void destroy() {
		this.managers.forEach(ResilientRedisCacheManager::destroy);
	}

}

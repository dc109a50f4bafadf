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

package io.github.resilientredis.sample.status;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resilientredis.cache.ResilientCacheStatistics;
import io.github.resilientredis.cache.ResilientRedisCache;
import io.github.resilientredis.cache.ResilientRedisCacheManager;

import org.springframework.cache.Cache;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;

/**
 * Counters of one cache since startup.
 *
 * @param redisHits reads answered by Redis
 * @param redisMisses reads Redis did not hold
 * @param fallbackHits reads answered by the local fallback
 * @param fallbackMisses reads the local fallback did not hold
 * @param errors Redis failures
 * @param fallbackSize entries in the local fallback
 * @author resilient-redis contributors
 */
record CacheCounts(long redisHits, long redisMisses, long fallbackHits, long fallbackMisses, long errors,
		long fallbackSize) {

	/**
	 * Return the counters of every cache the manager has created so far.
	 * @param cacheManager the cache manager
	 * @return the counters by cache name
	 */
	static Map<String, CacheCounts> of(ResilientRedisCacheManager cacheManager) {
		Map<String, CacheCounts> caches = new LinkedHashMap<>();
		for (String name : cacheManager.getCacheNames()) {
			Cache cache = cacheManager.getCache(name);
			if (cache instanceof TransactionAwareCacheDecorator decorator) {
				cache = decorator.getTargetCache();
			}
			if (cache instanceof ResilientRedisCache resilient) {
				ResilientCacheStatistics statistics = resilient.getResilienceStatistics();
				caches.put(name,
						new CacheCounts(statistics.getRedisHits(), statistics.getRedisMisses(),
								statistics.getFallbackHits(), statistics.getFallbackMisses(), statistics.getErrors(),
								resilient.getFallbackSize()));
			}
		}
		return caches;
	}

	long hits() {
		return this.redisHits + this.fallbackHits;
	}

	long misses() {
		return this.redisMisses + this.fallbackMisses;
	}

}

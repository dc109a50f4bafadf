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

import java.util.Set;

import org.springframework.util.Assert;

/**
 * Settings of the near cache of a {@link ResilientRedisCacheManager}: which caches answer
 * hot reads from the JVM, invalidated by Redis through {@link NearCacheTracking}, and how
 * many entries each holds.
 *
 * @param cacheNames the names of the near-cached caches; empty for every cache
 * @param maximumSize maximum number of entries held locally per near-cached cache
 * @param storeByReference whether a near hit answers the instance decoded when the entry
 * was read from Redis, for values of every type; otherwise only values of immutable types
 * ({@code String}, boxed primitives, {@code java.time}, enums, ...) are, and every other
 * near hit deserializes a new instance, so that a caller that changes what it read never
 * changes what is served later
 * @author resilient-redis contributors
 */
record NearCacheSettings(Set<String> cacheNames, long maximumSize, boolean storeByReference) {

	NearCacheSettings {
		Assert.notNull(cacheNames, "'cacheNames' must not be null");
		Assert.isTrue(maximumSize > 0, "'maximumSize' must be positive");
		cacheNames = Set.copyOf(cacheNames);
	}

	/**
	 * Create settings of a near cache whose hits answer a new instance for values of
	 * types that a caller can change.
	 * @param cacheNames the names of the near-cached caches; empty for every cache
	 * @param maximumSize maximum number of entries held locally per near-cached cache
	 */
	NearCacheSettings(Set<String> cacheNames, long maximumSize) {
		this(cacheNames, maximumSize, false);
	}

	/**
	 * Return whether the named cache is near-cached.
	 * @param cacheName the name of the cache
	 * @return whether it is near-cached
	 */
	boolean includes(String cacheName) {
		return this.cacheNames.isEmpty() || this.cacheNames.contains(cacheName);
	}

}

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

import java.util.Arrays;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The near-cache reads of a {@link ResilientRedisCache}: the values held in the JVM under
 * the tracking link's trusted epoch, answered without a call to Redis.
 *
 * @author resilient-redis contributors
 */
final class NearCacheReads {

	private static final Log logger = LogFactory.getLog(NearCacheReads.class);

	private final @Nullable NearCacheTracking tracking;

	private final FallbackStore fallback;

	private final CacheValues values;

	private final ResilientCacheStatistics statistics;

	NearCacheReads(@Nullable NearCacheTracking tracking, FallbackStore fallback, CacheValues values,
			ResilientCacheStatistics statistics) {
		this.tracking = tracking;
		this.fallback = fallback;
		this.values = values;
		this.statistics = statistics;
	}

	/**
	 * Return whether a cache can be near-cached: tracking by prefix needs the serialized
	 * prefix to start every serialized key, and a local hit must not skip the
	 * time-to-idle refresh Redis makes on each read.
	 * @param cacheName the name of the cache
	 * @param timeToIdle whether the cache uses time-to-idle
	 * @param prefix the serialized key prefix
	 * @param sample a serialized key made of the prefix and more
	 * @return whether the cache can be near-cached
	 */
	static boolean supports(String cacheName, boolean timeToIdle, byte[] prefix, byte[] sample) {
		if (timeToIdle || sample.length < prefix.length
				|| !Arrays.equals(sample, 0, prefix.length, prefix, 0, prefix.length)) {
			logger.warn("Cache '" + cacheName + "' is not near-cached: it uses time-to-idle, or its key serializer "
					+ "does not keep the key prefix at the start of each key");
			return false;
		}
		return true;
	}

	/**
	 * Return whether reads are answered from the JVM while the tracking link is trusted.
	 * @return whether the cache is near-cached
	 */
	boolean isActive() {
		return this.tracking != null;
	}

	/**
	 * Return the epoch under which what Redis answers from now on is held, to be taken
	 * before Redis is read.
	 * @return the trusted epoch, {@link FallbackStore#UNTRUSTED} when the link is not
	 * trusted or the cache is not near-cached
	 */
	long trust() {
		NearCacheTracking near = this.tracking;
		return (near != null) ? near.trustedEpoch() : FallbackStore.UNTRUSTED;
	}

	/**
	 * Answer a read from the JVM: the entry held under the trusted epoch, decoded once if
	 * no caller can change it, else deserialized for each read.
	 * @param cacheKey the Redis key, not serialized
	 * @param trust the trusted epoch
	 * @return the store value, or {@code null} if none is held under that epoch
	 */
	@Nullable Object read(String cacheKey, long trust) {
		FallbackStore.Entry entry = this.fallback.getTrusted(cacheKey, trust);
		if (entry == null) {
			return null;
		}
		Object storeValue = entry.decoded();
		if (storeValue == null) {
			try {
				storeValue = this.values.deserialize(entry.value());
			}
			catch (RuntimeException ex) {
				this.fallback.evict(cacheKey);
				return null;
			}
		}
		if (storeValue != null) {
			this.statistics.nearHit();
		}
		return storeValue;
	}

}

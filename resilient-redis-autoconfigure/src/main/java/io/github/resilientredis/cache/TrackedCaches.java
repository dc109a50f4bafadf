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

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.api.push.PushMessage;

/**
 * The near-cached caches of one {@link NearCacheTracking}, by key prefix: which prefixes
 * the tracking connection must still track, and which caches a key that Redis pushed
 * belongs to.
 *
 * @author resilient-redis contributors
 */
final class TrackedCaches {

	private final List<ResilientRedisCache> caches = new CopyOnWriteArrayList<>();

	/**
	 * The prefixes tracked on the current connection; only the tracking thread touches
	 * it.
	 */
	private final List<byte[]> tracked = new ArrayList<>();

	void add(ResilientRedisCache cache) {
		this.caches.add(cache);
	}

	List<String> names() {
		return this.caches.stream().map(ResilientRedisCache::getName).toList();
	}

	/**
	 * A new connection tracks nothing yet.
	 */
	void connectionReplaced() {
		this.tracked.clear();
	}

	/**
	 * Return the prefixes of the caches not yet tracked on this connection, without a
	 * prefix that another one, tracked or new, already covers (Redis refuses overlapping
	 * prefixes).
	 * @return the prefixes to track
	 */
	List<byte[]> untracked() {
		List<byte[]> all = new ArrayList<>(this.tracked);
		List<byte[]> untracked = new ArrayList<>();
		for (ResilientRedisCache cache : this.caches) {
			byte[] prefix = cache.nearPrefix();
			if (all.stream().noneMatch((covering) -> startsWith(prefix, covering))) {
				all.removeIf((covered) -> startsWith(covered, prefix));
				untracked.removeIf((covered) -> startsWith(covered, prefix));
				all.add(prefix);
				untracked.add(prefix);
			}
		}
		return untracked;
	}

	void tracking(List<byte[]> prefixes) {
		this.tracked.addAll(prefixes);
	}

	/**
	 * Apply an invalidation that Redis pushed: evict each key from the caches of its
	 * prefix, or clear every cache for a null invalidation (a flushed data set).
	 * @param message the pushed message
	 * @return the number of keys invalidated, {@code -1} for a flush, {@code 0} for
	 * another message
	 */
	int invalidate(PushMessage message) {
		if (!"invalidate".equals(message.getType())) {
			return 0;
		}
		List<Object> content = message.getContent(TrackedCaches::bytes);
		Object keys = (content.size() > 1) ? content.get(1) : null;
		if (!(keys instanceof List<?> invalidated)) {
			this.caches.forEach(ResilientRedisCache::nearFlushed);
			return -1;
		}
		int count = 0;
		for (Object key : invalidated) {
			if (key instanceof byte[] binaryKey) {
				for (ResilientRedisCache cache : this.caches) {
					if (startsWith(binaryKey, cache.nearPrefix())) {
						cache.nearInvalidated(binaryKey);
					}
				}
				count++;
			}
		}
		return count;
	}

	private static Object bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	private static boolean startsWith(byte[] value, byte[] prefix) {
		return value.length >= prefix.length && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
	}

}

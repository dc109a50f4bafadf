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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The keys written or evicted, and the caches cleared, while Redis could not be written:
 * Redis may still hold older values for them, so they must be deleted there before any
 * read of them is served from Redis again.
 * <p>
 * Each record carries a stamp. A replay {@link #snapshot() takes a snapshot}, deletes
 * what it lists in Redis, and then {@link #remove(Snapshot) removes} only the records
 * whose stamp is unchanged: a key recorded again while its deletion was in flight stays
 * pending, and stays out of Redis reads, until the next replay.
 * <p>
 * The journal is bounded: when it is full, every cache with recorded keys is recorded as
 * cleared instead, which is always correct and bounded in memory, at the price of the
 * other entries of those caches.
 *
 * @author resilient-redis contributors
 */
final class InvalidationJournal {

	private final int maxSize;

	private final Map<Key, Long> keys = new ConcurrentHashMap<>();

	private final Map<String, Long> clears = new ConcurrentHashMap<>();

	private final AtomicLong stamps = new AtomicLong();

	private final AtomicLong overflows = new AtomicLong();

	InvalidationJournal(int maxSize) {
		this.maxSize = maxSize;
	}

	boolean isEmpty() {
		return this.keys.isEmpty() && this.clears.isEmpty();
	}

	boolean isPending(String cacheName, byte[] key) {
		if (isClearPending(cacheName)) {
			return true;
		}
		return !this.keys.isEmpty() && this.keys.containsKey(new Key(cacheName, key));
	}

	boolean isClearPending(String cacheName) {
		return !this.clears.isEmpty() && this.clears.containsKey(cacheName);
	}

	/**
	 * Record a key that Redis may hold an outdated value for.
	 * @param cacheName the name of the cache
	 * @param key the serialized Redis key
	 * @return {@code true} if the journal was full and the affected caches were recorded
	 * as cleared instead
	 */
	boolean record(String cacheName, byte[] key) {
		// Recorded even when a clear of the cache is pending: the clear may be in
		// flight already, and must not be kept pending by every later write.
		this.keys.put(new Key(cacheName, key), this.stamps.incrementAndGet());
		if (this.keys.size() > this.maxSize) {
			overflow();
			return true;
		}
		return false;
	}

	void recordClear(String cacheName) {
		this.clears.put(cacheName, this.stamps.incrementAndGet());
		this.keys.keySet().removeIf((key) -> key.cacheName().equals(cacheName));
	}

	private synchronized void overflow() {
		if (this.keys.size() <= this.maxSize) {
			return;
		}
		this.overflows.incrementAndGet();
		for (Key key : new ArrayList<>(this.keys.keySet())) {
			if (!this.clears.containsKey(key.cacheName())) {
				recordClear(key.cacheName());
			}
		}
	}

	int size() {
		return this.keys.size() + this.clears.size();
	}

	long getOverflows() {
		return this.overflows.get();
	}

	Snapshot snapshot() {
		Map<String, Long> clears = new LinkedHashMap<>(this.clears);
		Map<String, List<Map.Entry<byte[], Long>>> keysByCache = new LinkedHashMap<>();
		this.keys.forEach((key, stamp) -> keysByCache.computeIfAbsent(key.cacheName(), (name) -> new ArrayList<>())
			.add(Map.entry(key.bytes(), stamp)));
		return new Snapshot(clears, keysByCache);
	}

	void remove(Snapshot snapshot) {
		snapshot.clears().forEach(this.clears::remove);
		snapshot.keysByCache()
			.forEach((cacheName, entries) -> entries
				.forEach((entry) -> this.keys.remove(new Key(cacheName, entry.getKey()), entry.getValue())));
	}

	/**
	 * What a replay has to delete.
	 *
	 * @param clears names of the caches to clear, with their stamps
	 * @param keysByCache keys to delete per cache name, with their stamps
	 */
	record Snapshot(Map<String, Long> clears, Map<String, List<Map.Entry<byte[], Long>>> keysByCache) {

		boolean isEmpty() {
			return this.clears.isEmpty() && this.keysByCache.isEmpty();
		}

		int keyCount() {
			return this.keysByCache.values().stream().mapToInt(List::size).sum();
		}

	}

	/**
	 * A serialized Redis key of a cache, compared by content.
	 */
	private static final class Key {

		private final String cacheName;

		private final byte[] bytes;

		private final int hash;

		Key(String cacheName, byte[] bytes) {
			this.cacheName = cacheName;
			this.bytes = bytes;
			this.hash = 31 * cacheName.hashCode() + Arrays.hashCode(bytes);
		}

		String cacheName() {
			return this.cacheName;
		}

		byte[] bytes() {
			return this.bytes;
		}

		@Override
		public boolean equals(Object obj) {
			return obj instanceof Key other && this.hash == other.hash && this.cacheName.equals(other.cacheName)
					&& Arrays.equals(this.bytes, other.bytes);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

}

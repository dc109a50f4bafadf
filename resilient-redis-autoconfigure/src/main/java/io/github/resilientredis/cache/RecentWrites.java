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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The writes that the caches of one manager made to Redis recently: which key (or which
 * cache, for a clear) and when. Redis can forget a write it acknowledged: after a restart
 * from an older RDB snapshot or append-only file, or a failover to a replica that had not
 * received it. When that is seen, the writes made from a window before the connection was
 * lost are replayed as deletions, so that an evicted or overwritten value does not come
 * back.
 * <p>
 * Bounded by count (a ring of {@code maxSize} records) and by age (older records are
 * ignored). Recording a write costs an allocation and two atomic operations, on writes
 * only; reads never touch it. When a record still inside the window is overwritten (more
 * writes in the window than the ring holds), its whole cache is cleared instead.
 *
 * @author resilient-redis contributors
 */
final class RecentWrites {

	private final AtomicReferenceArray<@Nullable Write> ring;

	private final int size;

	private final long windowNanos;

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, Source> sources = new ConcurrentHashMap<>();

	RecentWrites(int maxSize, Duration window) {
		Assert.isTrue(maxSize > 0, "'maxSize' must be positive");
		Assert.isTrue(!window.isNegative() && !window.isZero(), "'window' must be positive");
		this.size = maxSize;
		this.ring = new AtomicReferenceArray<>(maxSize);
		this.windowNanos = window.toNanos();
	}

	/**
	 * Return where a cache records its writes.
	 * @param cacheName the name of the cache
	 * @return the source of the cache's records
	 */
	Source source(String cacheName) {
		return this.sources.computeIfAbsent(cacheName, Source::new);
	}

	private void add(Write write) {
		int slot = (int) (this.sequence.getAndIncrement() % this.size);
		Write old = this.ring.getAndSet(slot, write);
		if (old != null) {
			old.source().overwritten(old.nanoTime());
		}
	}

	/**
	 * Return what to replay when writes acknowledged before a connection loss may have
	 * been forgotten: every write recorded from the window before the loss on.
	 * @param connectionLostNanoTime when the connection to the server that may have
	 * forgotten the writes was lost
	 * @return the keys to delete and the caches to clear
	 */
	Replay since(long connectionLostNanoTime) {
		long from = connectionLostNanoTime - this.windowNanos;
		Set<String> clears = new LinkedHashSet<>();
		this.sources.forEach((cacheName, source) -> {
			if (source.overwrittenSince(from)) {
				clears.add(cacheName);
			}
		});
		Map<String, Set<ByteBuffer>> keys = new LinkedHashMap<>();
		for (int i = 0; i < this.size; i++) {
			Write write = this.ring.get(i);
			if (write == null || write.nanoTime() - from < 0) {
				continue;
			}
			String cacheName = write.source().cacheName;
			byte[] key = write.key();
			if (key == null) {
				clears.add(cacheName);
			}
			else {
				keys.computeIfAbsent(cacheName, (name) -> new LinkedHashSet<>()).add(ByteBuffer.wrap(key));
			}
		}
		Map<String, List<byte[]>> keysByCache = new LinkedHashMap<>();
		keys.forEach((cacheName, buffers) -> {
			if (!clears.contains(cacheName)) {
				List<byte[]> list = new ArrayList<>(buffers.size());
				buffers.forEach((buffer) -> list.add(buffer.array()));
				keysByCache.put(cacheName, list);
			}
		});
		return new Replay(keysByCache, clears);
	}

	/**
	 * Where the writes of one cache are recorded.
	 */
	final class Source {

		private final String cacheName;

		private final AtomicLong newestOverwritten = new AtomicLong();

		private volatile boolean anyOverwritten;

		private Source(String cacheName) {
			this.cacheName = cacheName;
		}

		/**
		 * Record a write or an eviction of a key, before it is sent to Redis.
		 * @param key the serialized key
		 */
		void record(byte[] key) {
			add(new Write(this, key, System.nanoTime()));
		}

		/**
		 * Record a clear of keys of the cache, before it is sent to Redis.
		 */
		void recordClear() {
			add(new Write(this, null, System.nanoTime()));
		}

		private void overwritten(long nanoTime) {
			if (!this.anyOverwritten) {
				// nanoTime values compare only by difference: start from a real one.
				this.newestOverwritten.set(nanoTime);
				this.anyOverwritten = true;
				return;
			}
			this.newestOverwritten.accumulateAndGet(nanoTime,
					(current, candidate) -> (candidate - current > 0) ? candidate : current);
		}

		private boolean overwrittenSince(long from) {
			return this.anyOverwritten && this.newestOverwritten.get() - from >= 0;
		}

	}

	/**
	 * One write: a key, or a whole cache when {@code key} is {@code null}.
	 *
	 * @param source the source of the cache
	 * @param key the serialized key, or {@code null} for a clear
	 * @param nanoTime when it was recorded
	 */
	private record Write(Source source, byte @Nullable [] key, long nanoTime) {

	}

	/**
	 * What to replay: keys to delete and caches to clear.
	 *
	 * @param keysByCache the keys to delete, per cache name
	 * @param clears the names of the caches to clear
	 */
	record Replay(Map<String, List<byte[]>> keysByCache, Set<String> clears) {

		int keyCount() {
			return this.keysByCache.values().stream().mapToInt(List::size).sum();
		}

	}

}

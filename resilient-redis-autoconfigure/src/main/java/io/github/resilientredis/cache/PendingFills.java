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

import org.jspecify.annotations.Nullable;

/**
 * The misses seen by the cache interceptions running on each thread, each kept until the
 * interception that saw it stores what it loaded, and forgotten when that interception
 * ends.
 * <p>
 * Spring's {@code CacheInterceptor} answers a {@code @Cacheable} miss by running the
 * method and then calling {@code put} with its result: only that {@code put} is the fill
 * of the miss, to be stored only if the key was not written since
 * ({@link CacheWriteFence}). A {@link CacheFillScope} marks where each interception
 * starts and ends; nested interceptions (a cached method calling another) keep their
 * misses apart. Outside an interception nothing is remembered, and every {@code put} is a
 * plain put.
 *
 * @author resilient-redis contributors
 */
final class PendingFills {

	/**
	 * Returned by {@link #take} when the put is not the fill of a miss.
	 */
	static final long NONE = Long.MIN_VALUE;

	private static final ThreadLocal<PendingFills> current = ThreadLocal.withInitial(PendingFills::new);

	private int depth;

	/**
	 * For each level, whether it is the code of a cached method rather than an
	 * interception.
	 */
	private boolean[] methodLevels = new boolean[8];

	private @Nullable Fill[] fills = new Fill[4];

	private int size;

	private PendingFills() {
	}

	/**
	 * A cache interception starts on this thread.
	 */
	static void enterInterception() {
		current.get().enter(false);
	}

	/**
	 * The cached method of the interception running on this thread starts: what its own
	 * code does with caches is not the interception's.
	 */
	static void enterMethod() {
		current.get().enter(true);
	}

	/**
	 * The level entered last on this thread ends: its misses that were not filled are
	 * forgotten.
	 */
	static void exit() {
		PendingFills fills = current.get();
		fills.removeIf(null, null);
		fills.depth--;
	}

	private void enter(boolean method) {
		this.depth++;
		if (this.depth == this.methodLevels.length) {
			this.methodLevels = Arrays.copyOf(this.methodLevels, this.depth * 2);
		}
		this.methodLevels[this.depth] = method;
	}

	/**
	 * Remember a miss of the interception running on this thread, if any.
	 * @param cache the cache
	 * @param cacheKey the key that missed
	 * @param generation the fence generation read before the read of Redis
	 */
	static void missed(Object cache, String cacheKey, long generation) {
		PendingFills fills = current.get();
		if (fills.depth == 0 || fills.methodLevels[fills.depth] || fills.indexOf(cache, cacheKey) != -1) {
			return;
		}
		if (fills.size == fills.fills.length) {
			fills.fills = Arrays.copyOf(fills.fills, fills.size * 2);
		}
		fills.fills[fills.size++] = new Fill(fills.depth, cache, cacheKey, generation);
	}

	/**
	 * Return the generation of the miss that a put of the running interception fills, and
	 * forget that miss.
	 * @param cache the cache
	 * @param cacheKey the key put
	 * @return the generation read before the miss, or {@link #NONE} if the put is not a
	 * fill
	 */
	static long take(Object cache, String cacheKey) {
		PendingFills fills = current.get();
		int index = fills.indexOf(cache, cacheKey);
		if (index == -1) {
			return NONE;
		}
		long generation = fills.fills[index].generation();
		fills.remove(index);
		return generation;
	}

	/**
	 * Forget the running interception's miss of a key that it wrote or evicted itself.
	 * @param cache the cache
	 * @param cacheKey the key
	 */
	static void forget(Object cache, String cacheKey) {
		current.get().removeIf(cache, cacheKey);
	}

	/**
	 * Forget the running interception's misses of a cache that it cleared.
	 * @param cache the cache
	 */
	static void forgetAll(Object cache) {
		current.get().removeIf(cache, null);
	}

	private int indexOf(Object cache, String cacheKey) {
		for (int i = this.size - 1; i >= 0; i--) {
			Fill fill = this.fills[i];
			if (fill.depth() == this.depth && fill.cache() == cache && fill.cacheKey().equals(cacheKey)) {
				return i;
			}
		}
		return -1;
	}

	// Remove the running interception's misses of the cache ({@code null}: of every
	// cache) and key ({@code null}: every key).
	private void removeIf(@Nullable Object cache, @Nullable String cacheKey) {
		for (int i = this.size - 1; i >= 0; i--) {
			Fill fill = this.fills[i];
			if (fill.depth() == this.depth && (cache == null || fill.cache() == cache)
					&& (cacheKey == null || fill.cacheKey().equals(cacheKey))) {
				remove(i);
			}
		}
	}

	private void remove(int index) {
		System.arraycopy(this.fills, index + 1, this.fills, index, this.size - index - 1);
		this.fills[--this.size] = null;
	}

	/**
	 * A miss of an interception.
	 *
	 * @param depth the nesting depth of the interception that saw it
	 * @param cache the cache
	 * @param cacheKey the key
	 * @param generation the fence generation read before the read of Redis
	 */
	private record Fill(int depth, Object cache, String cacheKey, long generation) {

	}

}

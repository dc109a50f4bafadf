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

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Keeps a value loaded after a cache miss from overwriting a newer write of the same key:
 * the look-aside race of a cache, closed inside the JVM.
 * <p>
 * Keys are spread over 256 stripes, each with a lock and a generation. A write or an
 * eviction takes the lock of its stripe, advances the generation and makes its Redis call
 * while holding the lock. A clear advances every stripe's generation under its lock, one
 * stripe at a time, and then makes its Redis call holding none. A miss reads its stripe's
 * generation before it reads Redis; the fill of that miss is stored only if the
 * generation is still the same when it holds the lock, and is dropped otherwise (a miss
 * is always correct: the next read loads again). A write to another key of the same
 * stripe drops a fill too, which costs a load, never a stale value. Reads take no lock.
 *
 * @author resilient-redis contributors
 */
final class CacheWriteFence {

	private static final int STRIPES = 256;

	private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

	private final AtomicLongArray generations = new AtomicLongArray(STRIPES);

	CacheWriteFence() {
		for (int i = 0; i < STRIPES; i++) {
			this.locks[i] = new ReentrantLock();
		}
	}

	/**
	 * Return the generation of the key's stripe, to be read before a read of Redis whose
	 * miss may be filled.
	 * @param cacheKey the key
	 * @return the generation
	 */
	long generation(String cacheKey) {
		return this.generations.get(stripe(cacheKey));
	}

	/**
	 * Make a write or an eviction of the key, after which no fill of an earlier miss of
	 * the key is stored.
	 * @param <T> the result type
	 * @param cacheKey the key
	 * @param write the write
	 * @return the result of the write
	 */
	<T> T write(String cacheKey, Supplier<T> write) {
		int stripe = stripe(cacheKey);
		ReentrantLock lock = this.locks[stripe];
		lock.lock();
		try {
			this.generations.incrementAndGet(stripe);
			return write.get();
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Advance the generation of the key's stripe without taking its lock, for a write
	 * made asynchronously by a thread that must not wait: no fill of an earlier miss of
	 * the key is stored after it.
	 * @param cacheKey the key
	 */
	void advance(String cacheKey) {
		this.generations.incrementAndGet(stripe(cacheKey));
	}

	/**
	 * Advance the generation of the key's stripe if its lock is free now, for a write
	 * made by a thread that must not wait: a fill that passed its check before has then
	 * been stored, and no fill of an earlier miss of the key is stored after it.
	 * @param cacheKey the key
	 * @return whether the generation was advanced; if not, a write or fill of the stripe
	 * is under way
	 */
	boolean tryAdvance(String cacheKey) {
		int stripe = stripe(cacheKey);
		ReentrantLock lock = this.locks[stripe];
		if (!lock.tryLock()) {
			return false;
		}
		try {
			this.generations.incrementAndGet(stripe);
			return true;
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Advance the generation of every stripe without taking their locks, for a clear made
	 * by a thread that must not wait: no fill of an earlier miss that has not passed its
	 * check yet is stored after it.
	 */
	void advanceAll() {
		for (int stripe = 0; stripe < STRIPES; stripe++) {
			this.generations.incrementAndGet(stripe);
		}
	}

	/**
	 * Store the value loaded after a miss, unless the key's stripe was written since the
	 * miss read its generation.
	 * @param cacheKey the key
	 * @param generation the generation read before the miss
	 * @param fill the write of the loaded value
	 * @return whether the fill was stored
	 */
	boolean fill(String cacheKey, long generation, Runnable fill) {
		int stripe = stripe(cacheKey);
		ReentrantLock lock = this.locks[stripe];
		lock.lock();
		try {
			if (this.generations.get(stripe) != generation) {
				return false;
			}
			fill.run();
			return true;
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Start the fill of a miss made by another party on this thread (a cache writer's
	 * get-or-load), unless the key's stripe was written since the miss read its
	 * generation or is being written now. Once started, the fill holds the key's stripe
	 * until {@link #exitFill(String)}. It never waits for the stripe: a locking writer's
	 * fill holds the writer's Redis lock, which a write of the stripe may be waiting for.
	 * @param cacheKey the key
	 * @param generation the generation read before the miss
	 * @return whether the fill may be stored
	 */
	boolean tryEnterFill(String cacheKey, long generation) {
		int stripe = stripe(cacheKey);
		ReentrantLock lock = this.locks[stripe];
		if (!lock.tryLock()) {
			return false;
		}
		if (this.generations.get(stripe) != generation) {
			lock.unlock();
			return false;
		}
		return true;
	}

	/**
	 * End a fill started with {@link #tryEnterFill(String, long)} on this thread.
	 * @param cacheKey the key
	 */
	void exitFill(String cacheKey) {
		this.locks[stripe(cacheKey)].unlock();
	}

	/**
	 * Clear keys of the cache, after which no fill of an earlier miss is stored.
	 * @param <T> the result type
	 * @param clear the clear
	 * @return the result of the clear
	 */
	<T> T clear(Supplier<T> clear) {
		// Each stripe in turn, never all at once and never across the clear itself: a
		// fill
		// that passed its check has been stored before the clear starts, and no fill of
		// an earlier miss passes its check after. Writes of other keys go on meanwhile.
		for (int stripe = 0; stripe < STRIPES; stripe++) {
			ReentrantLock lock = this.locks[stripe];
			lock.lock();
			try {
				this.generations.incrementAndGet(stripe);
			}
			finally {
				lock.unlock();
			}
		}
		return clear.get();
	}

	private static int stripe(String cacheKey) {
		int hash = cacheKey.hashCode();
		return (hash ^ (hash >>> 16)) & (STRIPES - 1);
	}

}

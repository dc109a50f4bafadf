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

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.resilientredis.cache.LoadLeases.Attempt;
import io.github.resilientredis.cache.LoadLeases.Lease;
import org.jspecify.annotations.Nullable;

/**
 * One load of a key across every instance, for the synchronized loads of a cache whose
 * policy has single flight on. The caller that runs a key's load in its JVM (the
 * {@link InFlightLoads} leader, so that one caller per JVM talks to Redis) reads the
 * value or takes the key's lease in one round trip: with the lease it loads and stores
 * the value only while it still holds the lease; when another caller holds it, it waits
 * to be woken by the lease's end (or for the lease's remaining time), reads again and
 * tries again, until the wait time is over, after which it loads itself. Whenever Redis
 * cannot be asked, the load runs in the JVM, as without single flight.
 *
 * @author resilient-redis contributors
 */
final class SingleFlightLoads {

	/** The longest step of a wait while the wake-up subscription is not confirmed. */
	private static final Duration UNCONFIRMED_STEP = Duration.ofMillis(50);

	private final String name;

	private final CacheRouter router;

	private final CacheWriteFence fence;

	private final CacheValues values;

	private final LoadLeases leases;

	private final LoadWakeups wakeups;

	private final Duration waitTime;

	private final LongSupplier nearTrust;

	SingleFlightLoads(CacheRouter router, CacheWriteFence fence, CacheValues values, LoadLeases leases,
			LoadWakeups wakeups, Duration waitTime, LongSupplier nearTrust) {
		this.name = router.name();
		this.router = router;
		this.fence = fence;
		this.values = values;
		this.leases = leases;
		this.wakeups = wakeups;
		this.waitTime = waitTime;
		this.nearTrust = nearTrust;
	}

	/**
	 * Load the key once across instances, or answer the value another instance loaded.
	 * @param <T> the value type
	 * @param key the key
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param generation the fence generation read before the miss
	 * @param valueLoader the loader
	 * @param inJvm the load of the key in this JVM alone, stored as without single flight
	 * @return the value loaded or read
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable T load(Object key, String cacheKey, byte[] binaryKey, long generation, Callable<T> valueLoader,
			Supplier<@Nullable T> inJvm) {
		ResilientCacheStatistics statistics = this.router.statistics();
		long start = System.nanoTime();
		long deadline = start + this.waitTime.toNanos();
		boolean waited = false;
		while (true) {
			if (!this.router.circuit().canRead(this.name, binaryKey)) {
				// Breaker not closed, or a write of the key waits to be replayed.
				statistics.load(LoadRole.LOCAL);
				return inJvm.get();
			}
			long trust = this.nearTrust.getAsLong();
			long sequence = this.router.fallback().writeSequence(cacheKey);
			Attempt attempt;
			Duration wait;
			try (LoadWakeups.Waiter waiter = this.wakeups.register(binaryKey)) {
				attempt = this.leases.acquireIfAbsent(binaryKey);
				Duration held = attempt.held();
				if (held == null) {
					wait = Duration.ZERO;
				}
				else {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						waited(statistics, start, true);
						statistics.load(LoadRole.WAITED_OUT);
						return inJvm.get();
					}
					wait = shortest(held, Duration.ofNanos(left));
					if (!this.wakeups.isListening()) {
						wait = shortest(wait, UNCONFIRMED_STEP);
					}
					// Woken or not, the key is read again: the lease may have ended
					// unseen.
					waiter.await(wait);
					waited = true;
					continue;
				}
			}
			if (attempt.isUnavailable()) {
				waited(statistics, start, waited);
				statistics.load(LoadRole.LOCAL);
				return inJvm.get();
			}
			byte[] value = attempt.value();
			if (value != null) {
				Object storeValue = this.router.fromRedis(key, cacheKey, binaryKey, value, sequence, trust, false);
				if (storeValue == null) {
					// Unusable and evicted: read again.
					continue;
				}
				waited(statistics, start, waited);
				if (waited) {
					statistics.load(LoadRole.FOLLOWER);
				}
				return (T) this.values.fromStoreValue(storeValue);
			}
			waited(statistics, start, waited);
			statistics.load(LoadRole.LEADER);
			Lease lease = attempt.lease();
			return (lease != null) ? lead(key, cacheKey, binaryKey, generation, valueLoader, lease) : inJvm.get();
		}
	}

	// Load with the lease, and store only while the lease and the local fence allow it.
	private <T> @Nullable T lead(Object key, String cacheKey, byte[] binaryKey, long generation,
			Callable<T> valueLoader, Lease lease) {
		boolean[] stored = new boolean[1];
		boolean filled;
		T value;
		try {
			value = WriterLoads.call(key, valueLoader);
			byte[] binaryValue = this.values.serialize(value);
			Duration timeToLive = this.values.timeToLive(key, value);
			filled = this.fence.fill(cacheKey, generation, () -> stored[0] = this.router.putLeased(cacheKey, binaryKey,
					binaryValue, timeToLive, lease::storeAndRelease));
		}
		catch (RuntimeException | Error ex) {
			// Waiters wake and one of them loads.
			lease.release();
			throw ex;
		}
		if (!filled) {
			lease.release();
		}
		if (!filled || !stored[0]) {
			// Written since the miss, here or on another instance (the lease revoked), or
			// the lease expired and another caller loads after this one.
			this.router.statistics().fillSuperseded();
		}
		return value;
	}

	private static void waited(ResilientCacheStatistics statistics, long start, boolean waited) {
		if (waited) {
			statistics.leaseWaited(System.nanoTime() - start);
		}
	}

	private static Duration shortest(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/**
	 * The role a synchronized load played, as the loads meter counts it.
	 */
	enum LoadRole {

		/** Took the lease and ran the loader. */
		LEADER("leader"),

		/** Waited for another caller's load and read its value. */
		FOLLOWER("follower"),

		/** Waited for the wait time, then ran the loader itself. */
		WAITED_OUT("waited-out"),

		/**
		 * Ran the loader in the JVM alone: not coordinated, or Redis could not be asked.
		 */
		LOCAL("local");

		private final String tag;

		LoadRole(String tag) {
			this.tag = tag;
		}

		String tag() {
			return this.tag;
		}

	}

}

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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The background refreshes of one cache: a hit that refreshes early, or that found a
 * stale value, hands the loader to the manager's refresh threads and answers the value it
 * holds. One refresh per key runs in the JVM at a time. The refreshed value is stored
 * only if no write of the key (put, evict, clear) was made since the refresh started: the
 * local fill fence decides in this JVM, the key's lease in Redis across instances (every
 * write revokes it). The refresh runs only under that lease, so that one instance
 * refreshes the key at a time. A refresh whose loader fails keeps the value held, which
 * is served until it is refreshed or its stale grace ends; the key is not refreshed again
 * in this JVM for the back-off, so that a failing loader is not called at every hit.
 *
 * @author resilient-redis contributors
 */
final class CacheRefreshes {

	private static final Log logger = LogFactory.getLog(CacheRefreshes.class);

	private final CacheRouter router;

	private final CacheWriteFence fence;

	private final CacheValues values;

	private final EarlyExpiration expiration;

	private final Executor executor;

	private final LoadLeases leases;

	private final ExpiringReads reads;

	private final Set<String> running = ConcurrentHashMap.newKeySet();

	private final long backoffNanos;

	/** Until when (nanos) the keys whose refresh failed are not refreshed again. */
	private final Map<String, Long> backingOff = new ConcurrentHashMap<>();

	CacheRefreshes(CacheRouter router, CacheWriteFence fence, CacheValues values, EarlyExpiration expiration,
			Executor executor, LoadLeases leases, ExpiringReads reads, Duration backoff) {
		this.router = router;
		this.fence = fence;
		this.values = values;
		this.expiration = expiration;
		this.executor = executor;
		this.leases = leases;
		this.reads = reads;
		this.backoffNanos = backoff.toNanos();
	}

	/**
	 * Refresh the key in the background, unless a refresh of it runs already, or failed
	 * less than the back-off ago.
	 * @param key the key
	 * @param cacheKey the Redis key, not serialized
	 * @param binaryKey the serialized key
	 * @param valueLoader the loader
	 * @param remainingNanos the time the value held had left when it was read
	 * @param stale whether the value held is stale: a failure of the loader is then
	 * answered with it
	 */
	void refresh(Object key, String cacheKey, byte[] binaryKey, Callable<?> valueLoader, long remainingNanos,
			boolean stale) {
		Long until = this.backingOff.get(cacheKey);
		if (until != null) {
			if (System.nanoTime() - until < 0) {
				// The loader failed a moment ago: the value held is served meanwhile.
				return;
			}
			this.backingOff.remove(cacheKey, until);
		}
		if (!this.running.add(cacheKey)) {
			return;
		}
		// Taken now: a write of the key from now on wins over the refreshed value.
		long generation = this.fence.generation(cacheKey);
		try {
			this.executor.execute(() -> {
				try {
					run(key, cacheKey, binaryKey, valueLoader, generation, remainingNanos, stale);
				}
				finally {
					this.running.remove(cacheKey);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.running.remove(cacheKey);
			this.router.statistics().refreshSkipped();
		}
	}

	// Whether the value read is still the one held: the time to live of a value only
	// goes down, so more time left than the read saw means a newer write.
	private boolean stillDue(byte[] binaryKey, long remainingNanos) {
		long now;
		try {
			now = this.reads.remainingNanos(binaryKey);
		}
		catch (RuntimeException ex) {
			this.router.circuit().requireRedisFailure(ex);
			return false;
		}
		return now != ExpiringReads.ABSENT && now <= remainingNanos;
	}

	/**
	 * Return whether a refresh of the key runs in this JVM.
	 * @param cacheKey the Redis key, not serialized
	 * @return whether a refresh runs
	 */
	boolean isRunning(String cacheKey) {
		return this.running.contains(cacheKey);
	}

	private void run(Object key, String cacheKey, byte[] binaryKey, Callable<?> valueLoader, long generation,
			long remainingNanos, boolean stale) {
		ResilientCacheStatistics statistics = this.router.statistics();
		LoadLeases.Lease lease = this.leases.tryAcquire(binaryKey);
		if (lease == null) {
			// Another caller, maybe of another instance, loads the key; or Redis cannot
			// be asked: the value held is served meanwhile.
			statistics.refreshSkipped();
			return;
		}
		if (!stillDue(binaryKey, remainingNanos)) {
			// Refreshed (or written, or evicted) between the read that decided this
			// refresh and the lease: another instance held the lease meanwhile.
			lease.release();
			statistics.refreshSkipped();
			return;
		}
		Object value;
		long start = System.nanoTime();
		try {
			value = valueLoader.call();
		}
		catch (Exception ex) {
			lease.release();
			if (this.backoffNanos > 0) {
				this.backingOff.put(cacheKey, System.nanoTime() + this.backoffNanos);
			}
			statistics.refreshFailed();
			if (stale) {
				statistics.staleError();
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Cache '" + this.router.name() + "': the refresh of key '" + cacheKey
						+ "' failed; the value held is served until it is refreshed or expires", ex);
			}
			return;
		}
		this.expiration.loaded(System.nanoTime() - start);
		byte[] binaryValue;
		try {
			binaryValue = this.values.serialize(value);
		}
		catch (RuntimeException ex) {
			lease.release();
			statistics.refreshFailed();
			logger.warn("Cache '" + this.router.name() + "': the value refreshed for key '" + cacheKey
					+ "' cannot be stored", ex);
			return;
		}
		Duration timeToLive = this.values.timeToLive(key, value);
		// Stored only under the lease (no write of the key on any instance since it was
		// taken) and the fence (no write in this JVM since the refresh started).
		boolean[] stored = new boolean[1];
		if (!this.fence.fill(cacheKey, generation, () -> stored[0] = this.router.putLeased(cacheKey, binaryKey,
				binaryValue, timeToLive, lease::storeAndRelease))) {
			lease.release();
		}
		if (stored[0]) {
			statistics.refreshStored();
		}
		else {
			statistics.refreshSuperseded();
		}
	}

}

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

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link ResilientRedisCache}: where reads were answered from and where
 * writes went. All counts are cumulative since the cache was created.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class ResilientCacheStatistics {

	private final LongAdder redisHits = new LongAdder();

	private final LongAdder redisMisses = new LongAdder();

	private final LongAdder fallbackHits = new LongAdder();

	private final LongAdder fallbackMisses = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final LongAdder redisPuts = new LongAdder();

	private final LongAdder fallbackPuts = new LongAdder();

	private final LongAdder redisEvictions = new LongAdder();

	private final LongAdder fallbackEvictions = new LongAdder();

	private final LongAdder deserializationFailures = new LongAdder();

	private final LongAdder supersededFills = new LongAdder();

	private final LongAdder nearHits = new LongAdder();

	ResilientCacheStatistics() {
	}

	/**
	 * Return the number of reads answered by Redis with a value.
	 * @return the number of Redis hits
	 */
	public long getRedisHits() {
		return this.redisHits.sum();
	}

	/**
	 * Return the number of reads Redis answered without a value.
	 * @return the number of Redis misses
	 */
	public long getRedisMisses() {
		return this.redisMisses.sum();
	}

	/**
	 * Return the number of reads answered from the local fallback while Redis was
	 * unavailable.
	 * @return the number of fallback hits
	 */
	public long getFallbackHits() {
		return this.fallbackHits.sum();
	}

	/**
	 * Return the number of reads made while Redis was unavailable that the local fallback
	 * could not answer (the cached method ran).
	 * @return the number of fallback misses
	 */
	public long getFallbackMisses() {
		return this.fallbackMisses.sum();
	}

	/**
	 * Return the number of reads that found a value in Redis that could not be used, and
	 * were answered as misses.
	 * @return the number of read errors
	 */
	public long getErrors() {
		return this.errors.sum();
	}

	/**
	 * Return the number of writes stored in Redis.
	 * @return the number of puts to Redis
	 */
	public long getRedisPuts() {
		return this.redisPuts.sum();
	}

	/**
	 * Return the number of writes kept locally (and journaled) because Redis was
	 * unavailable.
	 * @return the number of puts to the fallback
	 */
	public long getFallbackPuts() {
		return this.fallbackPuts.sum();
	}

	/**
	 * Return the number of evictions and clears made in Redis.
	 * @return the number of evictions in Redis
	 */
	public long getRedisEvictions() {
		return this.redisEvictions.sum();
	}

	/**
	 * Return the number of evictions and clears made locally (and journaled) because
	 * Redis was unavailable.
	 * @return the number of evictions in the fallback
	 */
	public long getFallbackEvictions() {
		return this.fallbackEvictions.sum();
	}

	/**
	 * Return the number of values read from Redis that could not be deserialized; each
	 * was evicted and answered as a miss.
	 * @return the number of deserialization failures
	 */
	public long getDeserializationFailures() {
		return this.deserializationFailures.sum();
	}

	/**
	 * Return the number of values loaded after a miss that were not stored because the
	 * key was written, evicted or cleared between the miss and the load's end: storing
	 * them would have put an older value over a newer one.
	 * @return the number of superseded fills
	 */
	public long getSupersededFills() {
		return this.supersededFills.sum();
	}

	/**
	 * Return the number of reads answered from the near cache, without Redis, while its
	 * tracking link was trusted.
	 * @return the number of near hits
	 */
	public long getNearHits() {
		return this.nearHits.sum();
	}

	void nearHit() {
		this.nearHits.increment();
	}

	void redisHit() {
		this.redisHits.increment();
	}

	void redisMiss() {
		this.redisMisses.increment();
	}

	void fallbackHit() {
		this.fallbackHits.increment();
	}

	void fallbackMiss() {
		this.fallbackMisses.increment();
	}

	void deserializationFailure() {
		this.deserializationFailures.increment();
		this.errors.increment();
	}

	void redisPut() {
		this.redisPuts.increment();
	}

	void fallbackPut() {
		this.fallbackPuts.increment();
	}

	void redisEviction() {
		this.redisEvictions.increment();
	}

	void fallbackEviction() {
		this.fallbackEvictions.increment();
	}

	void fillSuperseded() {
		this.supersededFills.increment();
	}

	private final LongAdder refreshesStored = new LongAdder();

	private final LongAdder refreshesSuperseded = new LongAdder();

	private final LongAdder refreshesFailed = new LongAdder();

	private final LongAdder refreshesSkipped = new LongAdder();

	private final LongAdder staleServed = new LongAdder();

	private final LongAdder staleErrors = new LongAdder();

	/**
	 * Return the number of background refreshes (early, or of a stale value) whose value
	 * was stored.
	 * @return the number of stored refreshes
	 */
	public long getRefreshesStored() {
		return this.refreshesStored.sum();
	}

	/**
	 * Return the number of background refreshes whose value was not stored because the
	 * key was written, evicted or cleared since the refresh started.
	 * @return the number of superseded refreshes
	 */
	public long getRefreshesSuperseded() {
		return this.refreshesSuperseded.sum();
	}

	/**
	 * Return the number of background refreshes whose loader failed; the value held was
	 * kept.
	 * @return the number of failed refreshes
	 */
	public long getRefreshesFailed() {
		return this.refreshesFailed.sum();
	}

	/**
	 * Return the number of background refreshes not run: another instance was refreshing
	 * the key, or the refresh threads were busy.
	 * @return the number of skipped refreshes
	 */
	public long getRefreshesSkipped() {
		return this.refreshesSkipped.sum();
	}

	/**
	 * Return the number of synchronized loads answered with a stale value (past its time
	 * to live, within its stale grace) while a refresh ran.
	 * @return the number of stale values served
	 */
	public long getStaleServed() {
		return this.staleServed.sum();
	}

	/**
	 * Return the number of loader failures answered with a stale value instead.
	 * @return the number of stale errors
	 */
	public long getStaleErrors() {
		return this.staleErrors.sum();
	}

	void refreshStored() {
		this.refreshesStored.increment();
	}

	void refreshSuperseded() {
		this.refreshesSuperseded.increment();
	}

	void refreshFailed() {
		this.refreshesFailed.increment();
	}

	void refreshSkipped() {
		this.refreshesSkipped.increment();
	}

	void staleServed() {
		this.staleServed.increment();
	}

	void staleError() {
		this.staleErrors.increment();
	}

	// Loads across instances (single flight).

	private final LongAdder leaderLoads = new LongAdder();

	private final LongAdder followerLoads = new LongAdder();

	private final LongAdder waitedOutLoads = new LongAdder();

	private final LongAdder localLoads = new LongAdder();

	private final LongAdder leaseWaits = new LongAdder();

	private final LongAdder leaseWaitNanos = new LongAdder();

	/**
	 * Return the number of synchronized loads that took the key's lease in Redis and ran
	 * the loader for every instance.
	 * @return the number of leader loads
	 */
	public long getLeaderLoads() {
		return this.leaderLoads.sum();
	}

	/**
	 * Return the number of synchronized loads that waited for another instance's load and
	 * read its value, without running the loader.
	 * @return the number of follower loads
	 */
	public long getFollowerLoads() {
		return this.followerLoads.sum();
	}

	/**
	 * Return the number of synchronized loads that waited for another instance's load for
	 * the whole wait time and then ran the loader themselves.
	 * @return the number of waited-out loads
	 */
	public long getWaitedOutLoads() {
		return this.waitedOutLoads.sum();
	}

	/**
	 * Return the number of synchronized loads that ran the loader in this JVM alone: the
	 * cache does not coordinate its loads across instances, or Redis could not be asked.
	 * @return the number of local loads
	 */
	public long getLocalLoads() {
		return this.localLoads.sum();
	}

	/**
	 * Return the number of synchronized loads that waited for another caller's lease.
	 * @return the number of lease waits
	 */
	public long getLeaseWaits() {
		return this.leaseWaits.sum();
	}

	/**
	 * Return the total time synchronized loads waited for other callers' leases, in
	 * nanoseconds.
	 * @return the total lease wait time
	 */
	public long getLeaseWaitNanos() {
		return this.leaseWaitNanos.sum();
	}

	void load(SingleFlightLoads.LoadRole role) {
		switch (role) {
			case LEADER -> this.leaderLoads.increment();
			case FOLLOWER -> this.followerLoads.increment();
			case WAITED_OUT -> this.waitedOutLoads.increment();
			case LOCAL -> this.localLoads.increment();
		}
	}

	void leaseWaited(long nanos) {
		this.leaseWaits.increment();
		this.leaseWaitNanos.add(nanos);
	}

}

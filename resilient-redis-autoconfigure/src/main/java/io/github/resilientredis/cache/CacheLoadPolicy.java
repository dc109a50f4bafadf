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

import org.springframework.util.Assert;

/**
 * How the synchronized loads of a cache ({@code @Cacheable(sync = true)},
 * {@code Cache.get(key, loader)}) are coordinated across instances through Redis. All off
 * by default: a load then runs once per key and JVM.
 *
 * @param singleFlight whether a miss takes a lease on the key in Redis, so that one
 * caller of all instances runs the loader while the others wait for its value, woken by
 * Redis
 * @param leaseTime longest time a lease is held: a holder that dies, or that loads for
 * longer, lets another caller load after it
 * @param waitTime longest time a caller waits for another instance's load before it runs
 * the loader itself
 * @param earlyRefresh whether a hit may refresh the value in the background before it
 * expires (probabilistic early expiration, XFetch)
 * @param beta how early a refresh starts: above 1 earlier, below 1 later
 * @param staleTimeToLive how long an expired entry stays available as a stale value,
 * served while one refresh runs and instead of the loader's failure; zero for none
 * @param refreshBackoff how long after a failed refresh of a key this instance waits
 * before it refreshes the key again, serving the value it holds meanwhile; zero to retry
 * at the next hit
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public record CacheLoadPolicy(boolean singleFlight, Duration leaseTime, Duration waitTime, boolean earlyRefresh,
		double beta, Duration staleTimeToLive, Duration refreshBackoff) {

	/**
	 * No coordination: each JVM loads a key once at a time, values expire when their time
	 * to live ends.
	 */
	public static final CacheLoadPolicy NONE = new CacheLoadPolicy(false, Duration.ofSeconds(10),
			Duration.ofSeconds(10), false, 1.0, Duration.ZERO, Duration.ofSeconds(1));

	public CacheLoadPolicy {
		Assert.notNull(leaseTime, "'leaseTime' must not be null");
		Assert.isTrue(!leaseTime.isNegative() && !leaseTime.isZero(), "'leaseTime' must be positive");
		Assert.notNull(waitTime, "'waitTime' must not be null");
		Assert.isTrue(!waitTime.isNegative(), "'waitTime' must not be negative");
		Assert.isTrue(beta > 0 && Double.isFinite(beta), "'beta' must be positive");
		Assert.notNull(staleTimeToLive, "'staleTimeToLive' must not be null");
		Assert.isTrue(!staleTimeToLive.isNegative(), "'staleTimeToLive' must not be negative");
		Assert.notNull(refreshBackoff, "'refreshBackoff' must not be null");
		Assert.isTrue(!refreshBackoff.isNegative(), "'refreshBackoff' must not be negative");
	}

	/**
	 * Return whether this policy coordinates anything through Redis.
	 * @return whether any feature is on
	 */
	public boolean isActive() {
		return this.singleFlight || this.earlyRefresh || !this.staleTimeToLive.isZero();
	}

}

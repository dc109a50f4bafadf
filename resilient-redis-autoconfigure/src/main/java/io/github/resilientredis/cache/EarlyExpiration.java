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

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Probabilistic early expiration (XFetch, Vattani, Chierichetti and Lowenstein, PVLDB
 * 8(8), 2015) of one cache: a hit refreshes the value when
 * {@code -delta * beta * ln(random) >= remaining}, where {@code delta} is how long a load
 * of this cache takes (a moving average of the loads measured) and {@code remaining} is
 * the time the value has left. The closer the expiry and the slower the load, the
 * likelier a refresh; one hit or another refreshes before the value expires, without a
 * lock.
 *
 * @author resilient-redis contributors
 */
final class EarlyExpiration {

	/** Weight of the newest load in the moving average. */
	private static final double WEIGHT = 0.2;

	private final double beta;

	/** Uniform in [0, 1). */
	private final DoubleSupplier random;

	private final AtomicLong deltaNanos = new AtomicLong();

	EarlyExpiration(double beta) {
		this(beta, () -> ThreadLocalRandom.current().nextDouble());
	}

	EarlyExpiration(double beta, DoubleSupplier random) {
		this.beta = beta;
		this.random = random;
	}

	/**
	 * Record how long a load of this cache took.
	 * @param nanos the load's duration
	 */
	void loaded(long nanos) {
		long sample = Math.max(nanos, 1);
		this.deltaNanos.accumulateAndGet(sample,
				(average, latest) -> (average == 0) ? latest : Math.round(average + WEIGHT * (latest - average)));
	}

	/**
	 * Return the moving average of the loads' durations.
	 * @return the average in nanoseconds, zero before the first load
	 */
	long deltaNanos() {
		return this.deltaNanos.get();
	}

	/**
	 * Return whether a hit whose value has the given time left refreshes it now.
	 * @param remainingNanos the time the value has left before it expires
	 * @return whether to refresh
	 */
	boolean shouldRefresh(long remainingNanos) {
		long delta = this.deltaNanos.get();
		if (delta == 0) {
			// Nothing measured yet: no load of this cache to anticipate.
			return false;
		}
		if (remainingNanos <= 0) {
			return true;
		}
		// 1 - [0, 1) is in (0, 1]: ln never sees zero.
		double uniform = 1.0 - this.random.getAsDouble();
		return -delta * this.beta * Math.log(uniform) >= remainingNanos;
	}

}

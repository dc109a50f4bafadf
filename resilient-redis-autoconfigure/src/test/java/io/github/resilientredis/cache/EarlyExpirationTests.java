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
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EarlyExpiration}: the XFetch decision
 * {@code -delta * beta * ln(random) >= remaining}, with the random source injected.
 *
 * @author resilient-redis contributors
 */
class EarlyExpirationTests {

	private static final long DELTA = Duration.ofMillis(50).toNanos();

	private final AtomicReference<Double> random = new AtomicReference<>(0.5);

	@Test
	void whenNoLoadWasMeasuredThenAHitNeverRefreshes() {
		EarlyExpiration expiration = new EarlyExpiration(1.0, this.random::get);
		this.random.set(0.999999);
		assertThat(expiration.shouldRefresh(1)).isFalse();
		assertThat(expiration.deltaNanos()).isZero();
	}

	@Test
	void whenTheTimeLeftIsAtMostDeltaTimesBetaTimesMinusLnOfTheRandomThenAHitRefreshes() {
		EarlyExpiration expiration = new EarlyExpiration(1.0, this.random::get);
		expiration.loaded(DELTA);
		// random 0.5: uniform 1 - 0.5, -ln(0.5) = 0.693, threshold 34.66 ms
		long threshold = (long) (DELTA * -Math.log(0.5));
		assertThat(expiration.shouldRefresh(threshold)).isTrue();
		assertThat(expiration.shouldRefresh(threshold + 1_000)).isFalse();
	}

	@Test
	void whenBetaIsLargerThenAHitRefreshesEarlier() {
		EarlyExpiration expiration = new EarlyExpiration(4.0, this.random::get);
		expiration.loaded(DELTA);
		long threshold = (long) (4.0 * DELTA * -Math.log(0.5));
		assertThat(expiration.shouldRefresh(threshold)).isTrue();
		assertThat(expiration.shouldRefresh(threshold + 1_000)).isFalse();
	}

	@Test
	void whenTheRandomIsSmallThenAHitFarFromExpiryMayRefresh() {
		EarlyExpiration expiration = new EarlyExpiration(1.0, this.random::get);
		expiration.loaded(DELTA);
		// uniform 1 - 0.99 = 0.01: -ln = 4.6, threshold 230 ms
		this.random.set(0.99);
		assertThat(expiration.shouldRefresh(Duration.ofMillis(200).toNanos())).isTrue();
		this.random.set(0.0);
		// uniform 1: -ln(1) = 0, only an expired value refreshes
		assertThat(expiration.shouldRefresh(1)).isFalse();
		assertThat(expiration.shouldRefresh(0)).isTrue();
	}

	@Test
	void whenTheRandomIsUniformThenTheShareOfRefreshesIsTheExponentialTail() {
		Random seeded = new Random(42);
		EarlyExpiration expiration = new EarlyExpiration(1.0, seeded::nextDouble);
		expiration.loaded(DELTA);
		int refreshes = 0;
		int hits = 100_000;
		for (int i = 0; i < hits; i++) {
			if (expiration.shouldRefresh(DELTA)) {
				refreshes++;
			}
		}
		// P(-ln U >= 1) = e^-1
		assertThat(refreshes / (double) hits).isBetween(Math.exp(-1) - 0.01, Math.exp(-1) + 0.01);
	}

	@Test
	void whenLoadsAreMeasuredThenDeltaIsTheirMovingAverage() {
		EarlyExpiration expiration = new EarlyExpiration(1.0, this.random::get);
		expiration.loaded(100);
		assertThat(expiration.deltaNanos()).isEqualTo(100);
		expiration.loaded(200);
		assertThat(expiration.deltaNanos()).isEqualTo(120);
		for (int i = 0; i < 100; i++) {
			expiration.loaded(1_000);
		}
		assertThat(expiration.deltaNanos()).isBetween(990L, 1_000L);
	}

}

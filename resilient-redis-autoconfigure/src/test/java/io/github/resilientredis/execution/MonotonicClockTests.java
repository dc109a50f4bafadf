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

package io.github.resilientredis.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MonotonicClock}. A step of the wall clock under it is proven in
 * {@code WallClockStepIntegrationTests}, with libfaketime in a child JVM.
 *
 * @author resilient-redis contributors
 */
class MonotonicClockTests {

	@Test
	void durationsBetweenItsInstantsAreThoseOfTheMonotonicClock() {
		long startNanos = System.nanoTime();
		Instant start = MonotonicClock.UTC.instant();
		Instant end = MonotonicClock.UTC.instant();
		long endNanos = System.nanoTime();
		assertThat(Duration.between(start, end)).isGreaterThanOrEqualTo(Duration.ZERO)
			.isLessThanOrEqualTo(Duration.ofNanos(endNanos - startNanos));
	}

	@Test
	void itStartsAtTheWallClockInUtc() {
		assertThat(MonotonicClock.UTC.getZone()).isEqualTo(ZoneOffset.UTC);
		assertThat(Duration.between(MonotonicClock.UTC.instant(), Instant.now()).abs())
			.isLessThan(Duration.ofMinutes(1));
	}

	@Test
	void inAnotherZoneItKeepsItsInstants() {
		Clock paris = MonotonicClock.UTC.withZone(ZoneId.of("Europe/Paris"));
		assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
		assertThat(Duration.between(MonotonicClock.UTC.instant(), paris.instant()))
			.isGreaterThanOrEqualTo(Duration.ZERO)
			.isLessThan(Duration.ofSeconds(1));
		assertThat(MonotonicClock.UTC.withZone(ZoneOffset.UTC)).isSameAs(MonotonicClock.UTC);
	}

}

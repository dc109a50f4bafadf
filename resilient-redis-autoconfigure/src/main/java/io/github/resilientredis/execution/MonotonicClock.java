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
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that advances with {@link System#nanoTime()}, the monotonic clock, from
 * the wall-clock instant it was created at: a step of the wall clock (NTP, a resumed
 * virtual machine, an operator) neither stretches nor cuts short a duration measured with
 * it. Resilience4j measures the circuit breaker's wait in the open state with the clock
 * of its configuration, {@link Clock#systemUTC()} unless told otherwise.
 * <p>
 * Its instants drift from the wall clock by the steps the wall clock took since; they are
 * for measuring durations, not for telling the time.
 *
 * @author resilient-redis contributors
 */
final class MonotonicClock extends Clock {

	/**
	 * The monotonic clock in UTC, anchored when this class is loaded.
	 */
	static final MonotonicClock UTC = new MonotonicClock(ZoneOffset.UTC, Instant.now(), System.nanoTime());

	private final ZoneId zone;

	private final Instant origin;

	private final long originNanos;

	private MonotonicClock(ZoneId zone, Instant origin, long originNanos) {
		this.zone = zone;
		this.origin = origin;
		this.originNanos = originNanos;
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return zone.equals(this.zone) ? this : new MonotonicClock(zone, this.origin, this.originNanos);
	}

	@Override
	public Instant instant() {
		return this.origin.plusNanos(System.nanoTime() - this.originNanos);
	}

	@Override
	public String toString() {
		return "MonotonicClock[" + this.zone + "]";
	}

}

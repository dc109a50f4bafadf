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

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.jspecify.annotations.Nullable;

/**
 * Records the outcome of each Redis call in the shared circuit breaker, the way
 * {@link CircuitBreaker#executeSupplier} does, without its cost on the healthy path.
 * <p>
 * Resilience4j publishes an event for every call it records (an object with a time-zoned
 * creation time, handed to every consumer: Micrometer's, the actuator event buffer's,
 * ours) and updates its sliding window. While the breaker is closed and its count-based
 * window holds nothing but fast successes, one more fast success changes neither the
 * window's content nor any decision taken from it; such a success is not recorded. Every
 * failure, every slow call, every call in another state and every call of a time-based
 * window is. The window's content is therefore the same as if every call were recorded;
 * what is not seen is the success events of a healthy breaker (count calls with the cache
 * meters instead).
 *
 * @author resilient-redis contributors
 */
final class CircuitBreakerCalls {

	private final CircuitBreaker circuitBreaker;

	private final LongSupplier nanoTime;

	private final boolean countBased;

	private final int windowSize;

	private final long slowCallNanos;

	private final Predicate<Object> recordResult;

	/**
	 * Fast successes recorded in a row since the last failure, slow call, reset or state
	 * transition: once it reaches the window size the window holds only those.
	 */
	private final AtomicInteger cleanInARow = new AtomicInteger();

	CircuitBreakerCalls(CircuitBreaker circuitBreaker) {
		this(circuitBreaker, System::nanoTime);
	}

	/**
	 * Create an instance that measures the calls with the given clock.
	 * @param circuitBreaker the breaker to record the calls in
	 * @param nanoTime the clock the call durations are measured with, as
	 * {@link System#nanoTime()}
	 */
	CircuitBreakerCalls(CircuitBreaker circuitBreaker, LongSupplier nanoTime) {
		CircuitBreakerConfig config = circuitBreaker.getCircuitBreakerConfig();
		this.circuitBreaker = circuitBreaker;
		this.nanoTime = nanoTime;
		this.countBased = config.getSlidingWindowType() == SlidingWindowType.COUNT_BASED;
		this.windowSize = config.getSlidingWindowSize();
		this.slowCallNanos = config.getSlowCallDurationThreshold().toNanos();
		this.recordResult = config.getRecordResultPredicate();
		// The events say what the window received, also from calls made on the breaker
		// directly.
		circuitBreaker.getEventPublisher().onSuccess((event) -> {
			if (event.getElapsedDuration().toNanos() > this.slowCallNanos) {
				this.cleanInARow.set(0);
			}
			else if (this.cleanInARow.get() < this.windowSize) {
				this.cleanInARow.incrementAndGet();
			}
		})
			.onError((event) -> this.cleanInARow.set(0))
			.onReset((event) -> this.cleanInARow.set(0))
			.onStateTransition((event) -> this.cleanInARow.set(0));
	}

	CircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	/**
	 * Acquire the breaker's permission for a call.
	 * @throws CallNotPermittedException if the breaker does not permit it
	 */
	void acquirePermission() {
		this.circuitBreaker.acquirePermission();
	}

	/**
	 * Return whether the breaker permits a call, counting it as not permitted if not.
	 * @return whether the call may go to Redis
	 */
	boolean tryAcquirePermission() {
		return this.circuitBreaker.tryAcquirePermission();
	}

	/**
	 * Record a call that returned.
	 * @param startNanos when the call started, from the clock of this instance
	 * @param result what it returned
	 */
	void onResult(long startNanos, @Nullable Object result) {
		long duration = this.nanoTime.getAsLong() - startNanos;
		if (duration <= this.slowCallNanos && this.countBased && this.cleanInARow.get() >= this.windowSize
				&& this.circuitBreaker.getState() == CircuitBreaker.State.CLOSED && !this.recordResult.test(result)) {
			// The window holds only fast successes: this one changes nothing in it
			return;
		}
		this.circuitBreaker.onResult(duration, TimeUnit.NANOSECONDS, result);
	}

	/**
	 * Record a call that failed; the breaker's predicates decide whether it counts.
	 * @param startNanos when the call started, from the clock of this instance
	 * @param failure the failure
	 */
	void onError(long startNanos, Throwable failure) {
		this.circuitBreaker.onError(this.nanoTime.getAsLong() - startNanos, TimeUnit.NANOSECONDS, failure);
	}

}

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

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;

/**
 * Opens a circuit breaker as soon as a number of calls in a row failed with a counted
 * failure or were slow, without waiting for the failure rate of its sliding window.
 *
 * @author resilient-redis contributors
 * @see RedisCommandExecutor#openAfterConsecutiveFailures(CircuitBreaker, int)
 */
final class ConsecutiveFailureTrip {

	private final CircuitBreaker circuitBreaker;

	private final int threshold;

	private final Duration slowCallDuration;

	private final AtomicInteger inARow = new AtomicInteger();

	private ConsecutiveFailureTrip(CircuitBreaker circuitBreaker, int threshold) {
		this.circuitBreaker = circuitBreaker;
		this.threshold = threshold;
		this.slowCallDuration = circuitBreaker.getCircuitBreakerConfig().getSlowCallDurationThreshold();
	}

	static void register(CircuitBreaker circuitBreaker, int threshold) {
		ConsecutiveFailureTrip trip = new ConsecutiveFailureTrip(circuitBreaker, threshold);
		circuitBreaker.getEventPublisher().onSuccess((event) -> {
			if (event.getElapsedDuration().compareTo(trip.slowCallDuration) <= 0) {
				trip.inARow.set(0);
			}
			else {
				trip.failedAgain();
			}
		}).onError((event) -> trip.failedAgain()).onStateTransition((event) -> trip.inARow.set(0));
	}

	private void failedAgain() {
		if (this.inARow.incrementAndGet() >= this.threshold
				&& this.circuitBreaker.getState() == CircuitBreaker.State.CLOSED) {
			try {
				this.circuitBreaker.transitionToOpenState();
			}
			catch (IllegalStateTransitionException ex) {
				// Another thread opened it first.
			}
		}
	}

}

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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CircuitBreakerCalls}: the breaker takes every decision as if every
 * call were recorded.
 *
 * @author resilient-redis contributors
 */
class CircuitBreakerCallsTests {

	private static final int WINDOW = 10;

	private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final RedisErrorClassifier classifier = new RedisErrorClassifier();

	// A clock that only the test moves: a stalled thread cannot make a fast call slow
	private final AtomicLong now = new AtomicLong(TimeUnit.DAYS.toNanos(1));

	@ParameterizedTest
	@ValueSource(longs = { 1, 2, 3, 42, 2026 })
	void whenOutcomesArriveInAnyOrderThenTheBreakerDecidesAsIfEachWereRecorded(long seed) {
		CircuitBreaker everyCall = CircuitBreaker.of("every-call", config(SlidingWindowType.COUNT_BASED));
		CircuitBreaker skipping = CircuitBreaker.of("skipping", config(SlidingWindowType.COUNT_BASED));
		CircuitBreakerCalls calls = new CircuitBreakerCalls(skipping, this.now::get);
		Random random = new Random(seed);
		for (int i = 0; i < 20_000; i++) {
			// Mostly healthy stretches, with bursts of failures and slow calls
			int outcome = random.nextInt(100);
			boolean burst = (i / 500) % 3 == 2;
			if (burst && outcome < 40) {
				RuntimeException failure = new RedisConnectionException("Connection closed");
				everyCall.onError(1, TimeUnit.MILLISECONDS, failure);
				calls.onError(this.now.get() - TimeUnit.MILLISECONDS.toNanos(1), failure);
			}
			else if (burst && outcome < 60) {
				everyCall.onSuccess(200, TimeUnit.MILLISECONDS);
				calls.onResult(this.now.get() - TimeUnit.MILLISECONDS.toNanos(200), "slow");
			}
			else {
				everyCall.onSuccess(1, TimeUnit.MILLISECONDS);
				calls.onResult(this.now.get() - TimeUnit.MILLISECONDS.toNanos(1), "fast");
			}
			assertThat(skipping.getState()).as("state after call %d", i).isEqualTo(everyCall.getState());
			assertThat(skipping.getMetrics().getFailureRate()).as("failure rate after call %d", i)
				.isEqualTo(everyCall.getMetrics().getFailureRate());
			assertThat(skipping.getMetrics().getSlowCallRate()).as("slow call rate after call %d", i)
				.isEqualTo(everyCall.getMetrics().getSlowCallRate());
			if (everyCall.getState() == CircuitBreaker.State.OPEN) {
				// Both wait the same way; half-open records every call
				everyCall.transitionToHalfOpenState();
				skipping.transitionToHalfOpenState();
			}
		}
	}

	@Test
	void whenTheWindowHoldsOnlyFastSuccessesThenFurtherFastSuccessesPublishNoEvent() {
		CircuitBreaker breaker = CircuitBreaker.of("redis", config(SlidingWindowType.COUNT_BASED));
		CircuitBreakerCalls calls = new CircuitBreakerCalls(breaker, this.now::get);
		AtomicInteger successEvents = new AtomicInteger();
		breaker.getEventPublisher().onSuccess((event) -> successEvents.incrementAndGet());
		for (int i = 0; i < 1000; i++) {
			calls.onResult(this.now.get(), "fast");
		}
		assertThat(successEvents).hasValue(WINDOW);
		assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(WINDOW);
	}

	@Test
	void slowCallsAndFailuresAreAlwaysRecorded() {
		CircuitBreaker breaker = CircuitBreaker.of("redis", config(SlidingWindowType.COUNT_BASED));
		CircuitBreakerCalls calls = new CircuitBreakerCalls(breaker, this.now::get);
		for (int i = 0; i < 100; i++) {
			calls.onResult(this.now.get(), "fast");
		}
		calls.onResult(this.now.get() - 2 * SLOW_NANOS, "slow");
		assertThat(breaker.getMetrics().getNumberOfSlowCalls()).isOne();
		calls.onError(this.now.get(), new RedisConnectionException("Connection closed"));
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isOne();
	}

	@Test
	void withATimeBasedWindowEveryCallIsRecorded() {
		CircuitBreaker breaker = CircuitBreaker.of("redis", config(SlidingWindowType.TIME_BASED));
		CircuitBreakerCalls calls = new CircuitBreakerCalls(breaker, this.now::get);
		AtomicInteger successEvents = new AtomicInteger();
		breaker.getEventPublisher().onSuccess((event) -> successEvents.incrementAndGet());
		for (int i = 0; i < 100; i++) {
			calls.onResult(this.now.get(), "fast");
		}
		assertThat(successEvents).hasValue(100);
	}

	@Test
	void whenTheBreakerWasResetThenTheWindowFillsAgainBeforeSuccessesAreSkipped() {
		CircuitBreaker breaker = CircuitBreaker.of("redis", config(SlidingWindowType.COUNT_BASED));
		CircuitBreakerCalls calls = new CircuitBreakerCalls(breaker, this.now::get);
		for (int i = 0; i < 100; i++) {
			calls.onResult(this.now.get(), "fast");
		}
		breaker.reset();
		for (int i = 0; i < 100; i++) {
			calls.onResult(this.now.get(), "fast");
		}
		assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isEqualTo(WINDOW);
	}

	private CircuitBreakerConfig config(SlidingWindowType type) {
		return RedisCommandExecutor.circuitBreakerConfig(this.classifier)
			.slidingWindowType(type)
			.slidingWindowSize(WINDOW)
			.minimumNumberOfCalls(5)
			.failureRateThreshold(50)
			.slowCallRateThreshold(80)
			.slowCallDurationThreshold(Duration.ofNanos(SLOW_NANOS))
			.waitDurationInOpenState(Duration.ofMinutes(1))
			.permittedNumberOfCallsInHalfOpenState(3)
			.build();
	}

}

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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.serializer.SerializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link RedisCommandExecutor}.
 *
 * @author resilient-redis contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisCommandExecutorTests {

	private static final int WINDOW = 4;

	private final RedisErrorClassifier classifier = new RedisErrorClassifier();

	private final CircuitBreaker circuitBreaker = CircuitBreaker.of("redis",
			RedisCommandExecutor.circuitBreakerConfig(this.classifier)
				.failureRateThreshold(50)
				.slidingWindowSize(WINDOW)
				.minimumNumberOfCalls(WINDOW)
				.waitDurationInOpenState(Duration.ofMinutes(1))
				.permittedNumberOfCallsInHalfOpenState(1)
				.build());

	private final RedisCommandExecutor executor = executor(
			RedisCommandExecutor.retryConfig(2, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(5)));

	@Test
	void theBreakerMeasuresItsWaitInTheOpenStateWithTheMonotonicClock() {
		assertThat(this.circuitBreaker.getCircuitBreakerConfig().getClock()).isSameAs(MonotonicClock.UTC);
	}

	@Test
	void whenOperationSucceedsThenResultIsReturned() {
		assertThat(this.executor.executeIdempotent("GET greeting", () -> "hello")).isEqualTo("hello");
	}

	@Test
	void whenIdempotentOperationFailsTransientlyThenItIsRetriedUpToMaxRetries() {
		FailingOperation operation = new FailingOperation(timeout());
		Throwable thrown = catchThrowable(() -> this.executor.executeIdempotent("GET greeting", operation));
		assertThat(operation.calls).hasValue(3);
		assertThat(thrown).isInstanceOf(RedisUnavailableException.class)
			.hasMessageContaining("'GET greeting' after 3 attempts (error_type=timeout)")
			.hasCause(operation.failure);
	}

	@Test
	void whenTransientFailureIsFollowedBySuccessThenResultIsReturned() {
		AtomicInteger calls = new AtomicInteger();
		String result = this.executor.executeIdempotent(() -> {
			if (calls.incrementAndGet() == 1) {
				throw notConnected();
			}
			return "hello";
		});
		assertThat(result).isEqualTo("hello");
		assertThat(calls).hasValue(2);
	}

	@Test
	void whenRedisFaultOccursThenItIsNotRetriedAndPropagatesUnchanged() {
		RedisSystemException noauth = new RedisSystemException("Error in execution",
				new RedisCommandExecutionException("NOAUTH Authentication required."));
		FailingOperation operation = new FailingOperation(noauth);
		Throwable thrown = catchThrowable(() -> this.executor.executeIdempotent(operation));
		assertThat(thrown).isSameAs(noauth);
		assertThat(operation.calls).hasValue(1);
		assertThat(this.circuitBreaker.getMetrics().getNumberOfFailedCalls()).isOne();
	}

	@Test
	void whenCallerErrorOccursThenItIsNotRetriedNotCountedAndPropagatesUnchanged() {
		IllegalStateException bug = new IllegalStateException("application bug");
		FailingOperation operation = new FailingOperation(bug);
		Throwable thrown = catchThrowable(() -> this.executor.executeIdempotent(operation));
		assertThat(thrown).isSameAs(bug);
		assertThat(operation.calls).hasValue(1);
		assertThat(this.circuitBreaker.getMetrics().getNumberOfFailedCalls()).isZero();
		assertThat(this.circuitBreaker.getMetrics().getNumberOfBufferedCalls()).isZero();
	}

	@Test
	void whenNonIdempotentOperationFailsTransientlyThenItIsNotRetried() {
		FailingOperation operation = new FailingOperation(timeout());
		Throwable thrown = catchThrowable(() -> this.executor.execute("INCR counter", operation));
		assertThat(operation.calls).hasValue(1);
		assertThat(thrown).isInstanceOf(RedisUnavailableException.class)
			.hasMessageContaining("'INCR counter' after 1 attempt (error_type=timeout)");
	}

	@Test
	void whenBudgetWouldBeExceededThenNoFurtherRetryStarts() {
		Duration budget = Duration.ofMillis(150);
		// A breaker with a window larger than the attempts, so that only the budget can
		// stop the retries.
		RedisCommandExecutor executor = new RedisCommandExecutor(
				CircuitBreaker.of("budget", RedisCommandExecutor.circuitBreakerConfig(this.classifier).build()),
				Retry.of("budget",
						RedisCommandExecutor.retryConfig(20, Duration.ofMillis(40), Duration.ofMillis(40), budget)),
				this.classifier);
		FailingOperation operation = new FailingOperation(timeout());
		long start = System.nanoTime();
		Throwable thrown = catchThrowable(() -> executor.executeIdempotent(operation));
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(thrown).isInstanceOf(RedisUnavailableException.class).hasCause(operation.failure);
		assertThat(operation.calls.get()).isBetween(2, 8);
		// Below the 760 ms that 20 attempts 40 ms apart wait, with a margin for a loaded
		// machine's oversleeping
		assertThat(elapsed).isLessThanOrEqualTo(budget.plusMillis(400));
	}

	@Test
	void whenBudgetIsZeroThenTransientFailureIsNotRetried() {
		RedisCommandExecutor executor = executor(
				RedisCommandExecutor.retryConfig(5, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO));
		FailingOperation operation = new FailingOperation(timeout());
		assertThatExceptionOfType(RedisUnavailableException.class)
			.isThrownBy(() -> executor.executeIdempotent(operation));
		assertThat(operation.calls).hasValue(1);
	}

	@Test
	void whenRetryingThenBackOffDelaysGrowExponentiallyWithJitterWithinBounds() {
		RetryConfig config = RedisCommandExecutor.retryConfig(10, Duration.ofMillis(100), Duration.ofSeconds(1),
				Duration.ofSeconds(30));
		IntervalBiFunction<Object> intervals = config.getIntervalBiFunction();
		List<Long> firstDelays = new ArrayList<>();
		for (int sample = 0; sample < 50; sample++) {
			long first = intervals.apply(1, Either.right("ok"));
			long second = intervals.apply(2, Either.right("ok"));
			long third = intervals.apply(3, Either.right("ok"));
			long tenth = intervals.apply(10, Either.right("ok"));
			assertThat(first).isBetween(50L, 150L);
			assertThat(second).isBetween(100L, 300L);
			assertThat(third).isBetween(200L, 600L);
			assertThat(tenth).isBetween(500L, 1000L);
			firstDelays.add(first);
		}
		assertThat(new HashSet<>(firstDelays)).as("distinct jittered delays").hasSizeGreaterThan(10);
	}

	@Test
	void whenMaxRetriesIsSetThenRetryAllowsOneMoreAttempt() {
		RetryConfig config = RedisCommandExecutor.retryConfig(2, Duration.ofMillis(100), Duration.ofSeconds(1),
				Duration.ofSeconds(3));
		assertThat(config.getMaxAttempts()).isEqualTo(3);
	}

	@Test
	void whenRetryIsNotFromRetryConfigThenExecutorIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RedisCommandExecutor(this.circuitBreaker, Retry.ofDefaults("redis"), this.classifier))
			.withMessageContaining("RedisCommandExecutor.retryConfig");
	}

	@Test
	void whenFailuresFillTheWindowThenBreakerOpens() {
		failTransiently(WINDOW);
		assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void whenBreakerOpenThenCallFailsFastWithRedisUnavailable() {
		failTransiently(WINDOW);
		FailingOperation operation = new FailingOperation(timeout());
		long start = System.nanoTime();
		Throwable thrown = catchThrowable(() -> this.executor.executeIdempotent("GET greeting", operation));
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(thrown).isInstanceOf(RedisUnavailableException.class)
			.hasCauseInstanceOf(CallNotPermittedException.class)
			.hasMessageContaining("circuit breaker 'redis' is OPEN");
		assertThat(operation.calls).hasValue(0);
		// Nothing to wait for: the operation was never called
		assertThat(elapsed).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void whenCallerErrorsRepeatThenBreakerStaysClosed() {
		for (int i = 0; i < WINDOW * 3; i++) {
			catchThrowable(() -> this.executor.execute(new FailingOperation(new IllegalArgumentException("bad key"))));
			catchThrowable(() -> this.executor.execute(new FailingOperation(new SerializationException("bad JSON"))));
			catchThrowable(() -> this.executor.execute(new FailingOperation(new RedisSystemException("Error",
					new RedisCommandExecutionException("WRONGTYPE Operation against a key holding the wrong kind")))));
		}
		assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(this.circuitBreaker.getMetrics().getNumberOfBufferedCalls()).isZero();
	}

	@Test
	void whenBreakerOpenThenFallbackAnswers() {
		failTransiently(WINDOW);
		Boolean allowed = this.executor.executeIdempotent("rate limit", () -> false, (ex) -> true);
		assertThat(allowed).isTrue();
	}

	@Test
	void whenRetriesAreSpentThenFallbackReceivesRedisUnavailable() {
		RedisConnectionFailureException failure = new RedisConnectionFailureException("Redis connection failed");
		List<RedisUnavailableException> seen = new ArrayList<>();
		String result = this.executor.executeIdempotent(new FailingOperation(failure), (ex) -> {
			seen.add(ex);
			return "fallback";
		});
		assertThat(result).isEqualTo("fallback");
		assertThat(seen).singleElement().satisfies((ex) -> assertThat(ex).hasCause(failure));
	}

	@Test
	void whenRedisFaultOccursThenFallbackIsNotUsed() {
		RedisCommandExecutionException oom = new RedisCommandExecutionException("OOM command not allowed");
		assertThatExceptionOfType(RedisCommandExecutionException.class)
			.isThrownBy(() -> this.executor.execute("SET key", new FailingOperation(oom), (ex) -> "fallback"))
			.isSameAs(oom);
	}

	@Test
	void whenBreakerChangesStateThenOneRedactedWarningIsLogged(CapturedOutput output) {
		for (int i = 0; i < WINDOW; i++) {
			catchThrowable(() -> this.executor.execute(
					new FailingOperation(new RedisException("Connection closed to redis://default:secret@host:6379"))));
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains("Redis circuit breaker 'redis' changed from CLOSED to OPEN")
			.contains("last_error_type=connection_closed")
			.contains("redis://default:****@host:6379");
		assertThat(output).doesNotContain("secret");
	}

	@Test
	void whenAttemptFailsThenDebugLineHasOperationErrorTypeAndBreakerState(CapturedOutput output) {
		LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());
		String loggerName = RedisCommandExecutor.class.getName();
		loggingSystem.setLogLevel(loggerName, LogLevel.DEBUG);
		try {
			catchThrowable(() -> this.executor.execute("GET session", new FailingOperation(timeout())));
		}
		finally {
			loggingSystem.setLogLevel(loggerName, null);
		}
		assertThat(output)
			.contains("Redis operation 'GET session' failed on attempt 1 (error_type=timeout, category=TRANSIENT, "
					+ "failed_calls=1, circuit_breaker=redis, state=CLOSED)");
	}

	@Test
	void whenOperationCallsExecutorThenNestedFailureIsRetriedAndCountedOnce() {
		FailingOperation inner = new FailingOperation(timeout());
		AtomicInteger outerCalls = new AtomicInteger();
		assertThatExceptionOfType(RedisUnavailableException.class)
			.isThrownBy(() -> this.executor.executeIdempotent(() -> {
				outerCalls.incrementAndGet();
				return this.executor.executeIdempotent(inner);
			}));
		assertThat(outerCalls).hasValue(1);
		assertThat(inner.calls).hasValue(3);
		assertThat(this.circuitBreaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(3);
	}

	@Test
	void whenBreakerProbesRedisThatIsStillDownThenNoWarningIsLogged(CapturedOutput output) {
		failTransiently(WINDOW);
		this.circuitBreaker.transitionToHalfOpenState();
		failTransiently(1);
		assertThat(this.circuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains("from CLOSED to OPEN");
	}

	private RedisCommandExecutor executor(RetryConfig retryConfig) {
		return new RedisCommandExecutor(this.circuitBreaker, Retry.of("redis", retryConfig), this.classifier);
	}

	private void failTransiently(int times) {
		for (int i = 0; i < times; i++) {
			catchThrowable(() -> this.executor.execute(new FailingOperation(timeout())));
		}
	}

	@Test
	void whenFailuresInARowReachTheThresholdThenTheBreakerOpensBeforeItsWindowIsFull() {
		CircuitBreaker breaker = largeWindowBreaker();
		RedisCommandExecutor.openAfterConsecutiveFailures(breaker, 3);
		breaker.onError(1, TimeUnit.MILLISECONDS, notConnected());
		breaker.onError(1, TimeUnit.MILLISECONDS, notConnected());
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		breaker.onError(1, TimeUnit.MILLISECONDS, notConnected());
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void whenASuccessInterruptsTheFailuresThenTheCountStartsAgain() {
		CircuitBreaker breaker = largeWindowBreaker();
		RedisCommandExecutor.openAfterConsecutiveFailures(breaker, 3);
		breaker.onError(1, TimeUnit.MILLISECONDS, notConnected());
		breaker.onError(1, TimeUnit.MILLISECONDS, notConnected());
		breaker.onSuccess(1, TimeUnit.MILLISECONDS);
		breaker.onError(1, TimeUnit.MILLISECONDS, notConnected());
		breaker.onError(1, TimeUnit.MILLISECONDS, notConnected());
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void slowCallsInARowOpenTheBreakerToo() {
		CircuitBreaker breaker = largeWindowBreaker();
		RedisCommandExecutor.openAfterConsecutiveFailures(breaker, 3);
		for (int i = 0; i < 3; i++) {
			breaker.onSuccess(1500, TimeUnit.MILLISECONDS);
		}
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void applicationErrorsInARowNeverOpenTheBreaker() {
		CircuitBreaker breaker = largeWindowBreaker();
		RedisCommandExecutor.openAfterConsecutiveFailures(breaker, 3);
		for (int i = 0; i < 10; i++) {
			breaker.onError(1, TimeUnit.MILLISECONDS, new IllegalStateException("application failure"));
		}
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void whenTheThresholdIsZeroThenOnlyTheWindowDecides() {
		CircuitBreaker breaker = largeWindowBreaker();
		RedisCommandExecutor.openAfterConsecutiveFailures(breaker, 0);
		for (int i = 0; i < 10; i++) {
			breaker.onError(1, TimeUnit.MILLISECONDS, notConnected());
		}
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	private CircuitBreaker largeWindowBreaker() {
		return CircuitBreaker.of("redis",
				RedisCommandExecutor.circuitBreakerConfig(this.classifier)
					.slidingWindowSize(100)
					.minimumNumberOfCalls(100)
					.slowCallDurationThreshold(Duration.ofSeconds(1))
					.build());
	}

	private static RedisCommandTimeoutException timeout() {
		return new RedisCommandTimeoutException("Command timed out after 100 millisecond(s)");
	}

	private static RedisSystemException notConnected() {
		return new RedisSystemException("Redis exception",
				new RedisException("Currently not connected. Commands are rejected."));
	}

	private static final class FailingOperation implements Supplier<String> {

		private final AtomicInteger calls = new AtomicInteger();

		private final RuntimeException failure;

		FailingOperation(RuntimeException failure) {
			this.failure = failure;
		}

		@Override
		public String get() {
			this.calls.incrementAndGet();
			throw this.failure;
		}

	}

}

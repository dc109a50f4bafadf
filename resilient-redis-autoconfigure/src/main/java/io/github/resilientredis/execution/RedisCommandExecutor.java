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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilientredis.execution.RedisErrorClassifier.Classification;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Runs Redis operations of the application behind the shared circuit breaker, retrying
 * transient failures of idempotent operations with exponential back-off and jitter within
 * a total time budget.
 * <p>
 * Failures reach the caller as follows:
 * <ul>
 * <li>{@link RedisUnavailableException} when the breaker is open, or when a
 * {@link RedisErrorCategory#TRANSIENT transient} failure remains after the retries the
 * operation is allowed ({@link #execute(Supplier) non-idempotent} operations are never
 * retried);</li>
 * <li>{@link RedisErrorCategory#REDIS_FAULT} and {@link RedisErrorCategory#CALLER}
 * failures unchanged, without any retry.</li>
 * </ul>
 * Only {@link RedisErrorCategory#isRedisFailure() Redis failures} count toward the
 * breaker when it is configured with {@link #circuitBreakerConfig(RedisErrorClassifier)}.
 * <p>
 * Each failed attempt is logged at {@code DEBUG}. Each state transition of the breaker is
 * logged once: at {@code WARN} when it leaves or returns to {@code CLOSED}, at
 * {@code DEBUG} while it keeps probing a Redis that is still down ({@code OPEN} to
 * {@code HALF_OPEN} and back), so that a long outage does not flood the log. No log line
 * or exception message carries a password. Operations called from within another
 * operation of an executor are retried and counted once, by the innermost executor.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisCommandExecutor {

	private static final Log logger = LogFactory.getLog(RedisCommandExecutor.class);

	private static final double BACKOFF_MULTIPLIER = 2.0;

	private static final double BACKOFF_RANDOMIZATION_FACTOR = 0.5;

	private final CircuitBreaker circuitBreaker;

	private final Retry retry;

	private final BudgetedBackoff backoff;

	private final RedisErrorClassifier classifier;

	private volatile @Nullable Throwable lastRecordedFailure;

	/**
	 * Create a new executor.
	 * @param circuitBreaker the circuit breaker guarding Redis, usually configured from
	 * {@link #circuitBreakerConfig(RedisErrorClassifier)} and shared with the cache
	 * @param retry the retry of idempotent operations, configured from
	 * {@link #retryConfig(int, Duration, Duration, Duration)}
	 * @param classifier the classifier deciding which failures are retried
	 */
	public RedisCommandExecutor(CircuitBreaker circuitBreaker, Retry retry, RedisErrorClassifier classifier) {
		Assert.notNull(circuitBreaker, "'circuitBreaker' must not be null");
		Assert.notNull(retry, "'retry' must not be null");
		Assert.notNull(classifier, "'classifier' must not be null");
		if (!(retry.getRetryConfig().getIntervalBiFunction() instanceof BudgetedBackoff budgetedBackoff)) {
			throw new IllegalArgumentException(
					"'retry' must be configured with RedisCommandExecutor.retryConfig(...) so that only transient "
							+ "failures are retried within the retry budget");
		}
		this.circuitBreaker = circuitBreaker;
		this.retry = retry;
		this.backoff = budgetedBackoff;
		this.classifier = classifier;
		circuitBreaker.getEventPublisher()
			.onError((event) -> this.lastRecordedFailure = event.getThrowable())
			.onStateTransition(this::logStateTransition);
	}

	/**
	 * Return a Resilience4j retry configuration for idempotent Redis operations: up to
	 * {@code maxRetries} retries of {@link RedisErrorCategory#TRANSIENT transient}
	 * failures, the first after about {@code delay}, each further one after about twice
	 * the previous delay (randomized by ±50%, never longer than {@code maxDelay}), and no
	 * retry that would start after {@code budget} has elapsed since the first attempt.
	 * @param maxRetries maximum number of retries after the first attempt, zero or more
	 * @param delay base delay before the first retry, at least one millisecond
	 * @param maxDelay longest delay between two attempts
	 * @param budget total time an operation and its retries may take
	 * @return the retry configuration
	 */
	public static RetryConfig retryConfig(int maxRetries, Duration delay, Duration maxDelay, Duration budget) {
		Assert.isTrue(maxRetries >= 0, "'maxRetries' must not be negative");
		Assert.isTrue(!maxDelay.minus(delay).isNegative(), "'maxDelay' must not be shorter than 'delay'");
		Assert.isTrue(!budget.isNegative(), "'budget' must not be negative");
		IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(delay, BACKOFF_MULTIPLIER,
				BACKOFF_RANDOMIZATION_FACTOR, maxDelay);
		return RetryConfig.custom()
			.maxAttempts(maxRetries + 1)
			.intervalBiFunction(new BudgetedBackoff(backoff, budget))
			.retryOnException(TransientFailure.class::isInstance)
			.build();
	}

	/**
	 * Return a Resilience4j circuit breaker configuration builder that counts only
	 * {@link RedisErrorCategory#isRedisFailure() Redis failures} and ignores
	 * {@link RedisErrorCategory#CALLER caller} failures (application exceptions,
	 * serialization, wrong type, syntax errors) so that those never open the breaker. It
	 * uses a count-based sliding window and moves from open to half-open on the first
	 * call after the wait, without a scheduler thread of its own. Thresholds are set with
	 * the builder's own methods, for example {@code failureRateThreshold},
	 * {@code slidingWindowSize}, {@code minimumNumberOfCalls},
	 * {@code slowCallDurationThreshold}, {@code slowCallRateThreshold},
	 * {@code waitDurationInOpenState} and {@code permittedNumberOfCallsInHalfOpenState}.
	 * @param classifier the classifier deciding which failures count
	 * @return the circuit breaker configuration builder
	 */
	public static CircuitBreakerConfig.Builder circuitBreakerConfig(RedisErrorClassifier classifier) {
		Assert.notNull(classifier, "'classifier' must not be null");
		return CircuitBreakerConfig.custom()
			.slidingWindowType(SlidingWindowType.COUNT_BASED)
			// Every cache hit records a call: no lock shared by all callers.
			.slidingWindowSynchronizationStrategy(SlidingWindowSynchronizationStrategy.LOCK_FREE)
			// No scheduler thread: the breaker turns half-open on the first call after
			// the
			// wait (the cache's recovery thread makes that call in the background).
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			.recordException((failure) -> isCounted(failure, classifier))
			.ignoreException((failure) -> !isCounted(failure, classifier));
	}

	/**
	 * Open the breaker as soon as {@code threshold} calls in a row failed with a counted
	 * failure or took longer than its slow-call duration threshold, without waiting for
	 * the failure rate of its sliding window: when Redis freezes, the first wave of
	 * timeouts opens it, instead of a second wave of retries.
	 * @param circuitBreaker the circuit breaker
	 * @param threshold the number of consecutive failures or slow calls, {@code 0} to
	 * leave the breaker to its sliding window alone
	 */
	public static void openAfterConsecutiveFailures(CircuitBreaker circuitBreaker, int threshold) {
		Assert.notNull(circuitBreaker, "'circuitBreaker' must not be null");
		Assert.isTrue(threshold >= 0, "'threshold' must not be negative");
		if (threshold == 0) {
			return;
		}
		AtomicInteger consecutive = new AtomicInteger();
		Duration slow = circuitBreaker.getCircuitBreakerConfig().getSlowCallDurationThreshold();
		circuitBreaker.getEventPublisher().onSuccess((event) -> {
			if (event.getElapsedDuration().compareTo(slow) < 0) {
				consecutive.set(0);
			}
			else {
				failedInARow(circuitBreaker, consecutive, threshold);
			}
		})
			.onError((event) -> failedInARow(circuitBreaker, consecutive, threshold))
			.onStateTransition((event) -> consecutive.set(0));
	}

	private static void failedInARow(CircuitBreaker circuitBreaker, AtomicInteger consecutive, int threshold) {
		if (consecutive.incrementAndGet() >= threshold && circuitBreaker.getState() == CircuitBreaker.State.CLOSED) {
			try {
				circuitBreaker.transitionToOpenState();
			}
			catch (IllegalStateTransitionException ex) {
				// Another thread opened it first.
			}
		}
	}

	private static boolean isCounted(Throwable failure, RedisErrorClassifier classifier) {
		// A RedisUnavailableException of a nested call was counted when it happened.
		return !(failure instanceof RedisUnavailableException) && classifier.classify(failure).isRedisFailure();
	}

	/**
	 * Run an idempotent operation (a read, or a write that may safely be repeated),
	 * retrying transient failures.
	 * @param <T> the type of the result
	 * @param operation the operation
	 * @return the result of the operation
	 * @throws RedisUnavailableException if the breaker is open or transient failures
	 * outlasted the retries
	 */
	public <T extends @Nullable Object> T executeIdempotent(Supplier<T> operation) {
		return executeIdempotent(null, operation);
	}

	/**
	 * Run an idempotent operation (a read, or a write that may safely be repeated),
	 * retrying transient failures.
	 * @param <T> the type of the result
	 * @param operationName name of the operation for log messages, for example
	 * {@code "GET session"}, or {@code null}
	 * @param operation the operation
	 * @return the result of the operation
	 * @throws RedisUnavailableException if the breaker is open or transient failures
	 * outlasted the retries
	 */
	public <T extends @Nullable Object> T executeIdempotent(@Nullable String operationName, Supplier<T> operation) {
		Attempt<T> attempt = new Attempt<>(operationName, operation, this.backoff.deadline());
		return run(attempt, () -> this.retry.executeSupplier(attempt));
	}

	/**
	 * Run an idempotent operation, retrying transient failures, and answer from the
	 * fallback if Redis is unavailable.
	 * @param <T> the type of the result
	 * @param operation the operation
	 * @param fallback the function giving the result when Redis is unavailable
	 * @return the result of the operation or of the fallback
	 */
	public <T extends @Nullable Object> T executeIdempotent(Supplier<T> operation,
			Function<? super RedisUnavailableException, ? extends T> fallback) {
		return executeIdempotent(null, operation, fallback);
	}

	/**
	 * Run an idempotent operation, retrying transient failures, and answer from the
	 * fallback if Redis is unavailable. {@link RedisErrorCategory#REDIS_FAULT} and
	 * {@link RedisErrorCategory#CALLER} failures still propagate.
	 * @param <T> the type of the result
	 * @param operationName name of the operation for log messages, or {@code null}
	 * @param operation the operation
	 * @param fallback the function giving the result when Redis is unavailable
	 * @return the result of the operation or of the fallback
	 */
	public <T extends @Nullable Object> T executeIdempotent(@Nullable String operationName, Supplier<T> operation,
			Function<? super RedisUnavailableException, ? extends T> fallback) {
		return orElse(() -> executeIdempotent(operationName, operation), fallback);
	}

	/**
	 * Run an operation that must not be repeated (such as {@code INCR} or {@code LPUSH})
	 * behind the circuit breaker, without any retry.
	 * @param <T> the type of the result
	 * @param operation the operation
	 * @return the result of the operation
	 * @throws RedisUnavailableException if the breaker is open or the operation failed
	 * transiently
	 */
	public <T extends @Nullable Object> T execute(Supplier<T> operation) {
		return execute(null, operation);
	}

	/**
	 * Run an operation that must not be repeated (such as {@code INCR} or {@code LPUSH})
	 * behind the circuit breaker, without any retry.
	 * @param <T> the type of the result
	 * @param operationName name of the operation for log messages, or {@code null}
	 * @param operation the operation
	 * @return the result of the operation
	 * @throws RedisUnavailableException if the breaker is open or the operation failed
	 * transiently
	 */
	public <T extends @Nullable Object> T execute(@Nullable String operationName, Supplier<T> operation) {
		Attempt<T> attempt = new Attempt<>(operationName, operation, System.nanoTime());
		return run(attempt, attempt);
	}

	/**
	 * Run an operation that must not be repeated behind the circuit breaker, without any
	 * retry, and answer from the fallback if Redis is unavailable.
	 * @param <T> the type of the result
	 * @param operation the operation
	 * @param fallback the function giving the result when Redis is unavailable
	 * @return the result of the operation or of the fallback
	 */
	public <T extends @Nullable Object> T execute(Supplier<T> operation,
			Function<? super RedisUnavailableException, ? extends T> fallback) {
		return execute(null, operation, fallback);
	}

	/**
	 * Run an operation that must not be repeated behind the circuit breaker, without any
	 * retry, and answer from the fallback if Redis is unavailable.
	 * {@link RedisErrorCategory#REDIS_FAULT} and {@link RedisErrorCategory#CALLER}
	 * failures still propagate.
	 * @param <T> the type of the result
	 * @param operationName name of the operation for log messages, or {@code null}
	 * @param operation the operation
	 * @param fallback the function giving the result when Redis is unavailable
	 * @return the result of the operation or of the fallback
	 */
	public <T extends @Nullable Object> T execute(@Nullable String operationName, Supplier<T> operation,
			Function<? super RedisUnavailableException, ? extends T> fallback) {
		return orElse(() -> execute(operationName, operation), fallback);
	}

	private <T extends @Nullable Object> T run(Attempt<T> attempt, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (TransientFailure failure) {
			throw retriesSpent(attempt, failure);
		}
		catch (CallNotPermittedException ex) {
			throw circuitOpen(attempt.operationName, ex);
		}
	}

	private static <T extends @Nullable Object> T orElse(Supplier<T> call,
			Function<? super RedisUnavailableException, ? extends T> fallback) {
		try {
			return call.get();
		}
		catch (RedisUnavailableException ex) {
			return fallback.apply(ex);
		}
	}

	private RedisUnavailableException retriesSpent(Attempt<?> attempt, TransientFailure failure) {
		Throwable cause = failure.getCause();
		String attempts = (attempt.count == 1) ? "1 attempt" : attempt.count + " attempts";
		return new RedisUnavailableException("Redis is unavailable for " + describe(attempt.operationName) + " after "
				+ attempts + " (error_type=" + failure.errorType + "): " + mostSpecificMessage(cause), cause);
	}

	private RedisUnavailableException circuitOpen(@Nullable String operationName, CallNotPermittedException ex) {
		return new RedisUnavailableException("Redis is unavailable for " + describe(operationName)
				+ ": circuit breaker '" + this.circuitBreaker.getName() + "' is " + this.circuitBreaker.getState(), ex);
	}

	private void logAttemptFailure(Attempt<?> attempt, Classification classification, RuntimeException ex) {
		if (logger.isDebugEnabled()) {
			CircuitBreaker.Metrics metrics = this.circuitBreaker.getMetrics();
			logger.debug(RedisRedaction.redact("Redis operation " + describe(attempt.operationName)
					+ " failed on attempt " + attempt.count + " (error_type=" + classification.errorType()
					+ ", category=" + classification.category() + ", failed_calls=" + metrics.getNumberOfFailedCalls()
					+ ", circuit_breaker=" + this.circuitBreaker.getName() + ", state=" + this.circuitBreaker.getState()
					+ "): " + mostSpecificMessage(ex)));
		}
	}

	private void logStateTransition(CircuitBreakerOnStateTransitionEvent event) {
		CircuitBreaker.StateTransition transition = event.getStateTransition();
		// While Redis stays down the breaker keeps probing (OPEN, HALF_OPEN, OPEN...):
		// only the first opening and the final closing are worth a warning.
		boolean probing = transition == CircuitBreaker.StateTransition.OPEN_TO_HALF_OPEN
				|| transition == CircuitBreaker.StateTransition.HALF_OPEN_TO_OPEN;
		if (probing ? logger.isDebugEnabled() : logger.isWarnEnabled()) {
			CircuitBreaker.Metrics metrics = this.circuitBreaker.getMetrics();
			StringBuilder message = new StringBuilder();
			message.append("Redis circuit breaker '")
				.append(event.getCircuitBreakerName())
				.append("' changed from ")
				.append(transition.getFromState())
				.append(" to ")
				.append(transition.getToState())
				.append(" (failed_calls=")
				.append(metrics.getNumberOfFailedCalls());
			// Negative rates mean too few calls were recorded to compute them.
			if (metrics.getFailureRate() >= 0) {
				message.append(", failure_rate=").append(metrics.getFailureRate()).append('%');
			}
			if (metrics.getSlowCallRate() >= 0) {
				message.append(", slow_call_rate=").append(metrics.getSlowCallRate()).append('%');
			}
			Throwable lastFailure = this.lastRecordedFailure;
			if (lastFailure != null && transition.getToState() != CircuitBreaker.State.CLOSED) {
				message.append(", last_error_type=")
					.append(this.classifier.errorType(lastFailure))
					.append("): last failure: ")
					.append(mostSpecificMessage(lastFailure));
			}
			else {
				message.append(")");
			}
			String redacted = RedisRedaction.redact(message.toString());
			if (probing) {
				logger.debug(redacted);
			}
			else {
				logger.warn(redacted);
			}
		}
	}

	/**
	 * Return the message of the deepest cause that has one: Spring's translations say
	 * little ("Redis exception"), Lettuce's and the JDK's causes say what happened.
	 * @param failure the failure
	 * @return the most specific message, or {@code null} if none has one
	 */
	private static @Nullable String mostSpecificMessage(Throwable failure) {
		String message = failure.getMessage();
		Throwable current = failure.getCause();
		for (int depth = 0; current != null && current != failure && depth < 32; depth++) {
			if (current.getMessage() != null) {
				message = current.getMessage();
			}
			current = current.getCause();
		}
		return message;
	}

	private static String describe(@Nullable String operationName) {
		return (operationName != null) ? "'" + operationName + "'" : "operation";
	}

	/**
	 * One call of an operation through the circuit breaker; for idempotent operations
	 * Resilience4j's {@link Retry} calls it again for each retry.
	 */
	private final class Attempt<T extends @Nullable Object> implements Supplier<T> {

		private final @Nullable String operationName;

		private final Supplier<T> operation;

		private final long deadline;

		private int count;

		Attempt(@Nullable String operationName, Supplier<T> operation, long deadline) {
			Assert.notNull(operation, "'operation' must not be null");
			this.operationName = operationName;
			this.operation = operation;
			this.deadline = deadline;
		}

		@Override
		public T get() {
			this.count++;
			try {
				return RedisCommandExecutor.this.circuitBreaker.executeSupplier(this.operation);
			}
			catch (CallNotPermittedException | RedisUnavailableException ex) {
				// An executor called from within the operation already retried and
				// counted it.
				throw ex;
			}
			catch (RuntimeException ex) {
				Classification classification = RedisCommandExecutor.this.classifier.classification(ex);
				logAttemptFailure(this, classification, ex);
				if (classification.category() == RedisErrorCategory.TRANSIENT) {
					throw new TransientFailure(ex, classification.errorType(), this.deadline);
				}
				throw ex;
			}
		}

	}

	/**
	 * Carries a transient failure, and the deadline of its call, through Resilience4j's
	 * {@link Retry}: only these are retried, and {@link BudgetedBackoff} reads the
	 * deadline to stop retrying when the next attempt would start too late.
	 */
	private static final class TransientFailure extends RuntimeException {

		private final String errorType;

		private final long deadline;

		TransientFailure(RuntimeException cause, String errorType, long deadline) {
			super(cause.getMessage(), cause, false, false);
			this.errorType = errorType;
			this.deadline = deadline;
		}

		@Override
		public synchronized RuntimeException getCause() {
			return (RuntimeException) super.getCause();
		}

	}

	/**
	 * Resilience4j interval function that stops retrying (a negative interval) when the
	 * next attempt would start after the deadline of the call.
	 */
	static final class BudgetedBackoff implements IntervalBiFunction<Object> {

		private final IntervalFunction backoff;

		private final long budgetNanos;

		BudgetedBackoff(IntervalFunction backoff, Duration budget) {
			this.backoff = backoff;
			this.budgetNanos = budget.toNanos();
		}

		long deadline() {
			return System.nanoTime() + this.budgetNanos;
		}

		@Override
		public Long apply(Integer attempt, Either<Throwable, Object> outcome) {
			long interval = this.backoff.apply(attempt);
			if (outcome.isLeft() && outcome.getLeft() instanceof TransientFailure failure) {
				long nextAttemptStart = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(interval);
				if (nextAttemptStart - failure.deadline > 0) {
					return -1L;
				}
			}
			return interval;
		}

	}

}

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
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.core.IntervalFunction;
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
 * A call that succeeds at its first attempt costs a permission check and a clock read:
 * Resilience4j's retry is asked for a back-off only once an attempt failed, and a fast
 * success is not recorded in the breaker while its count-based window already holds
 * nothing else (the window's content, and so every decision of the breaker, is the same
 * as if it were).
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

	private static final int MAX_CAUSE_DEPTH = 32;

	private final CircuitBreakerCalls calls;

	private final Retry retry;

	private final BudgetedBackoff backoff;

	private final RedisErrorClassifier classifier;

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
		this.calls = new CircuitBreakerCalls(circuitBreaker);
		this.retry = retry;
		this.backoff = budgetedBackoff;
		this.classifier = classifier;
		CircuitBreakerTransitionLog.register(circuitBreaker, classifier);
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
	 * call after the wait, without a scheduler thread of its own. The wait is measured
	 * with the monotonic clock ({@link System#nanoTime()}), so that a step of the wall
	 * clock neither holds the breaker open nor ends its wait early. Thresholds are set
	 * with the builder's own methods, for example {@code failureRateThreshold},
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
			// No scheduler thread: the breaker turns half-open on the first call after
			// the wait (the cache's recovery thread makes that call in the background).
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			// Resilience4j measures the wait with Clock.systemUTC() unless told otherwise
			.clock(MonotonicClock.UTC)
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
		if (threshold > 0) {
			ConsecutiveFailureTrip.register(circuitBreaker, threshold);
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
		Assert.notNull(operation, "'operation' must not be null");
		long deadline = this.backoff.deadline();
		// Resilience4j's retry decides whether and when to try again, and counts.
		Retry.Context<T> context = this.retry.context();
		for (int attempt = 1;; attempt++) {
			T result;
			try {
				result = attempt(operationName, operation, attempt, deadline);
			}
			catch (RuntimeException failure) {
				try {
					// Rethrows what is not retried; waits the back-off otherwise.
					context.onRuntimeError(failure);
				}
				catch (TransientFailure spent) {
					throw retriesSpent(operationName, attempt, spent);
				}
				continue;
			}
			if (!context.onResult(result)) {
				context.onComplete();
				return result;
			}
		}
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
		try {
			return executeIdempotent(operationName, operation);
		}
		catch (RedisUnavailableException ex) {
			return fallback.apply(ex);
		}
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
		Assert.notNull(operation, "'operation' must not be null");
		try {
			return attempt(operationName, operation, 1, System.nanoTime());
		}
		catch (TransientFailure failure) {
			throw retriesSpent(operationName, 1, failure);
		}
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
		try {
			return execute(operationName, operation);
		}
		catch (RedisUnavailableException ex) {
			return fallback.apply(ex);
		}
	}

	/**
	 * Run an asynchronous operation behind the circuit breaker, without any retry: the
	 * breaker records its outcome when the future completes.
	 * @param <T> the type of the result
	 * @param operationName name of the operation for messages, or {@code null}
	 * @param operation the operation, returning the future of its result
	 * @return the future result, failed with {@link RedisUnavailableException} at once if
	 * the breaker does not permit the call
	 */
	public <T extends @Nullable Object> CompletableFuture<T> executeAsync(@Nullable String operationName,
			Supplier<? extends CompletableFuture<T>> operation) {
		Assert.notNull(operation, "'operation' must not be null");
		if (!this.calls.tryAcquirePermission()) {
			return CompletableFuture.failedFuture(circuitOpen(operationName, null));
		}
		long start = System.nanoTime();
		CompletableFuture<T> future;
		try {
			future = operation.get();
		}
		catch (RuntimeException ex) {
			this.calls.onError(start, ex);
			return CompletableFuture.failedFuture(ex);
		}
		return future.whenComplete((result, failure) -> {
			if (failure != null) {
				// The breaker looks through CompletionException itself.
				this.calls.onError(start, failure);
			}
			else {
				this.calls.onResult(start, result);
			}
		});
	}

	// One call of an operation through the circuit breaker.
	private <T extends @Nullable Object> T attempt(@Nullable String operationName, Supplier<T> operation, int count,
			long deadline) {
		try {
			this.calls.acquirePermission();
		}
		catch (CallNotPermittedException ex) {
			throw circuitOpen(operationName, ex);
		}
		long start = System.nanoTime();
		T result;
		try {
			result = operation.get();
		}
		catch (RedisUnavailableException ex) {
			// An executor called from within the operation already retried and counted
			// it.
			this.calls.onError(start, ex);
			throw ex;
		}
		catch (CallNotPermittedException ex) {
			this.calls.onError(start, ex);
			throw circuitOpen(operationName, ex);
		}
		catch (RuntimeException ex) {
			this.calls.onError(start, ex);
			Classification classification = this.classifier.classification(ex);
			logAttemptFailure(operationName, count, classification, ex);
			if (classification.category() == RedisErrorCategory.TRANSIENT) {
				throw new TransientFailure(ex, classification.errorType(), deadline);
			}
			throw ex;
		}
		this.calls.onResult(start, result);
		return result;
	}

	private RedisUnavailableException retriesSpent(@Nullable String operationName, int count,
			TransientFailure failure) {
		Throwable cause = failure.getCause();
		String attempts = (count == 1) ? "1 attempt" : count + " attempts";
		return new RedisUnavailableException("Redis is unavailable for " + describe(operationName) + " after "
				+ attempts + " (error_type=" + failure.errorType() + "): " + mostSpecificMessage(cause), cause);
	}

	private RedisUnavailableException circuitOpen(@Nullable String operationName,
			@Nullable CallNotPermittedException ex) {
		CircuitBreaker circuitBreaker = this.calls.circuitBreaker();
		return new RedisUnavailableException("Redis is unavailable for " + describe(operationName)
				+ ": circuit breaker '" + circuitBreaker.getName() + "' is " + circuitBreaker.getState(), ex);
	}

	private void logAttemptFailure(@Nullable String operationName, int count, Classification classification,
			RuntimeException ex) {
		if (logger.isDebugEnabled()) {
			CircuitBreaker circuitBreaker = this.calls.circuitBreaker();
			CircuitBreaker.Metrics metrics = circuitBreaker.getMetrics();
			logger.debug(RedisRedaction
				.redact("Redis operation " + describe(operationName) + " failed on attempt " + count + " (error_type="
						+ classification.errorType() + ", category=" + classification.category() + ", failed_calls="
						+ metrics.getNumberOfFailedCalls() + ", circuit_breaker=" + circuitBreaker.getName()
						+ ", state=" + circuitBreaker.getState() + "): " + mostSpecificMessage(ex)));
		}
	}

	/**
	 * Return the message of the deepest cause that has one: Spring's translations say
	 * little ("Redis exception"), Lettuce's and the JDK's causes say what happened.
	 * @param failure the failure
	 * @return the most specific message, or {@code null} if none has one
	 */
	static @Nullable String mostSpecificMessage(Throwable failure) {
		String message = failure.getMessage();
		Throwable current = failure.getCause();
		for (int depth = 0; current != null && current != failure && depth < MAX_CAUSE_DEPTH; depth++) {
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

}

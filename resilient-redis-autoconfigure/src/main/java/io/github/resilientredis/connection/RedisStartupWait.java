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

package io.github.resilientredis.connection;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilientredis.execution.RedisRedaction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Makes application startup wait until Redis answers a {@code PING}, retrying with
 * exponential back-off within a time budget and logging one line per failed attempt.
 * Startup does not wait at all unless this is switched on: by default an application
 * starts without Redis and uses it as soon as it is up.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class RedisStartupWait {

	private static final Log logger = LogFactory.getLog(RedisStartupWait.class);

	private final Duration budget;

	private final Duration initialDelay;

	private final Duration maxDelay;

	/**
	 * Create a new instance.
	 * @param budget longest time to wait
	 * @param initialDelay delay before the second attempt, doubled for each further one
	 * @param maxDelay longest delay between two attempts
	 */
	public RedisStartupWait(Duration budget, Duration initialDelay, Duration maxDelay) {
		this.budget = budget;
		this.initialDelay = initialDelay;
		this.maxDelay = maxDelay;
	}

	/**
	 * Wait until the given factory's Redis answers a {@code PING}.
	 * @param connectionFactory the connection factory
	 * @param description where Redis is, for the log (never with credentials)
	 * @throws RedisNotReadyException if Redis did not answer within the budget
	 */
	public void await(RedisConnectionFactory connectionFactory, String description) {
		long deadline = System.nanoTime() + this.budget.toNanos();
		AtomicInteger attempts = new AtomicInteger();
		AtomicReference<Throwable> lastFailure = new AtomicReference<>();
		IntervalFunction backOff = IntervalFunction.ofExponentialBackoff(this.initialDelay, 2.0, this.maxDelay);
		RetryConfig config = RetryConfig.custom()
			.maxAttempts(Integer.MAX_VALUE)
			.intervalFunction(backOff)
			.retryOnException((ex) -> System.nanoTime() + remainingDelay(backOff, attempts.get()) < deadline)
			.failAfterMaxAttempts(false)
			.build();
		Retry retry = Retry.of("redis-startup", config);
		retry.getEventPublisher()
			.onRetry((event) -> logger.info("Waiting for Redis at " + description + ": attempt "
					+ event.getNumberOfRetryAttempts() + " failed (" + summary(event.getLastThrowable())
					+ "); next attempt in " + event.getWaitInterval().toMillis() + " ms"));
		try {
			Retry.decorateRunnable(retry, () -> {
				attempts.incrementAndGet();
				try {
					ping(connectionFactory);
				}
				catch (RuntimeException ex) {
					lastFailure.set(ex);
					throw ex;
				}
			}).run();
			if (attempts.get() > 1) {
				logger.info("Redis at " + description + " answered after " + attempts.get() + " attempts");
			}
		}
		catch (RuntimeException ex) {
			throw new RedisNotReadyException(this.budget, attempts.get(), ex);
		}
	}

	private static long remainingDelay(IntervalFunction backOff, int attempts) {
		return Duration.ofMillis(backOff.apply(Math.max(1, attempts))).toNanos();
	}

	private static void ping(RedisConnectionFactory connectionFactory) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.ping();
		}
	}

	private static String summary(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return root.getClass().getSimpleName() + ((message != null) ? ": " + RedisRedaction.redact(message) : "");
	}

}

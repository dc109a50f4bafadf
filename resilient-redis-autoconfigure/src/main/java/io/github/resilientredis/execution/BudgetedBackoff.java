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

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;

/**
 * Resilience4j interval function that stops retrying (a negative interval) when the next
 * attempt would start after the deadline of the call, carried by its
 * {@link TransientFailure}.
 *
 * @author resilient-redis contributors
 */
final class BudgetedBackoff implements IntervalBiFunction<Object> {

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
			if (nextAttemptStart - failure.deadline() > 0) {
				return -1L;
			}
		}
		return interval;
	}

}

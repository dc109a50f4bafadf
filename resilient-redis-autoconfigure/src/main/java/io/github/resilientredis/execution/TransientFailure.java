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

/**
 * Carries a transient failure, and the deadline of its call, through Resilience4j's
 * {@code Retry}: only these are retried, and {@link BudgetedBackoff} reads the deadline
 * to stop retrying when the next attempt would start too late.
 *
 * @author resilient-redis contributors
 */
final class TransientFailure extends RuntimeException {

	private final String errorType;

	private final long deadline;

	TransientFailure(RuntimeException cause, String errorType, long deadline) {
		super(cause.getMessage(), cause, false, false);
		this.errorType = errorType;
		this.deadline = deadline;
	}

	String errorType() {
		return this.errorType;
	}

	long deadline() {
		return this.deadline;
	}

	@Override
	public synchronized RuntimeException getCause() {
		return (RuntimeException) super.getCause();
	}

}

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

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Thrown at startup when Redis did not answer within the configured wait budget.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisNotReadyException extends DataAccessResourceFailureException {

	private final Duration budget;

	private final int attempts;

	/**
	 * Create a new exception.
	 * @param budget the time startup waited
	 * @param attempts the number of attempts made
	 * @param cause the last failure
	 */
	public RedisNotReadyException(Duration budget, int attempts, Throwable cause) {
		super("Redis did not answer PING within " + budget.toMillis() + " ms (" + attempts + " attempts)", cause);
		this.budget = budget;
		this.attempts = attempts;
	}

	/**
	 * Return the time startup waited.
	 * @return the wait budget
	 */
	public Duration getBudget() {
		return this.budget;
	}

	/**
	 * Return the number of attempts made.
	 * @return the attempts
	 */
	public int getAttempts() {
		return this.attempts;
	}

}

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

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Thrown by {@link RedisCommandExecutor} when Redis cannot be used right now: the circuit
 * breaker is open (the cause is Resilience4j's {@code CallNotPermittedException}) or a
 * transient failure outlasted the retries allowed for the operation (the cause is the
 * last failure).
 * <p>
 * It is a {@link DataAccessResourceFailureException}, like Spring Data Redis's own
 * {@code RedisConnectionFailureException}, rather than a
 * {@code TransientDataAccessResourceException}: the executor has already retried as much
 * as the retry budget allows, or the breaker has decided Redis should be left alone for a
 * while, so the caller should fall back instead of retrying again. Existing handlers for
 * {@code DataAccessResourceFailureException} keep working.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisUnavailableException extends DataAccessResourceFailureException {

	/**
	 * Create a new {@code RedisUnavailableException}.
	 * @param message the detail message, which must not contain secrets
	 * @param cause the breaker's rejection or the last failure
	 */
	public RedisUnavailableException(String message, Throwable cause) {
		super(RedisRedaction.redact(message), cause);
	}

}

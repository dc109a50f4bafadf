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
 * How a failed Redis operation should be handled.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 * @see RedisErrorClassifier
 */
public enum RedisErrorCategory {

	/**
	 * Redis is briefly unable to answer (connection refused, reset or closed, timeout,
	 * server loading, failover in progress): idempotent operations are retried and the
	 * failure counts toward the circuit breaker.
	 */
	TRANSIENT,

	/**
	 * Redis answered but cannot serve this client (authentication, permissions, out of
	 * memory, failing persistence): retrying does not help, but the failure counts toward
	 * the circuit breaker.
	 */
	REDIS_FAULT,

	/**
	 * Not a fault of Redis (wrong type, syntax error, serialization or an exception of
	 * the application's own code): never retried and never counted by the circuit
	 * breaker.
	 */
	CALLER;

	/**
	 * Whether a failure of this category counts toward the circuit breaker.
	 * @return {@code true} for {@link #TRANSIENT} and {@link #REDIS_FAULT}
	 */
	public boolean isRedisFailure() {
		return this != CALLER;
	}

}

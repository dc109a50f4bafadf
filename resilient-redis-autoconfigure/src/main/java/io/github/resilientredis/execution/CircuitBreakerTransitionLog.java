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

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Logs each state transition of the shared circuit breaker once: at {@code WARN} when it
 * leaves or returns to {@code CLOSED}, at {@code DEBUG} while it keeps probing a Redis
 * that is still down ({@code OPEN} to {@code HALF_OPEN} and back), so that a long outage
 * does not flood the log. The message carries the breaker's figures and the last counted
 * failure, redacted.
 *
 * @author resilient-redis contributors
 */
final class CircuitBreakerTransitionLog {

	private static final Log logger = LogFactory.getLog(CircuitBreakerTransitionLog.class);

	private final CircuitBreaker circuitBreaker;

	private final RedisErrorClassifier classifier;

	private volatile @Nullable Throwable lastRecordedFailure;

	private CircuitBreakerTransitionLog(CircuitBreaker circuitBreaker, RedisErrorClassifier classifier) {
		this.circuitBreaker = circuitBreaker;
		this.classifier = classifier;
	}

	static void register(CircuitBreaker circuitBreaker, RedisErrorClassifier classifier) {
		CircuitBreakerTransitionLog log = new CircuitBreakerTransitionLog(circuitBreaker, classifier);
		circuitBreaker.getEventPublisher()
			.onError((event) -> log.lastRecordedFailure = event.getThrowable())
			.onStateTransition(log::logStateTransition);
	}

	private void logStateTransition(CircuitBreakerOnStateTransitionEvent event) {
		CircuitBreaker.StateTransition transition = event.getStateTransition();
		// While Redis stays down the breaker keeps probing (OPEN, HALF_OPEN, OPEN...):
		// only the first opening and the final closing are worth a warning.
		boolean probing = transition == CircuitBreaker.StateTransition.OPEN_TO_HALF_OPEN
				|| transition == CircuitBreaker.StateTransition.HALF_OPEN_TO_OPEN;
		if (probing ? !logger.isDebugEnabled() : !logger.isWarnEnabled()) {
			return;
		}
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
				.append(RedisCommandExecutor.mostSpecificMessage(lastFailure));
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

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

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * Counts the failed Redis operations seen by the shared circuit breaker by error type
 * (see {@link RedisErrorClassifier#errorType(Throwable)}), and the calls the open breaker
 * did not let through as {@code circuit_open}, and remembers the last failure so that
 * health can say why the breaker opened.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisErrorCounter {

	/**
	 * Error type of the calls rejected by the open circuit breaker.
	 */
	public static final String CIRCUIT_OPEN = "circuit_open";

	private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

	private final RedisErrorClassifier classifier;

	private volatile @Nullable String lastError;

	private volatile BiConsumer<String, AtomicLong> newTypeListener = (type, count) -> {
	};

	/**
	 * Create a new counter that listens to the given circuit breaker.
	 * @param circuitBreaker the circuit breaker guarding Redis
	 * @param classifier the classifier that names the error types
	 */
	public RedisErrorCounter(CircuitBreaker circuitBreaker, RedisErrorClassifier classifier) {
		this.classifier = classifier;
		circuitBreaker.getEventPublisher()
			.onError((event) -> recordError(event.getThrowable()))
			.onCallNotPermitted((event) -> record(CIRCUIT_OPEN));
	}

	private void recordError(Throwable ex) {
		String type = this.classifier.errorType(ex);
		String message = NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
		this.lastError = (message != null) ? type + ": " + RedisRedaction.redact(message) : type;
		record(type);
	}

	void record(String errorType) {
		this.counts.computeIfAbsent(errorType, (type) -> {
			AtomicLong count = new AtomicLong();
			this.newTypeListener.accept(type, count);
			return count;
		}).incrementAndGet();
	}

	/**
	 * Return the number of failures counted so far by error type, sorted by type.
	 * @return the failures by error type
	 */
	public Map<String, Long> getCounts() {
		Map<String, Long> counts = new TreeMap<>();
		this.counts.forEach((type, count) -> counts.put(type, count.get()));
		return counts;
	}

	/**
	 * Return the last failure the circuit breaker recorded, with its error type and
	 * redacted message, such as {@code "oom: OOM command not allowed when used memory >
	 * 'maxmemory'."}.
	 * @return the last failure, {@code null} when there was none
	 */
	public @Nullable String getLastError() {
		return this.lastError;
	}

	/**
	 * Call the given listener for each error type counted so far and for each type seen
	 * for the first time from now on, with the live count of that type.
	 * @param listener the listener, given the error type and its count
	 */
	public synchronized void forEachType(BiConsumer<String, AtomicLong> listener) {
		BiConsumer<String, AtomicLong> previous = this.newTypeListener;
		this.newTypeListener = previous.andThen(listener);
		this.counts.forEach(listener);
	}

}

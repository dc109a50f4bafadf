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

package io.github.resilientredis.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.connection.RedisServerWatch;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisErrorClassifier;
import io.github.resilientredis.execution.RedisUnavailableException;
import org.jspecify.annotations.Nullable;

/**
 * How the caches of one {@link ResilientRedisCacheManager} reach Redis: through the
 * shared circuit breaker and executor, only while the breaker is closed, and for a read
 * only while the key has no invalidation waiting to be replayed. A reply is served only
 * if it comes from a server checked since the last lost connection
 * ({@link RedisServerWatch}): one that may come from a server that restarted or took over
 * is answered from the fallback instead. A Redis failure becomes an answer from the
 * fallback; any other failure (the application's own) reaches the caller unchanged.
 *
 * @author resilient-redis contributors
 */
final class CacheCircuit {

	private final RedisCommandExecutor executor;

	private final CircuitBreaker circuitBreaker;

	private final RedisErrorClassifier classifier;

	private final CacheRecovery recovery;

	private final @Nullable RedisServerWatch serverWatch;

	CacheCircuit(RedisCommandExecutor executor, CircuitBreaker circuitBreaker, RedisErrorClassifier classifier,
			CacheRecovery recovery, @Nullable RedisServerWatch serverWatch) {
		this.executor = executor;
		this.circuitBreaker = circuitBreaker;
		this.classifier = classifier;
		this.recovery = recovery;
		this.serverWatch = serverWatch;
	}

	/**
	 * Return the stamp of the Redis server to take before a read: see
	 * {@link RedisServerWatch#stamp()}.
	 * @return the stamp, always checked without a watch
	 */
	long serverStamp() {
		RedisServerWatch watch = this.serverWatch;
		return (watch != null) ? watch.stamp() : 0;
	}

	/**
	 * Return whether a reply read from Redis may be served: the server had been checked
	 * when the stamp was taken, and no connection was lost since. Otherwise the reply may
	 * come from a server that restarted or took over and has not been checked (Lettuce
	 * resends a command in flight after a reconnect), and the read is answered from the
	 * fallback; it still went to Redis, so that the breaker keeps seeing failures.
	 * @param serverStamp the stamp taken before the read
	 * @return whether the reply can be trusted
	 */
	boolean trustsReply(long serverStamp) {
		RedisServerWatch watch = this.serverWatch;
		return watch == null || (RedisServerWatch.isChecked(serverStamp) && watch.stamp() == serverStamp);
	}

	/**
	 * Return whether a read of the key may go to Redis: the breaker is closed and no
	 * invalidation of the key is pending.
	 * @param cacheName the name of the cache
	 * @param binaryKey the serialized key
	 * @return whether to read from Redis
	 */
	boolean canRead(String cacheName, byte[] binaryKey) {
		return canWrite() && !this.recovery.isPending(cacheName, binaryKey);
	}

	boolean canWrite() {
		return this.circuitBreaker.getState() == State.CLOSED;
	}

	State state() {
		return this.circuitBreaker.getState();
	}

	boolean isServingFromFallback() {
		return !canWrite() || this.recovery.hasPendingInvalidations() || !RedisServerWatch.isChecked(serverStamp());
	}

	/**
	 * Read from Redis, retrying transient failures.
	 * @param <T> the result type
	 * @param operation the name of the operation
	 * @param read the read
	 * @return what Redis answered
	 */
	<T extends @Nullable Object> T read(String operation, Supplier<T> read) {
		return this.executor.executeIdempotent(operation, read);
	}

	/**
	 * Write to Redis, without retry.
	 * @param <T> the result type
	 * @param operation the name of the operation
	 * @param write the write
	 * @return what Redis answered
	 */
	<T extends @Nullable Object> T write(String operation, Supplier<T> write) {
		return this.executor.execute(operation, write);
	}

	<T extends @Nullable Object> CompletableFuture<T> async(String operation,
			Supplier<? extends CompletableFuture<T>> call) {
		return this.executor.executeAsync(operation, call);
	}

	/**
	 * Ask the breaker's permission for a call timed by the caller with {@link #succeeded}
	 * or {@link #failed}, for a call that also runs application code whose time must not
	 * count as Redis's.
	 * @return whether the call may go to Redis
	 */
	boolean tryAcquirePermission() {
		return this.circuitBreaker.tryAcquirePermission();
	}

	void succeeded(long redisNanos) {
		this.circuitBreaker.onSuccess(redisNanos, TimeUnit.NANOSECONDS);
	}

	void failed(long redisNanos, Throwable failure) {
		this.circuitBreaker.onError(redisNanos, TimeUnit.NANOSECONDS, failure);
	}

	void released() {
		this.circuitBreaker.releasePermission();
	}

	/**
	 * Rethrow the failure unless it means Redis could not serve the call, in which case
	 * the caller answers from the fallback.
	 * @param failure the failure of a Redis call
	 */
	void requireRedisFailure(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof RedisUnavailableException || this.classifier.classify(cause).isRedisFailure()) {
			return;
		}
		if (cause instanceof RuntimeException runtimeException) {
			throw runtimeException;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		throw new CompletionException(cause);
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

}

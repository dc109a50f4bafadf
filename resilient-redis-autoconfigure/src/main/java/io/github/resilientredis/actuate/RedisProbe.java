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

package io.github.resilientredis.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.resilientredis.execution.RedisErrorClassifier;
import io.github.resilientredis.execution.RedisRedaction;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

/**
 * Asks Redis for a {@code PING} (and the {@code server} section of {@code INFO}) on a
 * thread of its own and waits no longer than its timeout for the answer, so that a health
 * check never waits on the command timeout, a connect timeout or a frozen server. At most
 * one {@code PING} is in flight: a probe that arrives while one is running waits for that
 * one; results are reused for the cache time.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisProbe implements ApplicationListener<ContextRefreshedEvent>, DisposableBean {

	private static final int MAX_THREADS = 4;

	private final RedisConnectionFactory connectionFactory;

	private final Duration timeout;

	private final Duration cacheTime;

	private final RedisErrorClassifier classifier;

	private final ThreadPoolExecutor executor;

	private final Object monitor = new Object();

	private @Nullable CompletableFuture<Ping> inFlight;

	private @Nullable Ping cached;

	private volatile @Nullable Failure lastFailure;

	private final RedisTopology topology;

	/**
	 * Create a new probe.
	 * @param connectionFactory the connection factory to probe
	 * @param timeout longest time a probe waits for Redis
	 * @param cacheTime time a result is reused, zero for none
	 * @param classifier the classifier that names failures
	 */
	public RedisProbe(RedisConnectionFactory connectionFactory, Duration timeout, Duration cacheTime,
			RedisErrorClassifier classifier) {
		Assert.isTrue(timeout.toMillis() > 0, "'timeout' must be positive");
		this.connectionFactory = connectionFactory;
		this.timeout = timeout;
		this.cacheTime = cacheTime;
		this.classifier = classifier;
		this.executor = executor("redis-probe-", MAX_THREADS);
		this.topology = new RedisTopology(connectionFactory, timeout, this::failure);
	}

	static ThreadPoolExecutor executor(String threadNamePrefix, int maxThreads) {
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory(threadNamePrefix);
		threadFactory.setDaemon(true);
		// No queue: a probe that cannot start at once is answered as busy instead of
		// piling up behind a frozen server.
		return new ThreadPoolExecutor(0, maxThreads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threadFactory);
	}

	/**
	 * Return the time a probe waits for Redis.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Return the result of a recent {@code PING}, probing Redis if none is recent enough.
	 * @return the result
	 */
	public Ping ping() {
		synchronized (this.monitor) {
			Ping cached = this.cached;
			if (cached != null && Duration.between(cached.time(), Instant.now()).compareTo(this.cacheTime) < 0) {
				return cached;
			}
		}
		return pingNow();
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		startOrJoin();
	}

	/**
	 * Probe Redis with a {@code PING} now, or join the one in flight.
	 * @return the result
	 */
	public Ping pingNow() {
		CompletableFuture<Ping> future = startOrJoin();
		Ping ping;
		try {
			ping = future.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			ping = Ping.failed(failure(ex, "PING"));
		}
		synchronized (this.monitor) {
			this.cached = ping;
		}
		if (ping.failure() != null) {
			this.lastFailure = ping.failure();
		}
		return ping;
	}

	private CompletableFuture<Ping> startOrJoin() {
		CompletableFuture<Ping> future;
		synchronized (this.monitor) {
			future = this.inFlight;
			if (future == null) {
				future = submit(this::doPing);
				this.inFlight = future;
				future.whenComplete((ping, ex) -> {
					synchronized (this.monitor) {
						this.inFlight = null;
					}
				});
			}
		}
		return future;
	}

	/**
	 * Return the last failure of a probe, if any.
	 * @return the last failure or {@code null}
	 */
	public @Nullable Failure getLastFailure() {
		return this.lastFailure;
	}

	/**
	 * Run the given command on a connection of the probe's own and wait for it no longer
	 * than the timeout.
	 * @param <T> the type of the result
	 * @param description what the command does, for the failure message
	 * @param command the command
	 * @return the result of the command or its failure
	 */
	public <T> Outcome<T> call(String description, Function<RedisConnection, T> command) {
		try {
			return new Outcome<>(submit(() -> {
				try (RedisConnection connection = this.connectionFactory.getConnection()) {
					return command.apply(connection);
				}
			}).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS), null);
		}
		catch (Exception ex) {
			return new Outcome<>(null, failure(ex, description));
		}
	}

	/**
	 * Return the mode Redis is configured in, from the connection factory rather than
	 * from the server, which may not allow {@code INFO} and reports a master that
	 * sentinels watch as {@code standalone}.
	 * @return {@code standalone}, {@code sentinel} or {@code cluster}, {@code null} when
	 * the connection factory does not tell
	 */
	public @Nullable String configuredMode() {
		return this.topology.mode();
	}

	/**
	 * Discover every node of a Sentinel or cluster topology and {@code PING} them
	 * concurrently. Discovery and the pings each wait no longer than the timeout.
	 * @return for each node its {@code address}, {@code role} ({@code master},
	 * {@code replica}, {@code sentinel} or {@code unknown}), whether it is
	 * {@code reachable}, its {@code latency_ms} or its {@code error}; {@code null} for a
	 * standalone server
	 */
	public @Nullable List<Map<String, Object>> nodes() {
		List<RedisTopology.Node> nodes = this.topology.nodes();
		return (nodes != null) ? nodes.stream().map(RedisTopology.Node::describe).toList() : null;
	}

	private Ping doPing() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			long started = System.nanoTime();
			connection.ping();
			Duration latency = Duration.ofNanos(System.nanoTime() - started);
			Properties info = null;
			Failure infoFailure = null;
			try {
				info = connection.serverCommands().info("server");
			}
			catch (RuntimeException ex) {
				// Hardened ACLs may deny INFO; the PING alone tells that Redis answers.
				infoFailure = failure(ex, "INFO");
			}
			return new Ping(Instant.now(), latency, null, info, infoFailure);
		}
	}

	private <T> CompletableFuture<T> submit(Supplier<T> task) {
		try {
			return CompletableFuture.supplyAsync(task, this.executor);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	Failure failure(Throwable ex, String command) {
		Throwable cause = (ex instanceof ExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
		if (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof TimeoutException) {
			return new Failure("timeout", "no answer to " + command + " within " + this.timeout.toMillis() + " ms");
		}
		if (cause instanceof RejectedExecutionException) {
			return new Failure("busy", MAX_THREADS + " probes of Redis are already waiting for an answer");
		}
		return new Failure(this.classifier.errorType(cause), RedisRedaction.redact(mostSpecificMessage(cause)));
	}

	private static String mostSpecificMessage(Throwable ex) {
		String message = ex.getClass().getSimpleName();
		Throwable current = ex;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (current.getMessage() != null && !current.getMessage().isBlank()) {
				message = current.getMessage();
			}
			current = (current.getCause() != current) ? current.getCause() : null;
		}
		return message;
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
		this.topology.close();
	}

	/**
	 * Result of a {@code PING}.
	 *
	 * @param time when the result was obtained
	 * @param latency time Redis took to answer, {@code null} when it did not
	 * @param failure why Redis did not answer, {@code null} when it did
	 * @param serverInfo the {@code server} section of {@code INFO}, {@code null} when
	 * unavailable
	 * @param serverInfoFailure why the {@code server} section is unavailable
	 */
	public record Ping(Instant time, @Nullable Duration latency, @Nullable Failure failure,
			@Nullable Properties serverInfo, @Nullable Failure serverInfoFailure) {

		static Ping failed(Failure failure) {
			return new Ping(Instant.now(), null, failure, null, null);
		}

		/**
		 * Return whether Redis answered the {@code PING}.
		 * @return whether Redis answered
		 */
		public boolean isReachable() {
			return this.failure == null;
		}

	}

	/**
	 * Why a probe failed, with a message that never carries a secret.
	 *
	 * @param type short {@code snake_case} type of the failure, such as {@code timeout}
	 * @param message redacted message
	 */
	public record Failure(String type, String message) {

		@Override
		public String toString() {
			return this.type + ": " + this.message;
		}

	}

	/**
	 * Result of a command run by {@link #call(String, Function)}.
	 *
	 * @param <T> the type of the result
	 * @param value the result, {@code null} when the command failed
	 * @param failure why the command failed, {@code null} when it did not
	 */
	public record Outcome<T>(@Nullable T value, @Nullable Failure failure) {

	}

}

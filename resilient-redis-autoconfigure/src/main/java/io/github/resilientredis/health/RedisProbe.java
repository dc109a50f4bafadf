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

package io.github.resilientredis.health;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.github.resilientredis.execution.RedisErrorClassifier;
import io.github.resilientredis.execution.RedisRedaction;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.data.redis.connection.ClusterInfo;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

/**
 * Asks Redis for a {@code PING}, {@code INFO} and, for a cluster, {@code CLUSTER INFO} on
 * a thread of its own and waits no longer than its timeout for the answer, so that a
 * health check never waits on the command timeout, a connect timeout or a frozen server.
 * At most one {@code PING} is in flight: a probe that arrives while one is running waits
 * for that one; results are reused for the cache time, measured with the monotonic clock
 * ({@link System#nanoTime()}) so that a step of the wall clock neither freezes nor
 * expires them.
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
			if (cached != null && System.nanoTime() - cached.nanoTime() < this.cacheTime.toNanos()) {
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
			ping = future.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (Exception ex) {
			ping = Ping.failed(failure(ex, "PING"), null);
		}
		synchronized (this.monitor) {
			this.cached = ping;
		}
		if (ping.failure() != null) {
			this.lastFailure = ping.failure();
		}
		return ping;
	}

	/**
	 * Probe Redis and, for Sentinel and cluster, every node of the topology,
	 * concurrently: the whole check waits no longer than the timeout.
	 * @param fresh whether to probe now rather than reuse a recent {@code PING}
	 * @return the result of the {@code PING} and the nodes
	 */
	public Check check(boolean fresh) {
		CompletableFuture<List<RedisTopology.Node>> nodes = this.topology.nodes();
		Ping ping = fresh ? pingNow() : ping();
		return new Check(ping, (nodes != null) ? describe(nodes) : null);
	}

	private List<RedisNodeDescriptor> describe(CompletableFuture<List<RedisTopology.Node>> nodes) {
		try {
			// The future completes by the deadline it was given; the slack covers its
			// timer
			return nodes.get(this.timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.NANOSECONDS)
				.stream()
				.map(RedisTopology.Node::describe)
				.toList();
		}
		catch (Exception ex) {
			return List.of();
		}
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
	 * Return the mode Redis is configured in, from the connection factory rather than
	 * from the server, which may not allow {@code INFO} and reports a master that
	 * sentinels watch as {@code standalone}.
	 * @return {@code standalone}, {@code sentinel} or {@code cluster}, {@code null} when
	 * the connection factory does not tell
	 */
	public @Nullable String configuredMode() {
		return this.topology.mode();
	}

	private Ping doPing() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			ClusterInfo clusterInfo = null;
			if (connection instanceof RedisClusterConnection cluster) {
				// First: it tells why a PING to every master fails when a shard is down
				clusterInfo = clusterInfo(cluster);
			}
			long started = System.nanoTime();
			try {
				connection.ping();
			}
			catch (RuntimeException ex) {
				return Ping.failed(failure(ex, "PING"), clusterInfo);
			}
			Duration latency = Duration.ofNanos(System.nanoTime() - started);
			Properties info = null;
			Failure infoFailure = null;
			try {
				// All of INFO (as Spring Boot's indicator asks) tells the role and
				// memory;
				// a cluster answers for every node, so only its server section
				info = (clusterInfo != null) ? connection.serverCommands().info("server")
						: connection.serverCommands().info();
			}
			catch (RuntimeException ex) {
				// Hardened ACLs may deny INFO; the PING alone tells that Redis answers.
				infoFailure = failure(ex, "INFO");
			}
			return new Ping(System.nanoTime(), latency, null, info, infoFailure, clusterInfo);
		}
	}

	private static @Nullable ClusterInfo clusterInfo(RedisClusterConnection connection) {
		try {
			return connection.clusterGetClusterInfo();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private <T> CompletableFuture<T> submit(Supplier<T> task) {
		return submit(this.executor, task);
	}

	static <T> CompletableFuture<T> submit(ThreadPoolExecutor executor, Supplier<T> task) {
		try {
			return CompletableFuture.supplyAsync(task, executor);
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

	static double millis(Duration duration) {
		return Math.round(duration.toNanos() / 10_000.0) / 100.0;
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
		this.topology.close();
	}

	/**
	 * Result of a {@link #check(boolean) check}.
	 *
	 * @param ping the result of the {@code PING}
	 * @param nodes for Sentinel and cluster, every node with its role and whether it
	 * answers; {@code null} for a standalone server
	 */
	public record Check(Ping ping, @Nullable List<RedisNodeDescriptor> nodes) {

	}

	/**
	 * Result of a {@code PING}.
	 *
	 * @param nanoTime when the result was obtained, from {@link System#nanoTime()}
	 * @param latency time Redis took to answer, {@code null} when it did not
	 * @param failure why Redis did not answer, {@code null} when it did
	 * @param serverInfo the reply to {@code INFO} (for a cluster, its {@code server}
	 * section from every node, each key prefixed with the node's address), {@code null}
	 * when unavailable
	 * @param serverInfoFailure why the reply to {@code INFO} is unavailable
	 * @param clusterInfo the reply to {@code CLUSTER INFO}, {@code null} when not a
	 * cluster or unavailable
	 */
	public record Ping(long nanoTime, @Nullable Duration latency, @Nullable Failure failure,
			@Nullable Properties serverInfo, @Nullable Failure serverInfoFailure, @Nullable ClusterInfo clusterInfo) {

		static Ping failed(Failure failure, @Nullable ClusterInfo clusterInfo) {
			return new Ping(System.nanoTime(), null, failure, null, null, clusterInfo);
		}

		/**
		 * Return whether Redis answered the {@code PING}.
		 * @return whether Redis answered
		 */
		public boolean isReachable() {
			return this.failure == null;
		}

		/**
		 * Return the time Redis took to answer in milliseconds, rounded to hundredths.
		 * @return the latency, {@code null} when Redis did not answer
		 */
		public @Nullable Double latencyMillis() {
			return (this.latency != null) ? millis(this.latency) : null;
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

}

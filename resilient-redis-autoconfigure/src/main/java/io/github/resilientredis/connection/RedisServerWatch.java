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

import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.resilientredis.execution.RedisRedaction;
import io.lettuce.core.RedisCommandExecutionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * Tells when the Redis server behind the application's connections may have forgotten
 * writes it acknowledged: after each reconnect it reads the server's
 * {@link RedisServerIdentity identity} ({@code INFO server} and {@code INFO replication})
 * and compares it with the one seen before. A restart (from an older RDB snapshot, or an
 * append-only file written once a second) or another server taking over (a replica that
 * had not received the last writes) shows as a new {@code run_id}, a new
 * {@code master_replid} or a replication offset that went back. Listeners are then told
 * first, on the watch's own thread, and a {@link RedisServerChangedEvent} is published
 * and logged at WARN.
 * <p>
 * Through {@link RedisConnections} it marks, on the event loop and before Lettuce
 * schedules the reconnect, every loss of a connection that Lettuce will reconnect. From
 * then on until the server has been checked again, {@link #stamp()} is not
 * {@link #isChecked(long) checked}, so that a reader can tell that a reply may come from
 * a server nobody has looked at yet (Lettuce resends commands that were in flight as soon
 * as it has reconnected). Connections closed on purpose are not marked.
 * <p>
 * A Redis Cluster connection is not watched: each shard is a server of its own. When the
 * user may not run {@code INFO}, the watch says so once at WARN and trusts every server.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisServerWatch implements DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisServerWatch.class);

	private static final long FIRST_RETRY_MILLIS = 20;

	private static final long MAX_RETRY_MILLIS = 1000;

	private final Callable<RedisServerIdentity> identityReader;

	private final Consumer<? super RedisServerChangedEvent> publisher;

	private final List<Consumer<? super RedisServerChangedEvent>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Counts connection losses, shifted left by one; the low bit is set while the server
	 * has not been checked since the last loss.
	 */
	private final AtomicLong stamp = new AtomicLong();

	private volatile long connectionLostNanoTime;

	private final AtomicLong changes = new AtomicLong();

	private final AtomicBoolean deniedWarned = new AtomicBoolean();

	private final ScheduledThreadPoolExecutor executor;

	private final Object scheduleLock = new Object();

	private @Nullable ScheduledFuture<?> scheduled;

	private long scheduledDue;

	/** Touched by the watch's thread only. */
	private long retryMillis = FIRST_RETRY_MILLIS;

	private volatile @Nullable RedisServerIdentity identity;

	private volatile boolean unsupported;

	private volatile boolean closed;

	/**
	 * Create a watch that reads the server's identity through the given connection
	 * factory, resolved when first needed (the factory is built with this customizer).
	 * @param connectionFactory the connection factory of the application
	 * @param publisher what publishes a {@link RedisServerChangedEvent}, for example
	 * {@code applicationEventPublisher::publishEvent}
	 */
	public RedisServerWatch(Supplier<RedisConnectionFactory> connectionFactory,
			Consumer<? super RedisServerChangedEvent> publisher) {
		this(() -> readIdentity(connectionFactory.get()), publisher);
	}

	RedisServerWatch(Callable<RedisServerIdentity> identityReader,
			Consumer<? super RedisServerChangedEvent> publisher) {
		Assert.notNull(identityReader, "'identityReader' must not be null");
		Assert.notNull(publisher, "'publisher' must not be null");
		this.identityReader = identityReader;
		this.publisher = publisher;
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "resilient-redis-server-watch");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.executor = executor;
	}

	private static RedisServerIdentity readIdentity(RedisConnectionFactory connectionFactory) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			if (connection instanceof RedisClusterConnection) {
				throw new UnsupportedOperationException("a Redis Cluster has one server per shard");
			}
			Properties server = connection.serverCommands().info("server");
			Properties replication = connection.serverCommands().info("replication");
			Assert.state(server != null && replication != null, "INFO returned no reply");
			return RedisServerIdentity.of(server, replication);
		}
	}

	/**
	 * Add a listener, called on the watch's thread when a change is seen, before the
	 * server counts as checked again and before the {@link RedisServerChangedEvent} is
	 * published: readers that wait for {@link #isChecked(long)} see what it did.
	 * @param listener the listener
	 */
	public void addListener(Consumer<? super RedisServerChangedEvent> listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.listeners.add(listener);
	}

	/**
	 * Remove a listener added with {@link #addListener(Consumer)}.
	 * @param listener the listener
	 */
	public void removeListener(Consumer<? super RedisServerChangedEvent> listener) {
		this.listeners.remove(listener);
	}

	/**
	 * Return the current stamp: it changes with every lost connection, and tells whether
	 * the server has been checked since ({@link #isChecked(long)}). A reader that takes
	 * the stamp before a Redis call and finds it unchanged after it knows that the reply
	 * came from a checked server.
	 * @return the stamp
	 */
	public long stamp() {
		return this.stamp.get();
	}

	/**
	 * Return whether a stamp was taken while the server was known: no connection had been
	 * lost since the server was last checked.
	 * @param stamp a value of {@link #stamp()}
	 * @return whether the server was checked
	 */
	public static boolean isChecked(long stamp) {
		return (stamp & 1) == 0;
	}

	/**
	 * Return whether the server is known right now: no connection has been lost since it
	 * was last checked.
	 * @return whether the server is checked
	 */
	public boolean isChecked() {
		return isChecked(stamp());
	}

	/**
	 * Return the identity of the server last checked.
	 * @return the identity, or {@code null} before the first check or when it cannot be
	 * read
	 */
	public @Nullable RedisServerIdentity getIdentity() {
		return this.identity;
	}

	/**
	 * Return how many times the server was found changed.
	 * @return the number of changes
	 */
	public long getChanges() {
		return this.changes.get();
	}

	/**
	 * Return whether connections are watched: not once the server turned out to be
	 * unsupported (a Redis Cluster).
	 * @return whether connections are watched
	 */
	boolean isWatching() {
		return !this.unsupported;
	}

	/**
	 * A connection that Lettuce will reconnect was lost: until the server is checked
	 * again, replies cannot be trusted to come from the server seen before.
	 */
	void connectionLost() {
		if (this.unsupported) {
			return;
		}
		if (isChecked(this.stamp.get())) {
			this.connectionLostNanoTime = System.nanoTime();
		}
		this.stamp.updateAndGet((stamp) -> (((stamp >>> 1) + 1) << 1) | 1);
	}

	/**
	 * A connection was (re)established: check the server.
	 */
	void connectionActivated() {
		if (!this.unsupported) {
			schedule(0);
		}
	}

	/**
	 * Check the server now, for example at startup or in a test.
	 */
	public void checkNow() {
		schedule(0);
	}

	private void schedule(long delayMillis) {
		if (this.closed) {
			return;
		}
		long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
		synchronized (this.scheduleLock) {
			ScheduledFuture<?> pending = this.scheduled;
			if (pending != null && !pending.isDone()) {
				if (this.scheduledDue - due <= 0) {
					return;
				}
				pending.cancel(false);
			}
			try {
				this.scheduled = this.executor.schedule(this::check, delayMillis, TimeUnit.MILLISECONDS);
				this.scheduledDue = due;
			}
			catch (RejectedExecutionException ex) {
				this.scheduled = null;
			}
		}
	}

	/**
	 * Read the identity and compare it with the one seen before. Runs on the watch's
	 * thread only.
	 */
	private void check() {
		synchronized (this.scheduleLock) {
			// Under way: a request from now on schedules another check.
			this.scheduled = null;
		}
		if (this.closed || this.unsupported) {
			return;
		}
		long observed = this.stamp.get();
		RedisServerIdentity current;
		try {
			current = this.identityReader.call();
		}
		catch (Exception ex) {
			checkFailed(observed, ex);
			return;
		}
		this.retryMillis = FIRST_RETRY_MILLIS;
		RedisServerIdentity previous = this.identity;
		this.identity = current;
		RedisServerChangedEvent event = null;
		if (previous != null && !current.isContinuationOf(previous)) {
			long lostAt = isChecked(observed) ? System.nanoTime() : this.connectionLostNanoTime;
			event = new RedisServerChangedEvent(this, previous, current, lostAt);
			this.changes.incrementAndGet();
			for (Consumer<? super RedisServerChangedEvent> listener : this.listeners) {
				tell(listener, event);
			}
		}
		markChecked(observed);
		if (event != null) {
			logger.warn("The Redis server changed across a reconnect (" + current.describeChangeFrom(previous)
					+ "): it restarted or another server took over, and writes acknowledged before may be lost, "
					+ "for example after a restart from an older RDB snapshot or a failover to a replica that had "
					+ "not received them");
			tell(this.publisher, event);
		}
	}

	private static void tell(Consumer<? super RedisServerChangedEvent> listener, RedisServerChangedEvent event) {
		try {
			listener.accept(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of Redis server changes failed", ex);
		}
	}

	private void markChecked(long observed) {
		if (!isChecked(observed) && !this.stamp.compareAndSet(observed, observed & ~1L)) {
			// Lost again while checking: check the server the reconnect reaches.
			schedule(0);
		}
	}

	private void checkFailed(long observed, Exception ex) {
		if (ex instanceof UnsupportedOperationException || ex instanceof IllegalArgumentException) {
			this.unsupported = true;
			this.stamp.updateAndGet((stamp) -> stamp & ~1L);
			logger.info("Redis server changes are not watched: " + RedisRedaction.redact(ex.getMessage()));
			return;
		}
		if (isDenied(ex)) {
			if (this.deniedWarned.compareAndSet(false, true)) {
				logger.warn("Redis refused INFO ("
						+ RedisRedaction.redact(NestedExceptionUtils.getMostSpecificCause(ex).getMessage())
						+ "): a restart from older persistence or a failover to a lagging replica cannot be "
						+ "detected, and cache writes that Redis forgets are not replayed; allow INFO to the user "
						+ "(ACL '+info')");
			}
			markChecked(observed);
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Could not read the Redis server identity, retrying in " + this.retryMillis + " ms: "
					+ RedisRedaction.redact(NestedExceptionUtils.getMostSpecificCause(ex).toString()));
		}
		if (!isChecked(observed) || this.identity == null) {
			long delay = this.retryMillis;
			this.retryMillis = Math.min(MAX_RETRY_MILLIS, delay * 2);
			schedule(delay);
		}
	}

	private static boolean isDenied(Throwable ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		String message = String.valueOf(cause.getMessage());
		return cause instanceof RedisCommandExecutionException
				&& (message.startsWith("NOPERM") || message.startsWith("ERR unknown command"));
	}

	@Override
	public void destroy() {
		this.closed = true;
		this.executor.shutdownNow();
	}

}

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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilientredis.execution.RedisRedaction;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.ByteArrayCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * The tracking link of the near cache: one dedicated RESP3 connection per connection
 * factory with {@code CLIENT TRACKING ON BCAST PREFIX <prefix>} for the key prefixes of
 * the near-cached caches, through which Redis pushes every key written by any client.
 * Each pushed key evicts the local entry; a null invalidation ({@code FLUSHALL},
 * {@code FLUSHDB}) clears every near-cached cache.
 * <p>
 * A local entry answers a read without Redis only while the link is trusted: tracking is
 * on for the connection, and the last {@code ROLE} answered {@code master} and was sent
 * less than the maximum staleness ago (a reply on the link comes after every invalidation
 * pushed before it). The link asks every third of the maximum staleness. A disconnect, a
 * late reply, a reconnect, a Redis restart (its {@code run_id} changed), a failover or a
 * server that answers as a replica (demoted with {@code REPLICAOF} behind the same
 * address) ends the trust: the connection is replaced, tracking turned on again once the
 * server is a master, and only then are entries read from Redis from that moment on
 * trusted. Entries read before stay as the outage fallback. A user that may not run
 * {@code ROLE} gets one warning, and the link falls back to {@code PING}, without the
 * role check.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class NearCacheTracking implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(NearCacheTracking.class);

	/**
	 * Reasons counted by {@link #getInvalidations()}.
	 */
	static final List<String> REASONS = List.of("key", "flush", "disconnect", "late-ping", "restart", "failover",
			"demoted", "error");

	private static final String MASTER = "master";

	private final LettuceConnectionFactory connectionFactory;

	private final Duration maxStaleness;

	private final long maxStalenessNanos;

	private final TrackedCaches caches = new TrackedCaches();

	private final Map<String, LongAdder> invalidations = new ConcurrentHashMap<>();

	private final Object lifecycleMonitor = new Object();

	private @Nullable ScheduledThreadPoolExecutor executor;

	/**
	 * The epoch under which entries read from Redis are trusted, {@code 0} while the link
	 * is not trusted.
	 */
	private volatile long trustedEpoch;

	/**
	 * When the last answered {@code PING} (or tracking set-up) was sent.
	 */
	private volatile long lastAnsweredAt;

	private volatile boolean resetRequested;

	private volatile boolean closed;

	private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;

	// Only touched by the tracking thread from here on, but for pingOutstanding.

	private long epochs;

	private @Nullable String runId;

	private @Nullable String serverAddress;

	private volatile boolean pingOutstanding;

	/**
	 * Whether the server answered {@code ROLE} as a replica: the connection is kept, and
	 * only asked for its role, until the server is a master again.
	 */
	private volatile boolean demoted;

	/**
	 * Whether the server refused {@code ROLE} to this user: the link is checked with
	 * {@code PING} instead.
	 */
	private volatile boolean roleRefused;

	private volatile long pingSentAt;

	private boolean unsupported;

	/**
	 * Create the tracking link of a connection factory; it connects once the first
	 * near-cached cache registers.
	 * @param connectionFactory the connection factory, standalone or Sentinel
	 * @param maxStaleness the longest a local hit may lag Redis when invalidations stop
	 * arriving
	 */
	public NearCacheTracking(LettuceConnectionFactory connectionFactory, Duration maxStaleness) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.isTrue(maxStaleness != null && !maxStaleness.isNegative() && !maxStaleness.isZero(),
				"'maxStaleness' must be positive");
		this.connectionFactory = connectionFactory;
		this.maxStaleness = maxStaleness;
		this.maxStalenessNanos = maxStaleness.toNanos();
		REASONS.forEach((reason) -> this.invalidations.put(reason, new LongAdder()));
	}

	/**
	 * Return whether local hits are served now: tracking is on and the link answered, as
	 * a master, a {@code ROLE} sent less than the maximum staleness ago.
	 * @return whether local hits are trusted
	 */
	public boolean isTrusted() {
		return trustedEpoch() != FallbackStore.UNTRUSTED;
	}

	/**
	 * Return whether the dedicated tracking connection is open.
	 * @return whether the tracking connection is open
	 */
	public boolean isConnected() {
		StatefulRedisConnection<byte[], byte[]> current = this.connection;
		return current != null && current.isOpen();
	}

	/**
	 * Return the longest a local hit may lag Redis.
	 * @return the maximum staleness
	 */
	public Duration getMaxStaleness() {
		return this.maxStaleness;
	}

	/**
	 * Return how long ago the last answered {@code PING} of the link was sent, or
	 * {@code null} before the first.
	 * @return the age of the last answered ping
	 */
	public @Nullable Duration getLastAnsweredPingAge() {
		long answered = this.lastAnsweredAt;
		return (answered != 0) ? Duration.ofNanos(System.nanoTime() - answered) : null;
	}

	/**
	 * Return the number of invalidations by reason since startup: {@code key} (a key
	 * pushed by Redis), {@code flush} (a null invalidation: every entry), and the losses
	 * of trust that stop local hits: {@code disconnect}, {@code late-ping},
	 * {@code restart}, {@code failover}, {@code demoted} (the server answered as a
	 * replica) and {@code error}.
	 * @return the counts by reason
	 */
	public Map<String, Long> getInvalidations() {
		Map<String, Long> counts = new LinkedHashMap<>();
		REASONS.forEach((reason) -> counts.put(reason, this.invalidations.get(reason).sum()));
		return counts;
	}

	/**
	 * Return the names of the near-cached caches.
	 * @return the cache names
	 */
	public List<String> getCacheNames() {
		return this.caches.names();
	}

	/**
	 * Return the trusted epoch that an entry read from Redis from now on is held under,
	 * and that a held entry must carry to answer a read without Redis.
	 * @return the trusted epoch, {@link FallbackStore#UNTRUSTED} while not trusted
	 */
	long trustedEpoch() {
		long epoch = this.trustedEpoch;
		if (epoch != FallbackStore.UNTRUSTED && System.nanoTime() - this.lastAnsweredAt < this.maxStalenessNanos) {
			return epoch;
		}
		return FallbackStore.UNTRUSTED;
	}

	/**
	 * Track the key prefix of a cache, and start the link with the first.
	 * @param cache the near-cached cache
	 */
	void register(ResilientRedisCache cache) {
		this.caches.add(cache);
		synchronized (this.lifecycleMonitor) {
			if (this.closed) {
				return;
			}
			if (this.executor == null) {
				ScheduledThreadPoolExecutor tracking = new ScheduledThreadPoolExecutor(1, (runnable) -> {
					Thread thread = new Thread(runnable, "resilient-redis-near-cache-tracking");
					thread.setDaemon(true);
					return thread;
				});
				tracking.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
				long interval = Math.max(1, this.maxStaleness.toMillis() / 3);
				tracking.scheduleWithFixedDelay(this::tick, 0, interval, TimeUnit.MILLISECONDS);
				this.executor = tracking;
			}
			else {
				runSoon();
			}
		}
	}

	private void runSoon() {
		ScheduledThreadPoolExecutor tracking = this.executor;
		if (tracking != null) {
			try {
				tracking.execute(this::tick);
			}
			catch (RejectedExecutionException ex) {
				// Closed
			}
		}
	}

	/**
	 * One step of the link, on the tracking thread only: (re)connect and set tracking up
	 * when needed, track new prefixes, check the last {@code PING} and send the next.
	 */
	private void tick() {
		if (this.closed || this.unsupported) {
			return;
		}
		try {
			StatefulRedisConnection<byte[], byte[]> current = this.connection;
			if (this.demoted && current != null && current.isOpen() && !this.resetRequested) {
				// Asked again until it is a master, then tracked on a new connection.
				if (isMaster(current)) {
					this.demoted = false;
					reconnect();
				}
				return;
			}
			if (current == null || this.resetRequested || !current.isOpen()
					|| this.trustedEpoch == FallbackStore.UNTRUSTED) {
				if (current != null && this.trustedEpoch != FallbackStore.UNTRUSTED) {
					distrust("disconnect");
				}
				reconnect();
				return;
			}
			// A PING unanswered for the maximum staleness: the link may be silently
			// dropped. (A tracking thread that could not run in time only lets the trust
			// lapse until the next answer: no invalidation is lost on a live connection.)
			if (this.pingOutstanding && System.nanoTime() - this.pingSentAt >= this.maxStalenessNanos) {
				distrust("late-ping");
				reconnect();
				return;
			}
			List<byte[]> untracked = this.caches.untracked();
			if (!untracked.isEmpty()) {
				// Entries of a newly tracked cache read before its prefix was tracked
				// must not be trusted: a new epoch.
				long sentAt = System.nanoTime();
				track(current, untracked);
				this.lastAnsweredAt = sentAt;
				this.trustedEpoch = ++this.epochs;
				return;
			}
			ping(current);
		}
		catch (RuntimeException ex) {
			distrust("error");
			this.resetRequested = true;
			if (logger.isDebugEnabled()) {
				logger.debug(RedisRedaction
					.redact("Near cache tracking link failed, local hits stop until it is set " + "up again: " + ex));
			}
		}
	}

	private void ping(StatefulRedisConnection<byte[], byte[]> current) {
		if (this.pingOutstanding) {
			return;
		}
		long sentAt = System.nanoTime();
		this.pingSentAt = sentAt;
		this.pingOutstanding = true;
		long epoch = this.trustedEpoch;
		CompletionStage<Boolean> answer = this.roleRefused ? current.async().ping().thenApply((pong) -> true)
				: current.async().role().thenApply(NearCacheTracking::isMaster);
		answer.whenComplete((master, failure) -> {
			if (this.connection != current) {
				return;
			}
			this.pingOutstanding = false;
			if (failure != null && isRoleRefused(failure)) {
				roleRefused();
			}
			else if (failure != null) {
				// Timed out or failed: a PING that never came back in time.
				this.resetRequested = true;
				distrust("late-ping");
			}
			else if (!master) {
				// A replica now (REPLICAOF behind the same address): what it serves may
				// lag its master, whose writes it does not all invalidate in time.
				this.demoted = true;
				distrust("demoted");
				logger.warn("Near cache tracking: Redis answers ROLE as a replica; local hits stop until it is a "
						+ "master again");
			}
			else if (this.trustedEpoch == epoch && sentAt - this.lastAnsweredAt > 0) {
				// Invalidations pushed before the reply have been applied: the link is
				// current up to the moment the PING was sent.
				this.lastAnsweredAt = sentAt;
			}
		});
	}

	private void reconnect() {
		this.trustedEpoch = FallbackStore.UNTRUSTED;
		this.demoted = false;
		closeConnection();
		this.resetRequested = false;
		this.pingOutstanding = false;
		AbstractRedisClient nativeClient = this.connectionFactory.getNativeClient();
		Assert.state(nativeClient != null, "The connection factory is not started");
		if (!(nativeClient instanceof RedisClient client)) {
			this.unsupported = true;
			logger.warn("Near cache tracking needs a standalone or Sentinel Redis client; local hits are off");
			return;
		}
		StatefulRedisConnection<byte[], byte[]> created = client.connect(ByteArrayCodec.INSTANCE);
		created.addListener((PushListener) this::onPush);
		created.addListener(new RedisConnectionStateListener() {
			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
				onDisconnected(created);
			}
		});
		this.connection = created;
		long sentAt = System.nanoTime();
		String clientInfo = created.sync().clientInfo();
		if (!clientInfo.contains(" resp=3")) {
			this.unsupported = true;
			closeConnection();
			logger.warn("Near cache tracking needs RESP3 (Redis 6 or later, and no protocol version 2 in the client "
					+ "options); local hits are off");
			return;
		}
		String address = field(clientInfo, "laddr");
		String newRunId = field(created.sync().info("server"), "run_id");
		this.caches.connectionReplaced();
		track(created, this.caches.untracked());
		if (this.runId != null && newRunId != null && !this.runId.equals(newRunId)) {
			boolean failover = address != null && !address.equals(this.serverAddress);
			count(failover ? "failover" : "restart");
			logger.info("Near cache tracking: Redis " + (failover ? "failed over" : "restarted")
					+ " (its run_id changed); entries read before are kept only as the outage fallback");
		}
		this.runId = newRunId;
		this.serverAddress = address;
		if (this.connection != created || this.resetRequested) {
			// Lost while setting up: try again on the next tick.
			return;
		}
		if (!isMaster(created)) {
			// Asked again on every tick; tracked on a new connection once a master.
			this.demoted = true;
			return;
		}
		this.lastAnsweredAt = sentAt;
		this.trustedEpoch = ++this.epochs;
		if (this.resetRequested) {
			// Disconnected meanwhile (see onDisconnected: it requests the reset first).
			this.trustedEpoch = FallbackStore.UNTRUSTED;
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Near cache tracking is on for caches " + this.caches.names() + "; local hits are served");
		}
	}

	private void track(StatefulRedisConnection<byte[], byte[]> current, List<byte[]> prefixes) {
		if (prefixes.isEmpty()) {
			return;
		}
		TrackingArgs args = TrackingArgs.Builder.enabled().bcast();
		boolean all = prefixes.stream().anyMatch((prefix) -> prefix.length == 0);
		if (!all) {
			args.prefixes(StandardCharsets.ISO_8859_1,
					prefixes.stream()
						.map((prefix) -> new String(prefix, StandardCharsets.ISO_8859_1))
						.toArray(String[]::new));
		}
		current.sync().clientTracking(args);
		this.caches.tracking(prefixes);
	}

	private void onDisconnected(StatefulRedisConnection<byte[], byte[]> disconnected) {
		if (this.connection == disconnected && !this.closed) {
			this.resetRequested = true;
			distrust("disconnect");
			runSoon();
		}
	}

	private void onPush(PushMessage message) {
		int invalidated = this.caches.invalidate(message);
		if (invalidated < 0) {
			count("flush");
		}
		else if (invalidated > 0) {
			this.invalidations.get("key").add(invalidated);
		}
	}

	/**
	 * Return whether the server of the connection answers {@code ROLE} as a master, or
	 * refuses {@code ROLE} to this user.
	 * @param current the tracking connection
	 * @return whether it is a master
	 */
	private boolean isMaster(StatefulRedisConnection<byte[], byte[]> current) {
		if (this.roleRefused) {
			return true;
		}
		try {
			return isMaster(current.sync().role());
		}
		catch (RedisCommandExecutionException ex) {
			if (!isRoleRefused(ex)) {
				throw ex;
			}
			roleRefused();
			return true;
		}
	}

	private static boolean isMaster(List<Object> role) {
		Object name = role.isEmpty() ? null : role.get(0);
		if (name instanceof byte[] bytes) {
			name = new String(bytes, StandardCharsets.US_ASCII);
		}
		return MASTER.equals(name);
	}

	private static boolean isRoleRefused(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return cause instanceof RedisCommandExecutionException && cause.getMessage() != null
				&& cause.getMessage().startsWith("NOPERM");
	}

	private void roleRefused() {
		if (!this.roleRefused) {
			this.roleRefused = true;
			logger.warn("Near cache tracking: this Redis user may not run ROLE; the tracking connection is checked "
					+ "with PING, and a server demoted to a replica behind the same address keeps answering local "
					+ "hits");
		}
	}

	private void distrust(String reason) {
		if (this.trustedEpoch != FallbackStore.UNTRUSTED) {
			this.trustedEpoch = FallbackStore.UNTRUSTED;
			count(reason);
			if (logger.isDebugEnabled()) {
				logger.debug("Near cache tracking link lost (" + reason + "): local hits stop until tracking is set "
						+ "up again");
			}
		}
	}

	private void count(String reason) {
		this.invalidations.get(reason).increment();
	}

	private void closeConnection() {
		StatefulRedisConnection<byte[], byte[]> current = this.connection;
		this.connection = null;
		// The connection factory may have shut its client down first, closing it.
		if (current != null && !(current instanceof RedisChannelHandler<?, ?> handler && handler.isClosed())) {
			current.closeAsync();
		}
	}

	private static @Nullable String field(@Nullable String text, String name) {
		if (text == null) {
			return null;
		}
		for (String token : text.split("[\\s]+")) {
			if (token.startsWith(name + "=")) {
				return token.substring(name.length() + 1);
			}
			if (token.startsWith(name + ":")) {
				return token.substring(name.length() + 1);
			}
		}
		return null;
	}

	@Override
	public void close() {
		synchronized (this.lifecycleMonitor) {
			this.closed = true;
			this.trustedEpoch = FallbackStore.UNTRUSTED;
			if (this.executor != null) {
				this.executor.shutdownNow();
			}
		}
		closeConnection();
	}

}

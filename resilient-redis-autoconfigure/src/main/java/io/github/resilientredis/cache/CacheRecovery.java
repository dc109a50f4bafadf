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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisErrorClassifier;
import io.github.resilientredis.execution.RedisRedaction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.cache.RedisCacheWriter;

/**
 * Brings the caches of one {@link ResilientRedisCacheManager} back to Redis after an
 * outage, on a thread of its own so that no caller ever waits on a Redis that is down.
 * <p>
 * It keeps the {@link InvalidationJournal} of what was written while Redis could not take
 * it. Once the breaker has waited in the open state, the recovery thread (not a caller)
 * makes the call that turns it half-open, deletes the journaled keys, clears the
 * journaled caches, and probes Redis through the breaker until it closes or opens again:
 * a {@code PING} and, unless Redis is a cluster, a {@code ROLE} that must answer
 * {@code master} (see {@link CacheRecoveryProbe}). A (re)established connection makes it
 * probe at once.
 *
 * @author resilient-redis contributors
 */
final class CacheRecovery implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(CacheRecovery.class);

	private static final int DELETE_BATCH_SIZE = 100;

	private static final long PROBE_DELAY_MILLIS = 50;

	private final RedisCommandExecutor executor;

	private final CircuitBreaker circuitBreaker;

	private final RedisErrorClassifier classifier;

	private final RedisCacheWriter cacheWriter;

	private final CacheRecoveryProbe probe;

	private final InvalidationJournal journal;

	private final Map<String, byte[]> clearPatterns = new ConcurrentHashMap<>();

	private final ScheduledExecutorService recoveryExecutor;

	private final Object recoveryLock = new Object();

	private @Nullable ScheduledFuture<?> scheduledRecovery;

	private long scheduledRecoveryDue;

	private final AtomicBoolean overflowWarned = new AtomicBoolean();

	private final AtomicLong replays = new AtomicLong();

	private final AtomicLong replayedKeys = new AtomicLong();

	private final long waitInOpenStateMillis;

	private volatile boolean closed;

	CacheRecovery(RedisCommandExecutor executor, CircuitBreaker circuitBreaker, RedisErrorClassifier classifier,
			RedisCacheWriter cacheWriter, int journalMaxSize) {
		this.executor = executor;
		this.circuitBreaker = circuitBreaker;
		this.classifier = classifier;
		this.cacheWriter = cacheWriter;
		this.probe = new CacheRecoveryProbe(classifier);
		this.journal = new InvalidationJournal(journalMaxSize);
		this.waitInOpenStateMillis = Math.max(10,
				circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
		ScheduledThreadPoolExecutor recovery = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "resilient-redis-cache-recovery");
			thread.setDaemon(true);
			return thread;
		});
		recovery.setRemoveOnCancelPolicy(true);
		recovery.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.recoveryExecutor = recovery;
		circuitBreaker.getEventPublisher().onStateTransition(this::onStateTransition);
	}

	/**
	 * Tell the recovery how a journaled clear of a cache is replayed.
	 * @param cacheName the name of the cache
	 * @param clearPattern the serialized pattern of all its keys
	 */
	void register(String cacheName, byte[] clearPattern) {
		this.clearPatterns.put(cacheName, clearPattern);
	}

	/**
	 * Return whether an invalidation of the key is waiting to be replayed, in which case
	 * Redis may still hold an older value and the key is read locally; asks for a replay.
	 * @param cacheName the name of the cache
	 * @param binaryKey the serialized key
	 * @return whether the key is journaled
	 */
	boolean isPending(String cacheName, byte[] binaryKey) {
		if (this.journal.isEmpty()) {
			return false;
		}
		if (this.journal.isPending(cacheName, binaryKey)) {
			scheduleRecovery(0);
			return true;
		}
		return false;
	}

	boolean hasPendingInvalidations() {
		return !this.journal.isEmpty();
	}

	/**
	 * Record a key that Redis may hold an outdated value for, to be deleted there before
	 * Redis serves it again.
	 * @param cacheName the name of the cache
	 * @param binaryKey the serialized key
	 */
	void journal(String cacheName, byte[] binaryKey) {
		if (this.journal.record(cacheName, binaryKey) && this.overflowWarned.compareAndSet(false, true)) {
			logger.warn("Redis cache invalidation journal is full: the caches written while Redis is unavailable "
					+ "will be cleared in Redis when it returns, instead of deleting single keys");
		}
		scheduleRecovery(0);
	}

	/**
	 * Record a cache to be cleared in Redis before Redis serves it again.
	 * @param cacheName the name of the cache
	 */
	void journalClear(String cacheName) {
		this.journal.recordClear(cacheName);
		scheduleRecovery(0);
	}

	/**
	 * Record writes that Redis acknowledged and may have forgotten (it restarted from
	 * older persistence, or a lagging replica took over), to be deleted there before
	 * Redis serves them again: the replay of the writes that Redis forgets goes through
	 * the journal, like the writes of an outage.
	 * @param replay the keys to delete and the caches to clear
	 */
	void journalForgotten(RecentWrites.Replay replay) {
		replay.clears().forEach(this.journal::recordClear);
		replay.keysByCache().forEach((cacheName, keys) -> keys.forEach((key) -> {
			if (this.journal.record(cacheName, key) && this.overflowWarned.compareAndSet(false, true)) {
				logger.warn("Redis cache invalidation journal is full: the caches whose writes Redis may have "
						+ "forgotten will be cleared in Redis, instead of deleting single keys");
			}
		}));
		scheduleRecovery(0);
	}

	int journalSize() {
		return this.journal.size();
	}

	long journalOverflows() {
		return this.journal.getOverflows();
	}

	long journalReplays() {
		return this.replays.get();
	}

	long replayedKeys() {
		return this.replayedKeys.get();
	}

	/**
	 * Run a task on the recovery thread, for work that must not block the thread that
	 * completed a Redis future.
	 * @param task the task
	 */
	void runInBackground(Runnable task) {
		try {
			this.recoveryExecutor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Closed: nothing left to do.
		}
	}

	/**
	 * A connection to Redis was (re)established: probe at once rather than after the rest
	 * of the breaker's wait in the open state.
	 */
	void connectionActivated() {
		if (this.closed || this.circuitBreaker.getState() != State.OPEN) {
			return;
		}
		try {
			this.circuitBreaker.transitionToHalfOpenState();
		}
		catch (IllegalStateTransitionException ex) {
			// Another thread moved it first.
		}
	}

	private void onStateTransition(CircuitBreakerOnStateTransitionEvent event) {
		State toState = event.getStateTransition().getToState();
		if (toState == State.OPEN) {
			scheduleRecovery(this.waitInOpenStateMillis);
		}
		else if (toState == State.HALF_OPEN || (toState == State.CLOSED && !this.journal.isEmpty())) {
			scheduleRecovery(0);
		}
	}

	/**
	 * Schedule a recovery attempt, unless one is due at least as soon.
	 * @param delayMillis the delay before the attempt
	 */
	private void scheduleRecovery(long delayMillis) {
		if (this.closed) {
			return;
		}
		long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
		synchronized (this.recoveryLock) {
			ScheduledFuture<?> pending = this.scheduledRecovery;
			if (pending != null && !pending.isDone()) {
				if (this.scheduledRecoveryDue - due <= 0) {
					return;
				}
				pending.cancel(false);
			}
			try {
				this.scheduledRecovery = this.recoveryExecutor.schedule(this::recover, delayMillis,
						TimeUnit.MILLISECONDS);
				this.scheduledRecoveryDue = due;
			}
			catch (RejectedExecutionException ex) {
				this.scheduledRecovery = null;
			}
		}
	}

	/**
	 * Replay the journal and, while the breaker is half-open, probe Redis until it closes
	 * or opens again. Runs on the recovery thread only.
	 */
	private void recover() {
		synchronized (this.recoveryLock) {
			// This run is under way: a request from now on schedules another one.
			this.scheduledRecovery = null;
		}
		while (!this.closed) {
			State state = this.circuitBreaker.getState();
			boolean pending = !this.journal.isEmpty();
			if ((state == State.CLOSED && !pending)
					|| (state != State.CLOSED && state != State.HALF_OPEN && state != State.OPEN)) {
				// Nothing to replay, or the breaker is disabled or forced.
				return;
			}
			try {
				if (state != State.OPEN && pending) {
					replay();
				}
				else {
					// While open, the first call after the wait turns the breaker
					// half-open; a replica fails the probe.
					this.executor.execute("PING", () -> this.cacheWriter.execute(this.probe::probe));
				}
			}
			catch (RuntimeException ex) {
				State after = this.circuitBreaker.getState();
				if (logger.isTraceEnabled() || (logger.isDebugEnabled() && after != State.OPEN)) {
					logger.debug(RedisRedaction.redact("Redis cache recovery attempt failed (error_type="
							+ this.classifier.errorType(ex) + ", circuit_breaker_state=" + after + ")"));
				}
				if (after == State.HALF_OPEN || after == State.OPEN) {
					scheduleRecovery(PROBE_DELAY_MILLIS);
				}
				else if (after == State.CLOSED && !this.journal.isEmpty()) {
					scheduleRecovery(this.waitInOpenStateMillis);
				}
				return;
			}
		}
	}

	private void replay() {
		InvalidationJournal.Snapshot snapshot = this.journal.snapshot();
		if (snapshot.isEmpty()) {
			return;
		}
		long start = System.nanoTime();
		for (String cacheName : snapshot.clears().keySet()) {
			byte[] pattern = this.clearPatterns.get(cacheName);
			if (pattern != null) {
				this.executor.execute("CLEAR " + cacheName, () -> this.cacheWriter.invalidate(cacheName, pattern));
			}
		}
		snapshot.keysByCache().forEach((cacheName, entries) -> {
			List<byte[]> keys = new ArrayList<>(entries.size());
			entries.forEach((entry) -> keys.add(entry.getKey()));
			for (int from = 0; from < keys.size(); from += DELETE_BATCH_SIZE) {
				byte[][] batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH_SIZE))
					.toArray(new byte[0][]);
				this.executor.execute("DEL " + cacheName,
						() -> this.cacheWriter.execute((connection) -> connection.keyCommands().del(batch)));
			}
		});
		this.journal.remove(snapshot);
		this.replays.incrementAndGet();
		this.replayedKeys.addAndGet(snapshot.keyCount());
		if (this.journal.isEmpty()) {
			this.overflowWarned.set(false);
		}
		if (logger.isInfoEnabled()) {
			logger.info("Redis cache recovery: deleted " + snapshot.keyCount() + " keys and cleared "
					+ snapshot.clears().size() + " caches written while Redis was unavailable, in "
					+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms; " + (this.journal.isEmpty()
							? "reads are served from Redis again" : this.journal.size() + " more recorded meanwhile"));
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.recoveryExecutor.shutdownNow();
	}

}

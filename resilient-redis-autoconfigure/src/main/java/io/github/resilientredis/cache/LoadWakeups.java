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

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Wakes the callers that wait for another instance's load of a key: one subscription to
 * the {@link LoadLeases#CHANNEL load channel} per cache manager, on which a lease's end
 * publishes its key. Spring's {@link RedisMessageListenerContainer} holds the
 * subscription and subscribes again after a lost connection; a message published while it
 * was not subscribed is lost, which is why a waiter never waits longer than the lease's
 * remaining time, and waits in short steps while the subscription is not confirmed.
 *
 * @author resilient-redis contributors
 */
final class LoadWakeups implements MessageListener {

	private static final Log logger = LogFactory.getLog(LoadWakeups.class);

	private final RedisConnectionFactory connectionFactory;

	private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();

	private final ScheduledExecutorService subscriber;

	private final AtomicBoolean starting = new AtomicBoolean();

	/** Whether the subscription is stopped, until started again: no wait subscribes. */
	private volatile boolean stopped;

	private final Map<ByteBuffer, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();

	LoadWakeups(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.subscriber = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "resilient-redis-load-wakeups");
			thread.setDaemon(true);
			return thread;
		});
		this.container.setConnectionFactory(connectionFactory);
		// Messages only complete futures: they are handled on the thread that reads them.
		this.container.setTaskExecutor(Runnable::run);
		// Recovery of a lost subscription is scheduled here, never slept on a caller.
		this.container.setSubscriptionExecutor(this.subscriber);
		ExponentialBackOff backOff = new ExponentialBackOff(100, 2);
		backOff.setMaxInterval(5_000);
		this.container.setRecoveryBackoff(backOff);
		this.container.setErrorHandler((ex) -> logger.debug("Redis cache loads: the wake-up subscription failed", ex));
		this.container.addMessageListener(this, new ChannelTopic(LoadLeases.CHANNEL));
		this.container.setBeanName("resilient-redis-load-wakeups");
		this.container.afterPropertiesSet();
	}

	/**
	 * Register a waiter for the end of the key's lease, before the lease is asked for, so
	 * that no wake-up falls between the answer and the wait.
	 * @param binaryKey the serialized key of the value
	 * @return the waiter, to be closed
	 */
	Waiter register(byte[] binaryKey) {
		listen();
		ByteBuffer key = ByteBuffer.wrap(binaryKey);
		CompletableFuture<Void> wakeUp = new CompletableFuture<>();
		this.waiters.compute(key, (k, set) -> {
			Set<CompletableFuture<Void>> waiting = (set != null) ? set : ConcurrentHashMap.newKeySet();
			waiting.add(wakeUp);
			return waiting;
		});
		return new Waiter(this, key, wakeUp);
	}

	/**
	 * Return whether the subscription is confirmed, so that a waiter can rely on being
	 * woken.
	 * @return whether wake-ups are received
	 */
	boolean isListening() {
		return this.container.isListening();
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		byte[] body = message.getBody();
		int glob = globStart(body);
		if (glob < 0) {
			Set<CompletableFuture<Void>> waiting = this.waiters.get(ByteBuffer.wrap(body));
			if (waiting != null) {
				waiting.forEach((wakeUp) -> wakeUp.complete(null));
			}
			return;
		}
		// A clear: every key of its pattern's literal prefix.
		ByteBuffer prefix = ByteBuffer.wrap(body, 0, glob);
		this.waiters.forEach((key, waiting) -> {
			if (key.remaining() >= glob && key.duplicate().limit(glob).equals(prefix)) {
				waiting.forEach((wakeUp) -> wakeUp.complete(null));
			}
		});
	}

	private static int globStart(byte[] body) {
		for (int i = 0; i < body.length; i++) {
			byte b = body[i];
			if (b == '*' || b == '?' || b == '[' || b == '\\') {
				return i;
			}
		}
		return -1;
	}

	// Subscribe once, on the subscriber's thread: the container waits for the
	// subscription, and a caller must not.
	private void listen() {
		if (this.stopped || this.container.isListening() || !this.starting.compareAndSet(false, true)) {
			return;
		}
		try {
			this.subscriber.execute(() -> {
				try {
					this.container.start();
				}
				catch (RuntimeException ex) {
					logger.debug("Redis cache loads: could not subscribe to the wake-up channel yet", ex);
				}
				finally {
					this.starting.set(false);
				}
			});
		}
		catch (RuntimeException ex) {
			// Shut down: waiters wait for the lease's remaining time.
			this.starting.set(false);
		}
	}

	/**
	 * Allow waits to subscribe again after {@link #stop()}.
	 */
	void start() {
		this.stopped = false;
	}

	/**
	 * Unsubscribe, before the connection factory stops: waiters then wait for the leases'
	 * remaining time.
	 */
	void stop() {
		this.stopped = true;
		if (this.connectionFactory instanceof SmartLifecycle lifecycle && !lifecycle.isRunning()) {
			// It closed the subscription's connection with its own.
			return;
		}
		try {
			this.container.stop();
		}
		catch (RuntimeException ex) {
			logger.debug("Redis cache loads: could not stop the wake-up subscription", ex);
		}
	}

	/**
	 * Stop the subscription for good.
	 */
	void close() {
		stop();
		this.subscriber.shutdownNow();
	}

	/**
	 * A caller waiting for the end of a key's lease.
	 */
	static final class Waiter implements AutoCloseable {

		private final LoadWakeups wakeups;

		private final ByteBuffer key;

		private final CompletableFuture<Void> wakeUp;

		private Waiter(LoadWakeups wakeups, ByteBuffer key, CompletableFuture<Void> wakeUp) {
			this.wakeups = wakeups;
			this.key = key;
			this.wakeUp = wakeUp;
		}

		/**
		 * Wait for the wake-up, at most the given time.
		 * @param timeout the longest wait
		 * @return whether the waiter was woken
		 */
		boolean await(Duration timeout) {
			try {
				this.wakeUp.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
				return true;
			}
			catch (TimeoutException | ExecutionException ex) {
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

		@Override
		public void close() {
			this.wakeups.waiters.computeIfPresent(this.key, (k, waiting) -> {
				waiting.remove(this.wakeUp);
				return waiting.isEmpty() ? null : waiting;
			});
		}

	}

}

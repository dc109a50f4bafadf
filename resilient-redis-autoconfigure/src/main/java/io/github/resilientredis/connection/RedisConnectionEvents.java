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

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.event.Event;
import io.lettuce.core.event.EventBus;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.event.connection.DisconnectedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import reactor.core.Disposable;

import org.springframework.beans.factory.DisposableBean;

/**
 * Counts the connection events Lettuce publishes on the {@link EventBus} of its client
 * resources: reconnect attempts and failures, connections established and lost, and the
 * connections active right now.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisConnectionEvents implements DisposableBean {

	private final AtomicLong reconnectAttempts = new AtomicLong();

	private final AtomicLong reconnectFailures = new AtomicLong();

	private final AtomicLong connects = new AtomicLong();

	private final AtomicLong disconnects = new AtomicLong();

	private final AtomicInteger active = new AtomicInteger();

	private final Disposable subscription;

	/**
	 * Create a new instance that listens to the given event bus until it is destroyed.
	 * @param eventBus the event bus of Lettuce's client resources
	 */
	public RedisConnectionEvents(EventBus eventBus) {
		this.subscription = eventBus.get().subscribe(this::onEvent);
	}

	void onEvent(Event event) {
		if (event instanceof ReconnectAttemptEvent) {
			this.reconnectAttempts.incrementAndGet();
		}
		else if (event instanceof ReconnectFailedEvent) {
			this.reconnectFailures.incrementAndGet();
		}
		else if (event instanceof ConnectionActivatedEvent) {
			this.connects.incrementAndGet();
			this.active.incrementAndGet();
		}
		else if (event instanceof ConnectionDeactivatedEvent) {
			this.active.updateAndGet((count) -> Math.max(0, count - 1));
		}
		else if (event instanceof DisconnectedEvent) {
			this.disconnects.incrementAndGet();
		}
	}

	/**
	 * Return the number of reconnect attempts made so far.
	 * @return the number of reconnect attempts
	 */
	public long getReconnectAttempts() {
		return this.reconnectAttempts.get();
	}

	/**
	 * Return the number of reconnect attempts that failed.
	 * @return the number of failed reconnect attempts
	 */
	public long getReconnectFailures() {
		return this.reconnectFailures.get();
	}

	/**
	 * Return the number of connections activated (connected and ready for commands),
	 * including the reconnected ones.
	 * @return the number of connections activated
	 */
	public long getConnects() {
		return this.connects.get();
	}

	/**
	 * Return the number of times a connection was lost or closed.
	 * @return the number of disconnects
	 */
	public long getDisconnects() {
		return this.disconnects.get();
	}

	/**
	 * Return the number of connections that are active right now.
	 * @return the number of active connections
	 */
	public int getActiveConnections() {
		return this.active.get();
	}

	@Override
	public void destroy() {
		this.subscription.dispose();
	}

}

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

import org.springframework.context.ApplicationEvent;

/**
 * Published when the Redis server behind the application's connections turns out, after a
 * reconnect, not to be a {@link RedisServerIdentity#isContinuationOf continuation} of the
 * one before: it restarted, or another server took over. Writes the earlier server
 * acknowledged may be lost, for example after a restart from an older RDB snapshot or a
 * failover to a replica that had not received them. The starter's cache has already
 * recorded its recent writes for replay when this event is published; listen to it to
 * repair data of your own.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisServerChangedEvent extends ApplicationEvent {

	private final RedisServerIdentity previous;

	private final RedisServerIdentity current;

	private final long connectionLostNanoTime;

	/**
	 * Create a new event.
	 * @param source the {@link RedisServerWatch} that saw the change
	 * @param previous the server seen before
	 * @param current the server seen now
	 * @param connectionLostNanoTime the {@link System#nanoTime()} at which the first
	 * connection to the previous server was lost, or when the change was seen if no
	 * connection was lost
	 */
	public RedisServerChangedEvent(Object source, RedisServerIdentity previous, RedisServerIdentity current,
			long connectionLostNanoTime) {
		super(source);
		this.previous = previous;
		this.current = current;
		this.connectionLostNanoTime = connectionLostNanoTime;
	}

	/**
	 * Return the server seen before.
	 * @return the previous identity
	 */
	public RedisServerIdentity getPrevious() {
		return this.previous;
	}

	/**
	 * Return the server seen now.
	 * @return the current identity
	 */
	public RedisServerIdentity getCurrent() {
		return this.current;
	}

	/**
	 * Return the {@link System#nanoTime()} at which the first connection to the previous
	 * server was lost: the writes it acknowledged shortly before are those at risk.
	 * @return the monotonic time of the connection loss
	 */
	public long getConnectionLostNanoTime() {
		return this.connectionLostNanoTime;
	}

	@Override
	public String toString() {
		return "RedisServerChangedEvent[" + this.current.describeChangeFrom(this.previous) + "]";
	}

}

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

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;

import org.springframework.util.Assert;

/**
 * {@link NettyCustomizer} that adds a heartbeat to every Redis connection: when a
 * connection has received nothing for the configured interval, a {@code PING} is sent
 * through it; when that {@code PING} does not complete within the timeout, the connection
 * is closed so that Lettuce reconnects it.
 * <p>
 * This catches what TCP alone notices only after many minutes: a managed Redis that
 * silently dropped an idle connection, or a network that drops packets without a reset.
 * It works on every transport, native or not. Installed on each connection by
 * {@link RedisConnections}, in the one handler it adds; used alone as a
 * {@link NettyCustomizer}, it keeps a registry of its own.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class HeartbeatNettyCustomizer implements NettyCustomizer {

	private final Duration interval;

	private final Duration timeout;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final RedisConnections.Attachment connections = new RedisConnections.Attachment(
			() -> new RedisConnections(null, this, null));

	/**
	 * Create a new customizer.
	 * @param interval time without any data received after which a {@code PING} is sent
	 * @param timeout time the {@code PING} may take before the connection is closed
	 */
	public HeartbeatNettyCustomizer(Duration interval, Duration timeout) {
		Assert.isTrue(interval.toMillis() > 0, "'interval' must be positive");
		Assert.isTrue(timeout.toMillis() > 0, "'timeout' must be positive");
		this.interval = interval;
		this.timeout = timeout;
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		connections().afterChannelInitialized(channel);
	}

	/**
	 * Send a heartbeat {@code PING} through every open connection now, without waiting
	 * for it to be idle, and close those that do not answer within the timeout. Called
	 * when Redis stops answering commands, so that a connection behind a silent partition
	 * is replaced by a new one instead of waiting for TCP retransmissions.
	 */
	public void checkNow() {
		connections().checkNow();
	}

	void attach(RedisConnections connections) {
		this.connections.attach(connections);
	}

	private RedisConnections connections() {
		return this.connections.get();
	}

	void pingSent() {
		this.sent.incrementAndGet();
	}

	void pingFailed() {
		this.failed.incrementAndGet();
	}

	/**
	 * Return the time a {@code PING} may take before the connection is closed.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Return the interval after which an idle connection is pinged.
	 * @return the interval
	 */
	public Duration getInterval() {
		return this.interval;
	}

	/**
	 * Return the number of heartbeat {@code PING}s sent so far.
	 * @return the number of heartbeats sent
	 */
	public long getHeartbeatsSent() {
		return this.sent.get();
	}

	/**
	 * Return the number of heartbeat {@code PING}s that failed or timed out, each of
	 * which closed its connection.
	 * @return the number of failed heartbeats
	 */
	public long getHeartbeatFailures() {
		return this.failed.get();
	}

}

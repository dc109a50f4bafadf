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

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import org.springframework.util.Assert;

/**
 * {@link NettyCustomizer} that adds a heartbeat to every Redis connection: when a
 * connection has received nothing for the configured interval, a {@code PING} is sent
 * through it; when that {@code PING} does not complete within the timeout, the connection
 * is closed so that Lettuce reconnects it.
 * <p>
 * This catches what TCP alone notices only after many minutes: a managed Redis that
 * silently dropped an idle connection, or a network that drops packets without a reset.
 * It works on every transport, native or not.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class HeartbeatNettyCustomizer implements NettyCustomizer {

	private final Duration interval;

	private final Duration timeout;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final ChannelGroup channels = new DefaultChannelGroup("resilient-redis", GlobalEventExecutor.INSTANCE);

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
		channel.pipeline()
			.addLast("resilientRedisIdleState",
					new IdleStateHandler(this.interval.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
			.addLast("resilientRedisHeartbeat", new HeartbeatHandler(this.timeout, this.sent, this.failed));
		// Closed channels leave the group on their own.
		this.channels.add(channel);
	}

	/**
	 * Send a heartbeat {@code PING} through every open connection now, without waiting
	 * for it to be idle, and close those that do not answer within the timeout. Called
	 * when Redis stops answering commands, so that a connection behind a silent partition
	 * is replaced by a new one instead of waiting for TCP retransmissions.
	 */
	public void checkNow() {
		for (Channel channel : this.channels) {
			channel.pipeline().fireUserEventTriggered(HeartbeatHandler.CHECK_NOW);
		}
	}

	/**
	 * Close every open connection to the given server now, so that Lettuce reconnects it,
	 * asking the sentinels for the master again. Called when the sentinels report that
	 * the server is no longer the master: a connection to a master that went silent would
	 * otherwise wait for its commands to time out and its heartbeat to fail.
	 * @param host the host or address of the server, as the sentinels report it
	 * @param port the port of the server
	 * @return the number of connections closed
	 */
	public int closeConnectionsTo(String host, int port) {
		int closed = 0;
		for (Channel channel : this.channels) {
			if (channel.remoteAddress() instanceof InetSocketAddress remote && remote.getPort() == port
					&& (host.equals(remote.getHostString())
							|| (remote.getAddress() != null && host.equals(remote.getAddress().getHostAddress())))) {
				channel.close();
				closed++;
			}
		}
		return closed;
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

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
import java.net.SocketAddress;
import java.util.List;
import java.util.function.Supplier;

import io.lettuce.core.protocol.ConnectionWatchdog;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;

/**
 * The application's Redis connections: a {@link NettyCustomizer} that keeps one registry
 * of every connection Lettuce opens and gives each connection one handler for all the
 * features that watch a connection: the {@link HeartbeatNettyCustomizer heartbeat}, the
 * {@link ReadOnlyReplyNettyCustomizer READONLY watch} and the {@link RedisServerWatch
 * server watch}, whichever are given. A command passes one extra handler on its way out
 * and its reply none; closed connections leave the registry on their own.
 * <p>
 * The registry serves the features and the {@link SentinelMasterSwitchListener}: a check
 * of every connection when Redis stops answering, the close of every connection to a
 * server that was demoted or replaced.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class RedisConnections implements NettyCustomizer {

	static final String HANDLER_NAME = "resilientRedis";

	private final ChannelGroup channels = new DefaultChannelGroup("resilient-redis", GlobalEventExecutor.INSTANCE);

	private final @Nullable RedisServerWatch serverWatch;

	private final @Nullable HeartbeatNettyCustomizer heartbeat;

	private final @Nullable ReadOnlyReplyNettyCustomizer readOnlyReply;

	/**
	 * Create the registry of the connections, with the features each connection gets.
	 * @param serverWatch the watch of the Redis server, or {@code null}
	 * @param heartbeat the heartbeat, or {@code null}
	 * @param readOnlyReply the watch of {@code READONLY} replies, or {@code null}
	 */
	public RedisConnections(@Nullable RedisServerWatch serverWatch, @Nullable HeartbeatNettyCustomizer heartbeat,
			@Nullable ReadOnlyReplyNettyCustomizer readOnlyReply) {
		this.serverWatch = serverWatch;
		this.heartbeat = heartbeat;
		this.readOnlyReply = readOnlyReply;
		if (heartbeat != null) {
			heartbeat.attach(this);
		}
		if (readOnlyReply != null) {
			readOnlyReply.attach(this);
		}
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		ChannelHandlerContext watchdog = pipeline.context(ConnectionWatchdog.class);
		RedisServerWatch watch = this.serverWatch;
		boolean watched = watch != null && watchdog != null && watch.isWatching();
		RedisConnectionHandler handler = new RedisConnectionHandler(channel, this.heartbeat, this.readOnlyReply,
				watched ? watch : null, watched ? (ConnectionWatchdog) watchdog.handler() : null);
		if (watchdog != null) {
			// Before the watchdog: a loss is marked before the reconnect is scheduled.
			pipeline.addBefore(watchdog.name(), HANDLER_NAME, handler);
		}
		else {
			pipeline.addLast(HANDLER_NAME, handler);
		}
		// Closed channels leave the group on their own.
		this.channels.add(channel);
	}

	/**
	 * Send a heartbeat {@code PING} through every open connection now, without waiting
	 * for it to be idle, and close those that do not answer within the heartbeat's
	 * timeout. Called when Redis stops answering commands, so that a connection behind a
	 * silent partition is replaced by a new one instead of waiting for TCP
	 * retransmissions. Does nothing without a heartbeat.
	 */
	public void checkNow() {
		if (this.heartbeat == null) {
			return;
		}
		for (Channel channel : this.channels) {
			channel.pipeline().fireUserEventTriggered(RedisConnectionHandler.CHECK_NOW);
		}
	}

	/**
	 * Close every open connection to the given server now, so that Lettuce reconnects it.
	 * @param host the host or address of the server
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
	 * Return the open connections to a server.
	 * @param server the address of the server
	 * @return the connections
	 */
	List<Channel> connectionsTo(SocketAddress server) {
		return this.channels.stream().filter((candidate) -> server.equals(candidate.remoteAddress())).toList();
	}

	/**
	 * Return the number of open connections.
	 * @return the number of connections
	 */
	public int size() {
		return this.channels.size();
	}

	/**
	 * The registry a customizer works through: the shared one once it is attached, or,
	 * when the customizer is used alone, one of its own, created on first use.
	 */
	static final class Attachment {

		private final Supplier<RedisConnections> own;

		private volatile @Nullable RedisConnections connections;

		/**
		 * Create an attachment.
		 * @param own creates the customizer's own registry, which attaches itself
		 */
		Attachment(Supplier<RedisConnections> own) {
			this.own = own;
		}

		void attach(RedisConnections connections) {
			this.connections = connections;
		}

		RedisConnections get() {
			RedisConnections connections = this.connections;
			if (connections == null) {
				synchronized (this) {
					connections = this.connections;
					if (connections == null) {
						connections = this.own.get();
					}
				}
			}
			return connections;
		}

	}

}

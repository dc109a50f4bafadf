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

import java.net.SocketAddress;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.CompleteableCommand;
import io.lettuce.core.protocol.ConnectionWatchdog;
import io.lettuce.core.protocol.ReadOnlyCommands;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one handler {@link RedisConnections} adds to a connection, for whichever of its
 * features are on: the heartbeat (a {@code PING} when nothing was read for the interval,
 * the connection closed when it is not answered in time), the watch of {@code READONLY}
 * replies to writes, and the server watch's marks of a connection activated or lost.
 *
 * @author resilient-redis contributors
 */
final class RedisConnectionHandler extends IdleStateHandler {

	private static final Log logger = LogFactory.getLog(RedisConnectionHandler.class);

	/**
	 * User event that asks for a heartbeat {@code PING} now, whether the connection is
	 * idle or not.
	 */
	static final Object CHECK_NOW = new Object();

	private static final ReadOnlyCommands.ReadOnlyPredicate READS = ReadOnlyCommands.asPredicate();

	private final @Nullable HeartbeatNettyCustomizer heartbeat;

	/**
	 * One callback for every write of this connection: watching allocates nothing more.
	 */
	private final @Nullable BiConsumer<Object, Throwable> onWriteComplete;

	private final @Nullable RedisServerWatch serverWatch;

	private final @Nullable ConnectionWatchdog watchdog;

	private @Nullable AsyncCommand<String, String, String> pendingPing;

	RedisConnectionHandler(Channel channel, @Nullable HeartbeatNettyCustomizer heartbeat,
			@Nullable ReadOnlyReplyNettyCustomizer readOnlyReply, @Nullable RedisServerWatch serverWatch,
			@Nullable ConnectionWatchdog watchdog) {
		super((heartbeat != null) ? heartbeat.getInterval().toMillis() : 0, 0, 0, TimeUnit.MILLISECONDS);
		this.heartbeat = heartbeat;
		this.onWriteComplete = (readOnlyReply != null) ? (result, failure) -> {
			if (failure instanceof RedisReadOnlyException) {
				readOnlyReply.readOnly(channel);
			}
		} : null;
		this.serverWatch = serverWatch;
		this.watchdog = watchdog;
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (this.onWriteComplete != null) {
			if (msg instanceof RedisCommand<?, ?, ?> command) {
				watch(command);
			}
			else if (msg instanceof Collection<?> commands) {
				for (Object element : commands) {
					if (element instanceof RedisCommand<?, ?, ?> command) {
						watch(command);
					}
				}
			}
		}
		super.write(ctx, msg, promise);
	}

	private void watch(RedisCommand<?, ?, ?> command) {
		// Reads are not watched: only a write gets READONLY
		if (command instanceof CompleteableCommand<?> completeable && !READS.isReadOnly(command)) {
			completeable.onComplete(this.onWriteComplete);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		if (this.serverWatch != null) {
			this.serverWatch.connectionActivated();
		}
		super.channelActive(ctx);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		ConnectionWatchdog watchdog = this.watchdog;
		// A connection closed on purpose is not reconnected, and loses nothing.
		if (this.serverWatch != null && watchdog != null && watchdog.isListenOnChannelInactive()
				&& !watchdog.isReconnectSuspended()) {
			this.serverWatch.connectionLost();
		}
		AsyncCommand<String, String, String> ping = this.pendingPing;
		if (ping != null && !ping.isDone()) {
			ping.cancel(false);
		}
		super.channelInactive(ctx);
	}

	@Override
	protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) throws Exception {
		ping(ctx);
		super.channelIdle(ctx, event);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event == CHECK_NOW) {
			ping(ctx);
			return;
		}
		if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
			ping(ctx);
		}
		super.userEventTriggered(ctx, event);
	}

	private void ping(ChannelHandlerContext ctx) {
		HeartbeatNettyCustomizer heartbeat = this.heartbeat;
		if (heartbeat == null || (this.pendingPing != null && !this.pendingPing.isDone())) {
			return;
		}
		AsyncCommand<String, String, String> ping = new AsyncCommand<>(
				new Command<>(CommandType.PING, new StatusOutput<>(StringCodec.UTF8)));
		this.pendingPing = ping;
		heartbeat.pingSent();
		long timeout = heartbeat.getTimeout().toMillis();
		ScheduledFuture<?> timer = ctx.executor()
			.schedule(() -> onTimeout(ctx, ping, timeout), timeout, TimeUnit.MILLISECONDS);
		ping.whenComplete((reply, ex) -> {
			timer.cancel(false);
			if (ex != null && !(ex instanceof RedisCommandExecutionException) && !ping.isCancelled()) {
				// A server error reply proves the connection is alive; anything else does
				// not.
				fail(ctx, "failed (" + ex.getClass().getSimpleName() + ")");
			}
		});
		// Written from the tail so that Lettuce's CommandHandler queues it like any other
		// command.
		ctx.channel().writeAndFlush(ping);
	}

	private void onTimeout(ChannelHandlerContext ctx, AsyncCommand<String, String, String> ping, long timeout) {
		if (!ping.isDone()) {
			fail(ctx, "got no answer within " + timeout + " ms");
			ping.cancel(false);
		}
	}

	private void fail(ChannelHandlerContext ctx, String reason) {
		HeartbeatNettyCustomizer heartbeat = this.heartbeat;
		if (heartbeat == null || !ctx.channel().isOpen()) {
			return;
		}
		heartbeat.pingFailed();
		SocketAddress remote = ctx.channel().remoteAddress();
		logger.warn(
				"Redis heartbeat PING to " + remote + " " + reason + "; closing the connection so that it reconnects");
		ctx.channel().close();
	}

}

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
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Sends a {@code PING} when its connection has been idle for reading and closes the
 * connection when the {@code PING} is not answered in time.
 *
 * @author resilient-redis contributors
 */
class HeartbeatHandler extends ChannelDuplexHandler {

	private static final Log logger = LogFactory.getLog(HeartbeatHandler.class);

	/**
	 * User event that asks for a {@code PING} now, whether the connection is idle or not.
	 */
	static final Object CHECK_NOW = new Object();

	private final Duration timeout;

	private final AtomicLong sent;

	private final AtomicLong failed;

	private @Nullable AsyncCommand<String, String, String> pending;

	HeartbeatHandler(Duration timeout, AtomicLong sent, AtomicLong failed) {
		this.timeout = timeout;
		this.sent = sent;
		this.failed = failed;
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
		if (this.pending != null && !this.pending.isDone()) {
			return;
		}
		AsyncCommand<String, String, String> ping = new AsyncCommand<>(
				new Command<>(CommandType.PING, new StatusOutput<>(StringCodec.UTF8)));
		this.pending = ping;
		this.sent.incrementAndGet();
		ScheduledFuture<?> timer = ctx.executor()
			.schedule(() -> onTimeout(ctx, ping), this.timeout.toMillis(), TimeUnit.MILLISECONDS);
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

	private void onTimeout(ChannelHandlerContext ctx, AsyncCommand<String, String, String> ping) {
		if (!ping.isDone()) {
			fail(ctx, "got no answer within " + this.timeout.toMillis() + " ms");
			ping.cancel(false);
		}
	}

	private void fail(ChannelHandlerContext ctx, String reason) {
		if (!ctx.channel().isOpen()) {
			return;
		}
		this.failed.incrementAndGet();
		SocketAddress remote = ctx.channel().remoteAddress();
		logger.warn(
				"Redis heartbeat PING to " + remote + " " + reason + "; closing the connection so that it reconnects");
		ctx.channel().close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		AsyncCommand<String, String, String> ping = this.pending;
		if (ping != null && !ping.isDone()) {
			ping.cancel(false);
		}
		super.channelInactive(ctx);
	}

}

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

import io.lettuce.core.protocol.ConnectionWatchdog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Tells the {@link RedisServerWatch} when a connection that Lettuce reconnects is lost
 * (before its watchdog schedules the reconnect) and when one is established.
 *
 * @author resilient-redis contributors
 */
final class RedisServerWatchHandler extends ChannelInboundHandlerAdapter {

	private final RedisServerWatch watch;

	private final ConnectionWatchdog watchdog;

	RedisServerWatchHandler(RedisServerWatch watch, ConnectionWatchdog watchdog) {
		this.watch = watch;
		this.watchdog = watchdog;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.watch.connectionActivated();
		super.channelActive(ctx);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		// A connection closed on purpose is not reconnected, and loses nothing.
		if (this.watchdog.isListenOnChannelInactive() && !this.watchdog.isReconnectSuspended()) {
			this.watch.connectionLost();
		}
		super.channelInactive(ctx);
	}

}

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

import java.util.Collection;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.protocol.CompleteableCommand;
import io.lettuce.core.protocol.ReadOnlyCommands;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Watches the writes sent on one connection and reports the connection when one of them
 * is answered with {@code READONLY}. Sits at the tail of the pipeline, where Lettuce
 * writes its commands, before they are encoded.
 *
 * @author resilient-redis contributors
 */
class ReadOnlyReplyHandler extends ChannelOutboundHandlerAdapter {

	private static final ReadOnlyCommands.ReadOnlyPredicate READS = ReadOnlyCommands.asPredicate();

	// One callback for every command of this connection: watching allocates nothing more
	private final BiConsumer<Object, Throwable> onComplete;

	ReadOnlyReplyHandler(Channel channel, Consumer<Channel> readOnly) {
		this.onComplete = (result, failure) -> {
			if (failure instanceof RedisReadOnlyException) {
				readOnly.accept(channel);
			}
		};
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
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
		ctx.write(msg, promise);
	}

	private void watch(RedisCommand<?, ?, ?> command) {
		if (command instanceof CompleteableCommand<?> completeable && !READS.isReadOnly(command)) {
			completeable.onComplete(this.onComplete);
		}
	}

}

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
import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReadOnlyReplyNettyCustomizer} and its handler. The behaviour against a
 * real primary demoted behind a stable endpoint is proven in
 * {@code DemotedPrimaryIntegrationTests}.
 *
 * @author resilient-redis contributors
 */
class ReadOnlyReplyNettyCustomizerTests {

	private static final SocketAddress DEMOTED = new InetSocketAddress("10.0.0.1", 6379);

	private static final SocketAddress OTHER = new InetSocketAddress("10.0.0.2", 6379);

	private final ReadOnlyReplyNettyCustomizer customizer = new ReadOnlyReplyNettyCustomizer(Duration.ofHours(1));

	@Test
	void whenAWriteIsAnsweredReadonlyThenEveryConnectionToThatServerIsClosedAndNoOther() {
		EmbeddedChannel first = channel(DEMOTED);
		EmbeddedChannel second = channel(DEMOTED);
		EmbeddedChannel other = channel(OTHER);
		write(first, CommandType.SET).completeExceptionally(readonly());
		assertThat(first.isOpen()).isFalse();
		assertThat(second.isOpen()).isFalse();
		assertThat(other.isOpen()).isTrue();
		assertThat(this.customizer.getReadOnlyCloses()).isOne();
	}

	@Test
	void whenTheSameServerAnswersReadonlyAgainWithinTheIntervalThenItsConnectionsStayOpen() {
		write(channel(DEMOTED), CommandType.SET).completeExceptionally(readonly());
		EmbeddedChannel reconnected = channel(DEMOTED);
		write(reconnected, CommandType.DEL).completeExceptionally(readonly());
		assertThat(reconnected.isOpen()).isTrue();
		assertThat(this.customizer.getReadOnlyCloses()).isOne();
	}

	@Test
	void whenTheIntervalHasPassedThenTheConnectionsAreClosedAgain() {
		ReadOnlyReplyNettyCustomizer everyTime = new ReadOnlyReplyNettyCustomizer(Duration.ZERO);
		EmbeddedChannel first = channel(everyTime, DEMOTED);
		write(first, CommandType.SET).completeExceptionally(readonly());
		EmbeddedChannel reconnected = channel(everyTime, DEMOTED);
		write(reconnected, CommandType.SET).completeExceptionally(readonly());
		assertThat(reconnected.isOpen()).isFalse();
		assertThat(everyTime.getReadOnlyCloses()).isEqualTo(2);
	}

	@Test
	void whenABatchOfCommandsIsWrittenThenEachWriteIsWatched() {
		EmbeddedChannel channel = channel(DEMOTED);
		AsyncCommand<String, String, String> set = command(CommandType.SET);
		channel.writeOutbound(List.of(command(CommandType.GET), set));
		set.completeExceptionally(readonly());
		assertThat(channel.isOpen()).isFalse();
	}

	@Test
	void whenAWriteFailsOtherwiseOrAReadFailsThenNoConnectionIsClosed() {
		EmbeddedChannel channel = channel(DEMOTED);
		write(channel, CommandType.SET).completeExceptionally(new RedisCommandExecutionException("OOM no memory"));
		// Lettuce routes GET as a read: it is not watched
		write(channel, CommandType.GET).completeExceptionally(readonly());
		write(channel, CommandType.SET).complete();
		assertThat(channel.isOpen()).isTrue();
		assertThat(this.customizer.getReadOnlyCloses()).isZero();
	}

	private EmbeddedChannel channel(SocketAddress remote) {
		return channel(this.customizer, remote);
	}

	private static EmbeddedChannel channel(ReadOnlyReplyNettyCustomizer customizer, SocketAddress remote) {
		// Each with an id of its own: a channel group holds channels by id
		EmbeddedChannel channel = new EmbeddedChannel(DefaultChannelId.newInstance()) {

			@Override
			protected SocketAddress remoteAddress0() {
				return remote;
			}

		};
		customizer.afterChannelInitialized(channel);
		assertThat(channel.pipeline().names()).contains("resilientRedis");
		return channel;
	}

	private static AsyncCommand<String, String, String> write(EmbeddedChannel channel, CommandType type) {
		AsyncCommand<String, String, String> command = command(type);
		channel.writeOutbound(command);
		return command;
	}

	private static AsyncCommand<String, String, String> command(CommandType type) {
		return new AsyncCommand<>(new Command<>(type, new StatusOutput<>(StringCodec.UTF8)));
	}

	private static RedisReadOnlyException readonly() {
		return new RedisReadOnlyException("READONLY You can't write against a read only replica.");
	}

}

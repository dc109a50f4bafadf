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
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.CommandType;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HeartbeatNettyCustomizer} and its handler. The behaviour against a
 * real server whose network fails silently is proven in
 * {@code HeartbeatIntegrationTests}.
 *
 * @author resilient-redis contributors
 */
class HeartbeatNettyCustomizerTests {

	private final HeartbeatNettyCustomizer customizer = new HeartbeatNettyCustomizer(Duration.ofSeconds(30),
			Duration.ofMillis(500));

	@Test
	void whenChannelIsInitializedThenOneHandlerWithIdleDetectionAndHeartbeatIsAdded() {
		EmbeddedChannel channel = new EmbeddedChannel();
		int before = channel.pipeline().names().size();
		this.customizer.afterChannelInitialized(channel);
		assertThat(channel.pipeline().names()).contains("resilientRedis").hasSize(before + 1);
		assertThat(channel.pipeline().get("resilientRedis")).isInstanceOf(IdleStateHandler.class);
	}

	@Test
	void whenConnectionIsIdleThenPingIsSent() {
		EmbeddedChannel channel = heartbeatChannel();
		channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
		AsyncCommand<?, ?, ?> ping = channel.readOutbound();
		assertThat(ping.getType()).isEqualTo(CommandType.PING);
		assertThat(this.customizer.getHeartbeatsSent()).isOne();
	}

	@Test
	void whenACheckIsRequestedThenEveryConnectionIsPingedWithoutWaitingForIdleness() {
		EmbeddedChannel first = heartbeatChannel();
		EmbeddedChannel second = heartbeatChannel();
		this.customizer.checkNow();
		AsyncCommand<?, ?, ?> ping = first.readOutbound();
		assertThat(ping.getType()).isEqualTo(CommandType.PING);
		AsyncCommand<?, ?, ?> otherPing = second.readOutbound();
		assertThat(otherPing.getType()).isEqualTo(CommandType.PING);
		first.advanceTimeBy(600, TimeUnit.MILLISECONDS);
		first.runScheduledPendingTasks();
		assertThat(first.isOpen()).as("unanswered check closes the connection").isFalse();
	}

	@Test
	void closedConnectionsAreNotCheckedAnyMore() {
		EmbeddedChannel channel = heartbeatChannel();
		channel.close();
		this.customizer.checkNow();
		assertThat(this.customizer.getHeartbeatsSent()).isZero();
	}

	@Test
	void whenPingIsNotAnsweredInTimeThenConnectionIsClosed() {
		EmbeddedChannel channel = heartbeatChannel();
		channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
		channel.advanceTimeBy(600, TimeUnit.MILLISECONDS);
		channel.runScheduledPendingTasks();
		assertThat(channel.isOpen()).isFalse();
		assertThat(this.customizer.getHeartbeatFailures()).isOne();
	}

	@Test
	void whenPingIsAnsweredThenConnectionStaysOpen() {
		EmbeddedChannel channel = heartbeatChannel();
		channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
		AsyncCommand<String, String, String> ping = channel.readOutbound();
		ping.complete("PONG");
		channel.advanceTimeBy(600, TimeUnit.MILLISECONDS);
		channel.runScheduledPendingTasks();
		assertThat(channel.isOpen()).isTrue();
		assertThat(this.customizer.getHeartbeatFailures()).isZero();
	}

	@Test
	void whenPingGetsAnErrorReplyThenConnectionStaysOpenBecauseTheServerAnswered() {
		EmbeddedChannel channel = heartbeatChannel();
		channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
		AsyncCommand<String, String, String> ping = channel.readOutbound();
		ping.completeExceptionally(new RedisCommandExecutionException("LOADING Redis is loading the dataset"));
		channel.runPendingTasks();
		assertThat(channel.isOpen()).isTrue();
	}

	@Test
	void whenPingFailsWithoutAnswerThenConnectionIsClosed() {
		EmbeddedChannel channel = heartbeatChannel();
		channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
		AsyncCommand<String, String, String> ping = channel.readOutbound();
		ping.completeExceptionally(new java.io.IOException("Connection reset by peer"));
		channel.runPendingTasks();
		assertThat(channel.isOpen()).isFalse();
	}

	@Test
	void whenPreviousPingIsStillPendingThenNoSecondPingIsSent() {
		EmbeddedChannel channel = heartbeatChannel();
		channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
		channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
		assertThat(channel.outboundMessages()).hasSize(1);
	}

	private EmbeddedChannel heartbeatChannel() {
		// Each its own id, as real channels have: embedded channels share one by default.
		EmbeddedChannel channel = new EmbeddedChannel(DefaultChannelId.newInstance());
		this.customizer.afterChannelInitialized(channel);
		return channel;
	}

}

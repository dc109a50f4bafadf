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
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * Tests for {@link ClusterTopologyRefreshOnTimeout}.
 *
 * @author resilient-redis contributors
 */
class ClusterTopologyRefreshOnTimeoutTests {

	@Test
	void whenACommandTimesOutThenTheClusterTopologyIsRefreshed() {
		RedisClusterClient client = clusterClient();
		ClusterTopologyRefreshOnTimeout trigger = new ClusterTopologyRefreshOnTimeout(() -> client,
				Duration.ofSeconds(1));
		trigger.commandTimedOut();
		verify(client).refreshPartitionsAsync();
		assertThat(trigger.getRefreshes()).isOne();
	}

	@Test
	void whenCommandsTimeOutWithinTheIntervalThenOneRefreshIsAskedFor() {
		RedisClusterClient client = clusterClient();
		ClusterTopologyRefreshOnTimeout trigger = new ClusterTopologyRefreshOnTimeout(() -> client,
				Duration.ofMinutes(1));
		for (int i = 0; i < 100; i++) {
			trigger.commandTimedOut();
		}
		verify(client, times(1)).refreshPartitionsAsync();
		assertThat(trigger.getRefreshes()).isOne();
	}

	@Test
	void whenTheIntervalIsOverThenATimeoutAsksAgain() {
		RedisClusterClient client = clusterClient();
		ClusterTopologyRefreshOnTimeout trigger = new ClusterTopologyRefreshOnTimeout(() -> client, Duration.ZERO);
		trigger.commandTimedOut();
		long first = System.nanoTime();
		while (System.nanoTime() == first) {
			Thread.onSpinWait();
		}
		trigger.commandTimedOut();
		verify(client, times(2)).refreshPartitionsAsync();
	}

	@Test
	void whenTheClientIsNotAClusterClientThenNothingIsRefreshed() {
		RedisClient client = mock(RedisClient.class);
		ClusterTopologyRefreshOnTimeout trigger = new ClusterTopologyRefreshOnTimeout(() -> client,
				Duration.ofSeconds(1));
		trigger.commandTimedOut();
		verifyNoInteractions(client);
		assertThat(trigger.getRefreshes()).isZero();
	}

	@Test
	void whenThereIsNoClientYetThenNothingHappens() {
		ClusterTopologyRefreshOnTimeout trigger = new ClusterTopologyRefreshOnTimeout(() -> null,
				Duration.ofSeconds(1));
		trigger.commandTimedOut();
		assertThat(trigger.getRefreshes()).isZero();
	}

	private static RedisClusterClient clusterClient() {
		RedisClusterClient client = mock(RedisClusterClient.class);
		given(client.refreshPartitionsAsync()).willReturn(CompletableFuture.completedFuture(null));
		return client;
	}

}

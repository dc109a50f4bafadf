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

package io.github.resilientredis.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link InFlightLoads}.
 *
 * @author resilient-redis contributors
 */
class InFlightLoadsTests {

	private final InFlightLoads loads = new InFlightLoads("products");

	private final AtomicLong generation = new AtomicLong();

	@Test
	void whenTheKeyIsNotWrittenDuringALoadThenAWaiterSharesItsValue() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<String> leader = leaderBlockedUntil(release, "loaded");
		CompletableFuture<String> waiter = CompletableFuture
			.supplyAsync(() -> this.loads.load("k", this.generation::get, () -> "own load"));
		// Its own load would not block: still running, it waits for the leader's.
		await().atMost(5, TimeUnit.SECONDS).during(100, TimeUnit.MILLISECONDS).until(() -> !waiter.isDone());
		release.countDown();
		assertThat(leader.get(5, TimeUnit.SECONDS)).isEqualTo("loaded");
		assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo("loaded");
	}

	@Test
	void whenTheKeyWasWrittenSinceTheLoadStartedThenAWaiterDoesNotShareItsOlderValue() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<String> leader = leaderBlockedUntil(release, "read before the write");
		// A write of the key completes, then a caller asks for it: the load in flight
		// read the database before that write.
		this.generation.incrementAndGet();
		CompletableFuture<String> waiter = CompletableFuture
			.supplyAsync(() -> this.loads.load("k", this.generation::get, () -> "read after the write"));
		await().atMost(5, TimeUnit.SECONDS).during(100, TimeUnit.MILLISECONDS).until(() -> !waiter.isDone());
		release.countDown();
		assertThat(leader.get(5, TimeUnit.SECONDS)).isEqualTo("read before the write");
		assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo("read after the write");
	}

	// A load of "k" that has started and answers the value once released.
	private CompletableFuture<String> leaderBlockedUntil(CountDownLatch release, String value) {
		AtomicInteger runs = new AtomicInteger();
		CompletableFuture<String> leader = CompletableFuture
			.supplyAsync(() -> this.loads.load("k", this.generation::get, () -> {
				runs.incrementAndGet();
				block(release);
				return value;
			}));
		await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 1);
		return leader;
	}

	private static void block(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisServerWatch}.
 *
 * @author resilient-redis contributors
 */
class RedisServerWatchTests {

	private static final RedisServerIdentity FIRST = new RedisServerIdentity("run-1", "repl-1", 10, "master");

	private static final RedisServerIdentity RESTARTED = new RedisServerIdentity("run-2", "repl-2", 0, "master");

	private final AtomicReference<Object> server = new AtomicReference<>(FIRST);

	private final AtomicInteger reads = new AtomicInteger();

	private final List<RedisServerChangedEvent> published = new CopyOnWriteArrayList<>();

	private final RedisServerWatch watch = new RedisServerWatch(() -> {
		this.reads.incrementAndGet();
		Object current = this.server.get();
		if (current instanceof Exception ex) {
			throw ex;
		}
		return (RedisServerIdentity) current;
	}, this.published::add);

	@AfterEach
	void destroy() {
		this.watch.destroy();
	}

	@Test
	void theFirstServerSeenIsTheBaselineAndNoChange() {
		this.watch.connectionActivated();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.watch.getIdentity() != null);
		assertThat(this.watch.getIdentity()).isEqualTo(FIRST);
		assertThat(this.watch.isChecked()).isTrue();
		assertThat(this.published).isEmpty();
	}

	@Test
	void aLostConnectionChangesTheStampAndLeavesTheServerUncheckedUntilItIsChecked() {
		baseline();
		long before = this.watch.stamp();
		this.watch.connectionLost();
		long lost = this.watch.stamp();
		assertThat(lost).isNotEqualTo(before);
		assertThat(RedisServerWatch.isChecked(lost)).isFalse();
		this.watch.connectionLost();
		assertThat(this.watch.stamp()).as("every loss changes the stamp").isNotEqualTo(lost);
		this.watch.connectionActivated();
		await().atMost(Duration.ofSeconds(5)).until(this.watch::isChecked);
		assertThat(this.watch.stamp()).isNotEqualTo(before);
		assertThat(this.published).as("the same server").isEmpty();
	}

	@Test
	void whenTheServerChangedThenListenersRunBeforeItCountsAsCheckedAndTheEventFollows() {
		baseline();
		List<Boolean> checkedWhenListened = new CopyOnWriteArrayList<>();
		this.watch.addListener((event) -> checkedWhenListened.add(this.watch.isChecked()));
		long beforeLoss = System.nanoTime();
		this.watch.connectionLost();
		this.server.set(RESTARTED);
		this.watch.connectionActivated();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.published.isEmpty());
		assertThat(checkedWhenListened).containsExactly(false);
		RedisServerChangedEvent event = this.published.get(0);
		assertThat(event.getPrevious()).isEqualTo(FIRST);
		assertThat(event.getCurrent()).isEqualTo(RESTARTED);
		assertThat(event.getConnectionLostNanoTime() - beforeLoss).isNotNegative();
		assertThat(this.watch.isChecked()).isTrue();
		assertThat(this.watch.getChanges()).isOne();
	}

	@Test
	void whenTheServerCannotBeReachedYetThenTheCheckIsRetried() {
		baseline();
		this.watch.connectionLost();
		this.server.set(new RedisConnectionException("Connection refused"));
		this.watch.connectionActivated();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.reads.get() >= 3);
		assertThat(this.watch.isChecked()).isFalse();
		this.server.set(RESTARTED);
		await().atMost(Duration.ofSeconds(5)).until(this.watch::isChecked);
		assertThat(this.published).hasSize(1);
	}

	@Test
	void whenInfoIsDeniedThenTheServerIsTrusted() {
		this.server.set(new RedisSystemException("denied",
				new RedisCommandExecutionException("NOPERM this user has no permissions to run the 'info' command")));
		this.watch.connectionLost();
		this.watch.connectionActivated();
		await().atMost(Duration.ofSeconds(5)).until(this.watch::isChecked);
		assertThat(this.watch.getIdentity()).isNull();
		assertThat(this.published).isEmpty();
	}

	@Test
	void whenTheServerCannotBeWatchedThenLostConnectionsAreIgnored() {
		this.server.set(new UnsupportedOperationException("a Redis Cluster has one server per shard"));
		this.watch.connectionActivated();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.reads.get() == 1);
		await().atMost(Duration.ofSeconds(5)).until(this.watch::isChecked);
		this.watch.connectionLost();
		assertThat(this.watch.isChecked()).isTrue();
	}

	private void baseline() {
		this.watch.connectionActivated();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.watch.getIdentity() != null);
	}

}

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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecentWrites}.
 *
 * @author resilient-redis contributors
 */
class RecentWritesTests {

	private final RecentWrites writes = new RecentWrites(4, Duration.ofMinutes(1));

	@Test
	void whenNothingIsWrittenThenNothingIsReplayed() {
		RecentWrites.Replay replay = this.writes.since(System.nanoTime());
		assertThat(replay.keysByCache()).isEmpty();
		assertThat(replay.clears()).isEmpty();
	}

	@Test
	void whenKeysAreWrittenThenEachIsReplayedOncePerCache() {
		RecentWrites.Source products = this.writes.source("products");
		products.record(key("a"));
		products.record(key("a"));
		products.record(key("b"));
		this.writes.source("prices").record(key("a"));
		RecentWrites.Replay replay = this.writes.since(System.nanoTime());
		assertThat(replay.keysByCache()).containsOnlyKeys("products", "prices");
		assertThat(text(replay.keysByCache().get("products"))).containsExactly("a", "b");
		assertThat(text(replay.keysByCache().get("prices"))).containsExactly("a");
		assertThat(replay.keyCount()).isEqualTo(3);
		assertThat(replay.clears()).isEmpty();
	}

	@Test
	void whenWritesAreOlderThanTheWindowBeforeTheLossThenTheyAreNotReplayed() {
		this.writes.source("products").record(key("a"));
		long lostInAnHour = System.nanoTime() + Duration.ofHours(1).toNanos();
		assertThat(this.writes.since(lostInAnHour).keysByCache()).isEmpty();
		long lostNow = System.nanoTime();
		assertThat(this.writes.since(lostNow).keysByCache()).containsOnlyKeys("products");
	}

	@Test
	void whenACacheIsClearedThenItIsClearedInsteadOfItsKeys() {
		RecentWrites.Source products = this.writes.source("products");
		products.record(key("a"));
		products.recordClear();
		this.writes.source("prices").record(key("b"));
		RecentWrites.Replay replay = this.writes.since(System.nanoTime());
		assertThat(replay.clears()).containsExactly("products");
		assertThat(replay.keysByCache()).containsOnlyKeys("prices");
	}

	@Test
	void whenMoreWritesThanTheRingHoldsFallInTheWindowThenTheirCacheIsCleared() {
		RecentWrites.Source products = this.writes.source("products");
		RecentWrites.Source prices = this.writes.source("prices");
		prices.record(key("p"));
		for (int i = 0; i < 4; i++) {
			products.record(key("k" + i));
		}
		RecentWrites.Replay replay = this.writes.since(System.nanoTime());
		assertThat(replay.clears()).as("a write of prices was overwritten").containsExactly("prices");
		assertThat(text(replay.keysByCache().get("products"))).containsExactlyInAnyOrder("k0", "k1", "k2", "k3");
	}

	@Test
	void whenOverwrittenWritesAreOlderThanTheWindowThenNothingIsCleared() {
		RecentWrites tiny = new RecentWrites(1, Duration.ofNanos(1));
		RecentWrites.Source products = tiny.source("products");
		products.record(key("a"));
		products.record(key("b"));
		long later = System.nanoTime() + Duration.ofSeconds(1).toNanos();
		RecentWrites.Replay replay = tiny.since(later);
		assertThat(replay.clears()).isEmpty();
		assertThat(replay.keysByCache()).isEmpty();
	}

	private static byte[] key(String key) {
		return key.getBytes(StandardCharsets.UTF_8);
	}

	private static List<String> text(List<byte[]> keys) {
		return keys.stream().map((key) -> new String(key, StandardCharsets.UTF_8)).toList();
	}

}

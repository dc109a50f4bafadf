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
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FallbackStore}.
 *
 * @author resilient-redis contributors
 */
class FallbackStoreTests {

	private final FallbackStore store = FallbackStore.create(ResilientCacheSettings.DEFAULTS);

	@Test
	void whenAValueIsWrittenThenItsBytesAreHeld() {
		this.store.write("products::a", bytes("v1"), Duration.ZERO);
		assertThat(this.store.get("products::a")).isEqualTo(bytes("v1"));
	}

	@Test
	void whenAReadCompletesAfterAWriteThenTheWriteWins() {
		long sequence = this.store.writeSequence("products::a");
		this.store.write("products::a", bytes("v2"), Duration.ZERO);
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, sequence);
		assertThat(this.store.get("products::a")).isEqualTo(bytes("v2"));
	}

	@Test
	void whenAReadMissCompletesAfterAWriteThenTheWriteIsKept() {
		long sequence = this.store.writeSequence("products::a");
		this.store.write("products::a", bytes("v2"), Duration.ZERO);
		this.store.invalidateFromRead("products::a", sequence);
		assertThat(this.store.get("products::a")).isNotNull();
	}

	@Test
	void whenRedisMissesAKeyThenTheLocalCopyIsDropped() {
		this.store.write("products::a", bytes("v1"), Duration.ZERO);
		this.store.invalidateFromRead("products::a", this.store.writeSequence("products::a"));
		assertThat(this.store.get("products::a")).isNull();
	}

	@Test
	void whenAReadCompletesWithoutConcurrentWritesThenItsValueIsHeld() {
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, this.store.writeSequence("products::a"));
		assertThat(this.store.get("products::a")).isEqualTo(bytes("v1"));
	}

	@Test
	void whenAReadFindsTheBytesAlreadyHeldThenTheEntryIsKeptAsItIs() {
		byte[] held = bytes("v1");
		this.store.write("products::a", held, Duration.ofSeconds(30));
		this.store.mirror("products::a", bytes("v1"), Duration.ofMinutes(1), this.store.writeSequence("products::a"));
		assertThat(this.store.get("products::a")).isSameAs(held);
		assertThat(this.store.timeToLiveNanos("products::a")).isEqualTo(Duration.ofSeconds(30).toNanos());
	}

	@Test
	void whenAReadFindsOtherBytesThenTheyReplaceWhatIsHeld() {
		this.store.write("products::a", bytes("v1"), Duration.ZERO);
		this.store.mirror("products::a", bytes("v2"), Duration.ZERO, this.store.writeSequence("products::a"));
		assertThat(this.store.get("products::a")).isEqualTo(bytes("v2"));
	}

	@Test
	void whenAReadCompletesAfterWritesOfOtherKeysThenItsValueIsHeld() {
		long sequence = this.store.writeSequence("products::a");
		this.store.write("products::b", bytes("v2"), Duration.ZERO);
		this.store.evict("products::c");
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, sequence, 7, null);
		assertThat(trusted(this.store, "products::a", 7)).isEqualTo(bytes("v1"));
	}

	@Test
	void whenARedisMissCompletesAfterWritesOfOtherKeysThenTheLocalCopyIsDropped() {
		this.store.write("products::a", bytes("v1"), Duration.ZERO);
		long sequence = this.store.writeSequence("products::a");
		this.store.write("products::b", bytes("v2"), Duration.ZERO);
		this.store.invalidateFromRead("products::a", sequence);
		assertThat(this.store.get("products::a")).isNull();
	}

	@Test
	void whenAReadCompletesAfterAClearThenItsValueIsDropped() {
		long sequence = this.store.writeSequence("products::a");
		this.store.clear();
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, sequence);
		assertThat(this.store.get("products::a")).isNull();
	}

	@Test
	void entriesLiveNoLongerThanInRedis() {
		this.store.write("products::a", bytes("v1"), Duration.ofSeconds(30));
		this.store.write("products::b", bytes("v1"), Duration.ZERO);
		this.store.write("products::c", bytes("v1"), Duration.ofHours(1));
		assertThat(this.store.timeToLiveNanos("products::a")).isEqualTo(Duration.ofSeconds(30).toNanos());
		assertThat(this.store.timeToLiveNanos("products::b")).isEqualTo(Duration.ofMinutes(5).toNanos());
		assertThat(this.store.timeToLiveNanos("products::c")).isEqualTo(Duration.ofMinutes(5).toNanos());
	}

	@Test
	void whenTheFallbackIsDisabledThenNothingIsHeld() {
		FallbackStore disabled = FallbackStore.create(new ResilientCacheSettings(false, 10, Duration.ofMinutes(1), 10));
		disabled.write("products::a", bytes("v1"), Duration.ZERO);
		assertThat(disabled.get("products::a")).isNull();
		assertThat(disabled.size()).isZero();
	}

	@Test
	void theNumberOfEntriesIsBounded() {
		FallbackStore small = FallbackStore.create(new ResilientCacheSettings(true, 10, Duration.ofMinutes(1), 10));
		for (int i = 0; i < 100; i++) {
			small.write("products::" + i, bytes("v"), Duration.ZERO);
		}
		assertThat(small.size()).isLessThanOrEqualTo(10);
	}

	@Test
	void aReadUnderTheTrustedEpochAnswersNearHitsUnderThatEpochOnly() {
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, this.store.writeSequence("products::a"), 7, null);
		assertThat(trusted(this.store, "products::a", 7)).isEqualTo(bytes("v1"));
		assertThat(trusted(this.store, "products::a", 8)).isNull();
		assertThat(trusted(this.store, "products::a", FallbackStore.UNTRUSTED)).isNull();
		assertThat(this.store.get("products::a")).isEqualTo(bytes("v1"));
	}

	@Test
	void theSameBytesReadUnderANewEpochAreTrustedUnderIt() {
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, this.store.writeSequence("products::a"), 7, null);
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, this.store.writeSequence("products::a"), 8, null);
		assertThat(trusted(this.store, "products::a", 8)).isEqualTo(bytes("v1"));
	}

	@Test
	void whatTheApplicationWritesIsNeverANearHit() {
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, this.store.writeSequence("products::a"), 7, null);
		this.store.write("products::a", bytes("v2"), Duration.ZERO);
		assertThat(trusted(this.store, "products::a", 7)).isNull();
		assertThat(this.store.get("products::a")).isEqualTo(bytes("v2"));
	}

	@Test
	void whenAnInvalidationArrivesDuringAReadThenWhatTheReadFoundIsNotHeld() {
		long sequence = this.store.writeSequence("products::a");
		this.store.evict("products::a");
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, sequence, 7, null);
		assertThat(trusted(this.store, "products::a", 7)).isNull();
		assertThat(this.store.get("products::a")).isNull();
	}

	@Test
	void whenAFlushArrivesDuringAReadThenWhatTheReadFoundIsNotHeld() {
		long sequence = this.store.writeSequence("products::a");
		this.store.clear();
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, sequence, 7, null);
		assertThat(this.store.get("products::a")).isNull();
	}

	@Test
	void aNearStoreWithoutFallbackAnswersNearHitsButNotOutages() {
		FallbackStore near = FallbackStore.createNear(new ResilientCacheSettings(false, 10, Duration.ofMinutes(1), 10),
				new NearCacheSettings(Set.of(), 100));
		near.mirror("products::a", bytes("v1"), Duration.ZERO, near.writeSequence("products::a"), 3, null);
		assertThat(trusted(near, "products::a", 3)).isEqualTo(bytes("v1"));
		assertThat(near.get("products::a")).isNull();
	}

	@Test
	void aNearEntryKeepsTheDecodedValueOfAnImmutableType() {
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, this.store.writeSequence("products::a"), 7, "v1");
		FallbackStore.Entry entry = this.store.getTrusted("products::a", 7);
		assertThat(entry).isNotNull();
		assertThat(entry.decoded()).isEqualTo("v1");
	}

	@Test
	void aNearEntryOfAMutableTypeIsHeldByValueOnly() {
		this.store.mirror("products::a", bytes("v1"), Duration.ZERO, this.store.writeSequence("products::a"), 7,
				new StringBuilder("v1"));
		FallbackStore.Entry entry = this.store.getTrusted("products::a", 7);
		assertThat(entry).isNotNull();
		assertThat(entry.decoded()).isNull();
	}

	@Test
	void aNearEntryOfAStoreByReferenceKeepsTheDecodedValueOfEveryType() {
		FallbackStore near = FallbackStore.createNear(ResilientCacheSettings.DEFAULTS,
				new NearCacheSettings(Set.of(), 100, true));
		StringBuilder decoded = new StringBuilder("v1");
		near.mirror("products::a", bytes("v1"), Duration.ZERO, near.writeSequence("products::a"), 7, decoded);
		FallbackStore.Entry entry = near.getTrusted("products::a", 7);
		assertThat(entry).isNotNull();
		assertThat(entry.decoded()).isSameAs(decoded);
	}

	@Test
	void theSameBytesReadAgainUnderTheTrustedEpochKeepTheDecodedValue() {
		FallbackStore near = FallbackStore.createNear(ResilientCacheSettings.DEFAULTS,
				new NearCacheSettings(Set.of(), 100, true));
		near.mirror("products::a", bytes("v1"), Duration.ZERO, near.writeSequence("products::a"),
				FallbackStore.UNTRUSTED, "v1");
		near.mirror("products::a", bytes("v1"), Duration.ZERO, near.writeSequence("products::a"), 7, "v1");
		FallbackStore.Entry entry = near.getTrusted("products::a", 7);
		assertThat(entry).isNotNull();
		assertThat(entry.decoded()).isEqualTo("v1");
	}

	private static byte @Nullable [] trusted(FallbackStore store, String cacheKey, long trust) {
		FallbackStore.Entry entry = store.getTrusted(cacheKey, trust);
		return (entry != null) ? entry.value() : null;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}

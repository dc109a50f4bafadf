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
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InvalidationJournal}.
 *
 * @author resilient-redis contributors
 */
class InvalidationJournalTests {

	private final InvalidationJournal journal = new InvalidationJournal(3);

	@Test
	void whenNothingIsRecordedThenNoKeyIsPending() {
		assertThat(this.journal.isEmpty()).isTrue();
		assertThat(this.journal.isPending("products", key("a"))).isFalse();
		assertThat(this.journal.size()).isZero();
	}

	@Test
	void whenAKeyIsRecordedThenOnlyThatKeyOfThatCacheIsPending() {
		this.journal.record("products", key("a"));
		assertThat(this.journal.isEmpty()).isFalse();
		assertThat(this.journal.isPending("products", key("a"))).isTrue();
		assertThat(this.journal.isPending("products", key("b"))).isFalse();
		assertThat(this.journal.isPending("prices", key("a"))).isFalse();
	}

	@Test
	void whenACacheIsClearedThenEveryKeyOfItIsPendingAndItsKeysAreReplacedByTheClear() {
		this.journal.record("products", key("a"));
		this.journal.record("prices", key("a"));
		this.journal.recordClear("products");
		assertThat(this.journal.isPending("products", key("anything"))).isTrue();
		assertThat(this.journal.isClearPending("products")).isTrue();
		assertThat(this.journal.isPending("prices", key("b"))).isFalse();
		InvalidationJournal.Snapshot snapshot = this.journal.snapshot();
		assertThat(snapshot.clears()).containsOnlyKeys("products");
		assertThat(snapshot.keysByCache()).containsOnlyKeys("prices");
	}

	@Test
	void whenTheJournalOverflowsThenTheAffectedCachesAreRecordedAsClearedInstead() {
		this.journal.record("products", key("a"));
		this.journal.record("products", key("b"));
		this.journal.record("prices", key("a"));
		assertThat(this.journal.record("products", key("c"))).isTrue();
		assertThat(this.journal.getOverflows()).isEqualTo(1);
		InvalidationJournal.Snapshot snapshot = this.journal.snapshot();
		assertThat(snapshot.clears()).containsOnlyKeys("products", "prices");
		assertThat(snapshot.keysByCache()).isEmpty();
		assertThat(this.journal.isPending("products", key("z"))).isTrue();
		assertThat(this.journal.isPending("prices", key("z"))).isTrue();
	}

	@Test
	void whenASnapshotIsRemovedThenTheJournalIsEmpty() {
		this.journal.record("products", key("a"));
		this.journal.recordClear("prices");
		InvalidationJournal.Snapshot snapshot = this.journal.snapshot();
		assertThat(snapshot.keyCount()).isEqualTo(1);
		this.journal.remove(snapshot);
		assertThat(this.journal.isEmpty()).isTrue();
	}

	@Test
	void whenAKeyIsRecordedAgainWhileItsDeletionIsInFlightThenItStaysPending() {
		this.journal.record("products", key("a"));
		InvalidationJournal.Snapshot snapshot = this.journal.snapshot();
		this.journal.record("products", key("a"));
		this.journal.remove(snapshot);
		assertThat(this.journal.isPending("products", key("a"))).isTrue();
	}

	@Test
	void whenACacheIsClearedAgainWhileItsClearIsInFlightThenTheClearStaysPending() {
		this.journal.recordClear("products");
		InvalidationJournal.Snapshot snapshot = this.journal.snapshot();
		this.journal.recordClear("products");
		this.journal.remove(snapshot);
		assertThat(this.journal.isClearPending("products")).isTrue();
	}

	@Test
	void whenAKeyIsWrittenWhileAClearIsInFlightThenOnlyThatKeyStaysPending() {
		this.journal.recordClear("products");
		InvalidationJournal.Snapshot snapshot = this.journal.snapshot();
		this.journal.record("products", key("a"));
		this.journal.remove(snapshot);
		assertThat(this.journal.isClearPending("products")).isFalse();
		assertThat(this.journal.isPending("products", key("a"))).isTrue();
		assertThat(this.journal.isPending("products", key("b"))).isFalse();
	}

	@Test
	void keysAreComparedByContent() {
		this.journal.record("products", key("a"));
		this.journal.record("products", key("a"));
		assertThat(this.journal.size()).isEqualTo(1);
		Map<String, List<Map.Entry<byte[], Long>>> keys = this.journal.snapshot().keysByCache();
		assertThat(keys.get("products")).hasSize(1);
	}

	private static byte[] key(String key) {
		return ("products::" + key).getBytes(StandardCharsets.UTF_8);
	}

}

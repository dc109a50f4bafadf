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

package io.github.resilientredis.test.history;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilientredis.test.history.History.Operation;
import io.github.resilientredis.test.history.History.Type;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link HistoryChecker}, on handcrafted histories whose times are in
 * milliseconds from the origin.
 *
 * @author resilient-redis contributors
 */
class HistoryCheckerTests {

	private final History history = new History(0);

	@Test
	void whenAReadReturnsAVersionOverwrittenBeforeItBeganThenItIsStale() {
		put("k", 1, 0, 10);
		put("k", 2, 20, 30);
		get("k", 1L, 40, 50);
		Verdict verdict = check();
		assertThat(verdict.stale()).isOne();
		assertThat(verdict.isValid()).isFalse();
		assertThat(verdict.violations()).singleElement()
			.asString()
			.startsWith("stale: app on t1 read version 1 (acknowledged at +10.0 ms) of k at +40.0 ms, but version 2 "
					+ "was acknowledged at +30.0 ms before the read began");
	}

	@Test
	void whenEveryReadReturnsTheNewestAcknowledgedVersionThenTheHistoryIsValid() {
		get("k", null, 0, 5);
		put("k", 1, 10, 20);
		get("k", 1L, 30, 40);
		put("k", 2, 50, 60);
		get("k", 2L, 70, 80);
		Verdict verdict = check();
		assertThat(verdict.isValid()).isTrue();
		assertThat(verdict.calls()).isEqualTo(5);
		assertThat(verdict.violations()).isEmpty();
	}

	@Test
	void whenAReadOverlapsAWriteThenItMayReturnTheOldOrTheNewVersion() {
		put("k", 1, 0, 10);
		put("k", 2, 20, 30);
		get("k", 1L, 25, 35);
		get("k", 2L, 25, 35);
		assertThat(check().isValid()).isTrue();
	}

	@Test
	void whenAReadReturnsAVersionWrittenAfterItReturnedThenItIsStale() {
		get("k", 1L, 0, 10);
		put("k", 1, 20, 30);
		assertThat(check().stale()).isOne();
	}

	@Test
	void whenAReadReturnsAVersionNeverWrittenThenItIsStale() {
		put("k", 1, 0, 10);
		get("k", 7L, 20, 30);
		Verdict verdict = check();
		assertThat(verdict.stale()).isOne();
		assertThat(verdict.violations()).singleElement().asString().contains("version 7, which was not written");
	}

	@Test
	void whenTwoWritesOverlapThenLaterReadsMayReturnEitherInAnyOrder() {
		put("k", 1, 0, 20);
		put("k", 2, 10, 30);
		get("k", 2L, 40, 50);
		get("k", 1L, 60, 70);
		get("k", 2L, 80, 90);
		assertThat(check().isValid()).isTrue();
	}

	@Test
	void whenAWriteFollowsTwoOverlappingWritesThenNeitherMayBeReadAfterIt() {
		put("k", 1, 0, 20);
		put("k", 2, 10, 30);
		put("k", 3, 40, 50);
		get("k", 1L, 60, 70);
		get("k", 2L, 60, 70);
		get("k", 3L, 60, 70);
		assertThat(check().stale()).isEqualTo(2);
	}

	@Test
	void whenAReadReturnsAValueEvictedBeforeItBeganThenItIsEvictedServed() {
		put("k", 1, 0, 10);
		evict("k", 20, 30);
		get("k", 1L, 40, 50);
		Verdict verdict = check();
		assertThat(verdict.evictedServed()).isOne();
		assertThat(verdict.stale()).isZero();
		assertThat(verdict.violations()).singleElement()
			.asString()
			.startsWith("evicted-served: app on t1 read version 1")
			.contains("but its eviction was acknowledged at +30.0 ms");
	}

	@Test
	void whenAReadReturnsNothingAfterAnEvictionThenItIsValid() {
		put("k", 1, 0, 10);
		evict("k", 20, 30);
		get("k", null, 40, 50);
		assertThat(check().isValid()).isTrue();
	}

	@Test
	void whenAReadReturnsNothingAfterAnAcknowledgedWriteThenItIsStale() {
		evict("k", 0, 10);
		put("k", 1, 20, 30);
		get("k", null, 40, 50);
		assertThat(check().stale()).isOne();
	}

	@Test
	void whenTheFinalReadMissesTheLastAcknowledgedWriteThenItIsLostWithTheFaultItFellIn() {
		put("k", 1, 0, 10);
		History.Fault fault = this.history.inject("kill", millis(15));
		put("k", 2, 16, 20);
		fault.healedAt(millis(25)).recoveredAt(millis(30));
		finalGet("k", 1L, 100, 110);
		Verdict verdict = check();
		assertThat(verdict.lost()).isOne();
		assertThat(verdict.stale()).isZero();
		assertThat(verdict.violations()).singleElement()
			.asString()
			.startsWith("lost: ")
			.contains("version 2 was acknowledged at +20.0 ms (during kill, from +15.0 ms to +30.0 ms)");
	}

	@Test
	void whenAKeyWithAcknowledgedWritesHasNoFinalReadThenItCountsAsLost() {
		put("k", 1, 0, 10);
		put("other", 1, 0, 10);
		finalGet("other", 1L, 20, 30);
		Verdict verdict = check();
		assertThat(verdict.lost()).isOne();
		assertThat(verdict.violations()).singleElement().asString().contains("k has acknowledged writes but no final");
	}

	@Test
	void whenACallerSawAnExceptionThenItFailedAndItsWriteMayStillBeRead() {
		put("k", 1, 0, 10);
		this.history.record(new Operation("app", "t1", Type.PUT, "k", 2L, millis(20), millis(30),
				new IllegalStateException("Redis is down"), false));
		get("k", 2L, 40, 50);
		get("k", 1L, 60, 70);
		Verdict verdict = check();
		assertThat(verdict.failed()).isOne();
		assertThat(verdict.stale()).isZero();
		assertThat(verdict.violations()).singleElement()
			.asString()
			.startsWith("failed: PUT of k by app on t1 at +20.0 ms threw java.lang.IllegalStateException");
	}

	@Test
	void whenAStalenessIsAllowedThenAReadMayLagByThatMuch() {
		put("k", 1, 0, 10);
		put("k", 2, 20, 30);
		get("k", 1L, 200, 210);
		assertThat(check().stale()).isOne();
		assertThat(HistoryChecker.create().withStaleness(Duration.ofMillis(200)).check(this.history).isValid())
			.isTrue();
		assertThat(HistoryChecker.create().withStaleness(Duration.ofMillis(150)).check(this.history).stale()).isOne();
	}

	@Test
	void recoveryTimesAreMeasuredFromEachHealAndAFaultThatNeverRecoversIsAViolation() {
		for (int i = 1; i <= 4; i++) {
			this.history.inject("freeze", millis(i * 1000))
				.healedAt(millis(i * 1000 + 100))
				.recoveredAt(millis(i * 1000 + 100 + i * 10));
		}
		assertThat(check().recoveryP50()).isEqualTo(Duration.ofMillis(20));
		assertThat(check().recoveryP99()).isEqualTo(Duration.ofMillis(40));
		assertThat(check().isValid()).isTrue();
		this.history.inject("kill", millis(9000)).healedAt(millis(9100));
		Verdict verdict = check();
		assertThat(verdict.unrecovered()).isOne();
		assertThat(verdict.violations()).singleElement().asString().startsWith("unrecovered: after kill");
	}

	@Test
	void whenAVersionIsWrittenTwiceToOneKeyThenTheHistoryIsRejected() {
		put("k", 1, 0, 10);
		put("k", 1, 20, 30);
		assertThatIllegalArgumentException().isThrownBy(this::check).withMessageContaining("unique per key");
	}

	@Test
	void operationsCalledThroughTheHistoryAreRecordedWithTheirOutcome() {
		History recorded = new History();
		recorded.put("app", "k", 1, () -> {
		});
		recorded.put("app", "k", 2, () -> {
			throw new IllegalStateException("down");
		});
		assertThat(recorded.get("app", "k", () -> 1L)).isEqualTo(1L);
		recorded.evict("app", "k", () -> {
		});
		assertThat(recorded.finalGet("app", "k", () -> null)).isNull();
		assertThat(recorded.operations()).extracting(Operation::type, Operation::acknowledged, Operation::last)
			.containsExactly(tuple(Type.PUT, true, false), tuple(Type.PUT, false, false), tuple(Type.GET, true, false),
					tuple(Type.EVICT, true, false), tuple(Type.GET, true, true));
		Verdict verdict = HistoryChecker.create().check(recorded);
		assertThat(verdict.failed()).isOne();
		assertThat(verdict.stale() + verdict.lost() + verdict.evictedServed()).isZero();
	}

	private Verdict check() {
		return HistoryChecker.create().check(this.history);
	}

	private void put(String key, long version, long invoked, long completed) {
		this.history.record(
				new Operation("app", "t1", Type.PUT, key, version, millis(invoked), millis(completed), null, false));
	}

	private void evict(String key, long invoked, long completed) {
		this.history
			.record(new Operation("app", "t1", Type.EVICT, key, null, millis(invoked), millis(completed), null, false));
	}

	private void get(String key, @Nullable Long version, long invoked, long completed) {
		this.history.record(
				new Operation("app", "t1", Type.GET, key, version, millis(invoked), millis(completed), null, false));
	}

	private void finalGet(String key, @Nullable Long version, long invoked, long completed) {
		this.history
			.record(new Operation("app", "t1", Type.GET, key, version, millis(invoked), millis(completed), null, true));
	}

	private static long millis(long millis) {
		return TimeUnit.MILLISECONDS.toNanos(millis);
	}

}

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
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link HistoryChecker} decided about a {@link History}: the counts of each kind
 * of violation, the recovery time after the faults, and a readable description of the
 * first violations of each kind.
 *
 * @param calls the operations recorded
 * @param failed the operations whose caller saw an exception
 * @param stale the reads that returned a value superseded before they began
 * @param lost the keys whose final read did not return their last acknowledged write
 * @param evictedServed the reads that returned a value evicted before they began
 * @param unrecovered the faults that never healed, or after which the application was
 * never served by Redis again
 * @param recoveryP50 the median time from a fault's heal to the application's recovery,
 * or {@code null} if no fault recovered
 * @param recoveryP99 the 99th percentile of that time (nearest rank), or {@code null}
 * @param violations up to ten descriptions per kind of violation
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public record Verdict(long calls, long failed, long stale, long lost, long evictedServed, long unrecovered,
		@Nullable Duration recoveryP50, @Nullable Duration recoveryP99, List<String> violations) {

	/**
	 * Return whether the history holds no violation at all.
	 * @return whether the history is valid
	 */
	public boolean isValid() {
		return this.failed == 0 && this.stale == 0 && this.lost == 0 && this.evictedServed == 0
				&& this.unrecovered == 0;
	}

	/**
	 * Return the counts and recovery times on one line.
	 * @return the summary
	 */
	public String summary() {
		return String.format(
				"calls %d, failed %d, stale %d, lost %d, evicted-served %d, unrecovered %d, "
						+ "recovery p50 %s p99 %s",
				this.calls, this.failed, this.stale, this.lost, this.evictedServed, this.unrecovered,
				millis(this.recoveryP50), millis(this.recoveryP99));
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(summary());
		this.violations.forEach((violation) -> text.append(System.lineSeparator()).append("  ").append(violation));
		return text.toString();
	}

	private static String millis(@Nullable Duration duration) {
		return (duration != null) ? duration.toMillis() + " ms" : "-";
	}

}

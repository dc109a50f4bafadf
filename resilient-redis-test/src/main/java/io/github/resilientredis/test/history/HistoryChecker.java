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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.resilientredis.test.history.History.Fault;
import io.github.resilientredis.test.history.History.Operation;
import io.github.resilientredis.test.history.History.Type;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Decides from a {@link History} whether a cache behaved as a register per key under the
 * faults it recorded.
 * <p>
 * Each key is a register whose writes are the puts (a version) and the evictions
 * (nothing), and which holds nothing at first. A read is judged on its own: it may return
 * the value of any write that was called before the read returned and that was not
 * <em>superseded</em> before the read began, a write being superseded once another write
 * called after it returned has returned. So the value of the newest write acknowledged
 * before the read began is allowed, and so is that of any write overlapping the read or
 * overlapping that newest write: overlapping writes may take effect in either order. A
 * read does not constrain later reads: two reads that return two overlapping writes in
 * opposite orders are both accepted. A write that threw may or may not have taken effect:
 * it never supersedes anything, and its value may be read at any time after it was
 * called. With a {@link #withStaleness(Duration) staleness allowance}, a read is judged
 * as if it began that much earlier, as a near cache may lag Redis by its maximum
 * staleness.
 * <p>
 * A read that fails this check counts as <em>evicted-served</em> when the write it
 * returned was superseded by an eviction, as <em>stale</em> otherwise, and as
 * <em>lost</em> when it is the {@link History#finalGet final read} of its key. When the
 * history holds final reads, every key with an acknowledged write must have one. Every
 * exception a caller saw counts as <em>failed</em>, and every fault that never healed or
 * after which the application never recovered is a violation. The check sorts the
 * operations of each key once and sweeps them: its cost is that of sorting the history.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class HistoryChecker {

	private static final int DESCRIBED = 10;

	private final Duration staleness;

	private HistoryChecker(Duration staleness) {
		this.staleness = staleness;
	}

	/**
	 * Return a checker that allows no staleness.
	 * @return the checker
	 */
	public static HistoryChecker create() {
		return new HistoryChecker(Duration.ZERO);
	}

	/**
	 * Return a checker that judges every read as if it began the given time earlier, for
	 * a near cache whose hits may lag Redis by its maximum staleness.
	 * @param staleness the staleness allowed
	 * @return a new checker
	 */
	public HistoryChecker withStaleness(Duration staleness) {
		Assert.isTrue(staleness != null && !staleness.isNegative(), "The staleness must not be negative");
		return new HistoryChecker(staleness);
	}

	/**
	 * Judge a history.
	 * @param history the history
	 * @return the verdict
	 */
	public Verdict check(History history) {
		Run run = new Run(history);
		Map<String, List<Operation>> byKey = new LinkedHashMap<>();
		boolean finalReads = false;
		for (Operation operation : history.operations()) {
			run.calls++;
			if (!operation.acknowledged()) {
				run.failed++;
				run.describe("failed", "%s of %s by %s on %s at %s threw %s", operation.type(), operation.key(),
						operation.instance(), operation.thread(), run.at(operation.invoked()), operation.failure());
			}
			finalReads |= operation.last();
			byKey.computeIfAbsent(operation.key(), (key) -> new ArrayList<>()).add(operation);
		}
		for (Map.Entry<String, List<Operation>> key : byKey.entrySet()) {
			checkKey(run, key.getKey(), key.getValue(), finalReads);
		}
		checkRecoveries(run, history.faults());
		return run.verdict();
	}

	private void checkKey(Run run, String key, List<Operation> operations, boolean finalReadsRequired) {
		List<Operation> writes = new ArrayList<>();
		List<Operation> evictions = new ArrayList<>();
		List<Read> reads = new ArrayList<>();
		Map<Long, Operation> versions = new HashMap<>();
		boolean finalRead = false;
		for (Operation operation : operations) {
			if (operation.type() == Type.GET) {
				finalRead |= operation.last();
				if (operation.acknowledged()) {
					reads.add(new Read(operation, operation.invoked() - this.staleness.toNanos()));
				}
			}
			else {
				writes.add(operation);
				if (operation.type() == Type.EVICT) {
					evictions.add(operation);
				}
				else if (versions.putIfAbsent(operation.version(), operation) != null) {
					throw new IllegalArgumentException("Version " + operation.version() + " of " + key
							+ " was written twice; versions must be unique per key");
				}
			}
		}
		newestBeforeEachRead(reads, writes);
		latestEvictionCalledBeforeEachReadReturned(reads, evictions);
		for (Read read : reads) {
			judge(run, key, read, versions);
		}
		if (finalReadsRequired && !finalRead && writes.stream().anyMatch(Operation::acknowledged)) {
			run.lost++;
			run.describe("lost", "%s has acknowledged writes but no final read", key);
		}
	}

	// Sweep the acknowledged writes by completion and the reads by (judged) start: for
	// each read, the write acknowledged before it began that was called last.
	private static void newestBeforeEachRead(List<Read> reads, List<Operation> writes) {
		List<Operation> acknowledged = new ArrayList<>(writes.stream().filter(Operation::acknowledged).toList());
		acknowledged.sort(Comparator.comparingLong(Operation::completed));
		reads.sort(Comparator.comparingLong(Read::began));
		int next = 0;
		Operation newest = null;
		Operation newestEviction = null;
		for (Read read : reads) {
			while (next < acknowledged.size() && acknowledged.get(next).completed() < read.began()) {
				Operation write = acknowledged.get(next++);
				if (newest == null || write.invoked() > newest.invoked()) {
					newest = write;
				}
				if (write.type() == Type.EVICT
						&& (newestEviction == null || write.invoked() > newestEviction.invoked())) {
					newestEviction = write;
				}
			}
			read.newest = newest;
			read.newestEviction = newestEviction;
		}
	}

	// Sweep the evictions by invocation and the reads by completion: for each read, the
	// latest completion of an eviction called before it returned.
	private static void latestEvictionCalledBeforeEachReadReturned(List<Read> reads, List<Operation> evictions) {
		List<Operation> byInvocation = new ArrayList<>(evictions);
		byInvocation.sort(Comparator.comparingLong(Operation::invoked));
		List<Read> byCompletion = new ArrayList<>(reads);
		byCompletion.sort(Comparator.comparingLong((read) -> read.operation.completed()));
		int next = 0;
		long latest = Long.MIN_VALUE;
		for (Read read : byCompletion) {
			while (next < byInvocation.size() && byInvocation.get(next).invoked() < read.operation.completed()) {
				latest = Math.max(latest, completion(byInvocation.get(next++)));
			}
			read.latestEvictionCompleted = latest;
		}
	}

	private void judge(Run run, String key, Read read, Map<Long, Operation> versions) {
		Operation operation = read.operation;
		Operation newest = read.newest;
		// A write is superseded before the read began if it returned before the newest
		// acknowledged write was called.
		long supersededBefore = (newest != null) ? newest.invoked() : Long.MIN_VALUE;
		Long version = operation.version();
		String problem;
		boolean evictedServed = false;
		if (version == null) {
			if (newest == null || read.latestEvictionCompleted >= supersededBefore) {
				return;
			}
			problem = "nothing";
		}
		else {
			Operation write = versions.get(version);
			if (write == null || write.invoked() >= operation.completed()) {
				problem = "version " + version + ", which was not written before the read returned";
			}
			else if (completion(write) >= supersededBefore) {
				return;
			}
			else {
				Operation eviction = read.newestEviction;
				evictedServed = eviction != null && eviction.invoked() > completion(write);
				problem = "version " + version + " (acknowledged at " + run.at(write.completed()) + ")";
			}
		}
		String what = operation.instance() + " on " + operation.thread() + " read " + problem + " of " + key + " at "
				+ run.at(operation.invoked()) + run.during(operation.invoked()) + ", but "
				+ ((newest != null) ? ((newest.type() == Type.EVICT) ? "its eviction" : "version " + newest.version())
						+ " was acknowledged at " + run.at(newest.completed()) + run.during(newest.completed())
						+ " before the read began" : "nothing was acknowledged before it began");
		if (operation.last()) {
			run.lost++;
			run.describe("lost", "%s (final read)", what);
		}
		else if (evictedServed) {
			run.evictedServed++;
			run.describe("evicted-served", "%s", what);
		}
		else {
			run.stale++;
			run.describe("stale", "%s", what);
		}
	}

	private static long completion(Operation write) {
		// A write that threw may take effect at any time
		return write.acknowledged() ? write.completed() : Long.MAX_VALUE;
	}

	private static void checkRecoveries(Run run, List<Fault> faults) {
		for (Fault fault : faults) {
			if (fault.healedAt() == Long.MAX_VALUE) {
				run.describe("unhealed", "%s injected at %s never healed", fault.name(), run.at(fault.injected()));
				run.unrecovered++;
			}
			else if (fault.recoveredAt() == Long.MAX_VALUE) {
				run.describe("unrecovered",
						"after %s (injected at %s, healed at %s) the application was never " + "served by Redis again",
						fault.name(), run.at(fault.injected()), run.at(fault.healedAt()));
				run.unrecovered++;
			}
			else {
				run.recoveries.add(Duration.ofNanos(Math.max(0, fault.recoveredAt() - fault.healedAt())));
			}
		}
	}

	private static final class Read {

		private final Operation operation;

		private final long began;

		private @Nullable Operation newest;

		private @Nullable Operation newestEviction;

		private long latestEvictionCompleted = Long.MIN_VALUE;

		Read(Operation operation, long began) {
			this.operation = operation;
			this.began = began;
		}

		long began() {
			return this.began;
		}

	}

	private static final class Run {

		private final History history;

		private final List<Fault> faults;

		private final List<String> violations = new ArrayList<>();

		private final List<Duration> recoveries = new ArrayList<>();

		private final Map<String, Integer> described = new HashMap<>();

		private long calls;

		private long failed;

		private long stale;

		private long lost;

		private long evictedServed;

		private long unrecovered;

		Run(History history) {
			this.history = history;
			this.faults = history.faults();
		}

		void describe(String kind, String format, @Nullable Object... arguments) {
			if (this.described.merge(kind, 1, Integer::sum) <= DESCRIBED) {
				this.violations.add(kind + ": " + String.format(format, arguments));
			}
		}

		String at(long instant) {
			return String.format("+%.1f ms", (instant - this.history.origin()) / 1e6);
		}

		String during(long instant) {
			for (Fault fault : this.faults) {
				if (instant >= fault.injected() && instant <= fault.end()) {
					return " (during " + fault.name() + ", from " + at(fault.injected()) + " to "
							+ ((fault.end() != Long.MAX_VALUE) ? at(fault.end()) : "the end") + ")";
				}
			}
			return "";
		}

		Verdict verdict() {
			List<Duration> sorted = new ArrayList<>(this.recoveries);
			sorted.sort(null);
			return new Verdict(this.calls, this.failed, this.stale, this.lost, this.evictedServed, this.unrecovered,
					percentile(sorted, 50), percentile(sorted, 99), List.copyOf(this.violations));
		}

		private static @Nullable Duration percentile(List<Duration> sorted, int percent) {
			if (sorted.isEmpty()) {
				return null;
			}
			// Nearest rank
			int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
			return sorted.get(Math.max(0, rank - 1));
		}

	}

}

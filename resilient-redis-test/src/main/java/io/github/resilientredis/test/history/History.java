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

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A thread-safe record of every cache operation of a test run, and of the faults injected
 * meanwhile, for {@link HistoryChecker} to judge.
 * <p>
 * Each operation is recorded with the instance and thread that called it, the key, the
 * version written or read ({@code null} for nothing), its invocation and completion
 * instants ({@link System#nanoTime()}) and its outcome. The versions written to one key
 * must be unique. Typical use: <pre class="code">
 * History history = new History();
 * history.put("app", key, version, () -&gt; values.write(key, version));
 * Long read = history.get("app", key, () -&gt; values.read(key));
 * History.Fault fault = history.inject("kill");
 * redis.kill();
 * redis.restart();
 * fault.healed();
 * // ... once the application is served by Redis again:
 * fault.recovered();
 * history.finalGet("app", key, () -&gt; values.read(key));
 * Verdict verdict = HistoryChecker.create().check(history);
 * </pre>
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class History {

	private final long origin;

	private final Queue<Operation> operations = new ConcurrentLinkedQueue<>();

	private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();

	/**
	 * Create an empty history whose times are shown relative to now.
	 */
	public History() {
		this(System.nanoTime());
	}

	/**
	 * Create an empty history whose times are shown relative to the given instant.
	 * @param origin the instant ({@link System#nanoTime()}) shown as {@code +0 ms}
	 */
	public History(long origin) {
		this.origin = origin;
	}

	/**
	 * Call a write of the given version and record it; an exception is recorded as the
	 * outcome, not thrown.
	 * @param instance the application instance that calls
	 * @param key the key
	 * @param version the version written, unique for the key
	 * @param write the write
	 */
	public void put(String instance, String key, long version, Runnable write) {
		long invoked = System.nanoTime();
		try {
			write.run();
			record(new Operation(instance, thread(), Type.PUT, key, version, invoked, System.nanoTime(), null, false));
		}
		catch (RuntimeException ex) {
			record(new Operation(instance, thread(), Type.PUT, key, version, invoked, System.nanoTime(), ex, false));
		}
	}

	/**
	 * Call an eviction and record it; an exception is recorded as the outcome, not
	 * thrown.
	 * @param instance the application instance that calls
	 * @param key the key
	 * @param evict the eviction
	 */
	public void evict(String instance, String key, Runnable evict) {
		long invoked = System.nanoTime();
		try {
			evict.run();
			record(new Operation(instance, thread(), Type.EVICT, key, null, invoked, System.nanoTime(), null, false));
		}
		catch (RuntimeException ex) {
			record(new Operation(instance, thread(), Type.EVICT, key, null, invoked, System.nanoTime(), ex, false));
		}
	}

	/**
	 * Call a read and record the version it returned; an exception is recorded as the
	 * outcome, not thrown.
	 * @param instance the application instance that calls
	 * @param key the key
	 * @param read the read, returning the version read or {@code null} for nothing
	 * @return the version read, or {@code null} for nothing or an exception
	 */
	public @Nullable Long get(String instance, String key, Supplier<@Nullable Long> read) {
		return get(instance, key, read, false);
	}

	/**
	 * Call the final read of a key, once every fault has healed and the application has
	 * recovered, and record it: it must return the last acknowledged write.
	 * @param instance the application instance that calls
	 * @param key the key
	 * @param read the read, returning the version read or {@code null} for nothing
	 * @return the version read, or {@code null} for nothing or an exception
	 */
	public @Nullable Long finalGet(String instance, String key, Supplier<@Nullable Long> read) {
		return get(instance, key, read, true);
	}

	private @Nullable Long get(String instance, String key, Supplier<@Nullable Long> read, boolean last) {
		long invoked = System.nanoTime();
		try {
			Long version = read.get();
			record(new Operation(instance, thread(), Type.GET, key, version, invoked, System.nanoTime(), null, last));
			return version;
		}
		catch (RuntimeException ex) {
			record(new Operation(instance, thread(), Type.GET, key, null, invoked, System.nanoTime(), ex, last));
			return null;
		}
	}

	private static String thread() {
		return Thread.currentThread().getName();
	}

	/**
	 * Record an operation as it is, for example one of a handcrafted history.
	 * @param operation the operation
	 */
	public void record(Operation operation) {
		Assert.notNull(operation, "An operation is required");
		this.operations.add(operation);
	}

	/**
	 * Record that a fault is injected now.
	 * @param name the name of the fault, shown with the writes lost while it lasted
	 * @return the fault, to mark when it heals and when the application recovers
	 */
	public Fault inject(String name) {
		return inject(name, System.nanoTime());
	}

	/**
	 * Record that a fault was injected at the given instant.
	 * @param name the name of the fault, shown with the writes lost while it lasted
	 * @param instant the instant ({@link System#nanoTime()})
	 * @return the fault, to mark when it heals and when the application recovers
	 */
	public Fault inject(String name, long instant) {
		Fault fault = new Fault(name, instant);
		this.faults.add(fault);
		return fault;
	}

	/**
	 * Return the operations recorded so far.
	 * @return the operations, in the order they completed
	 */
	public List<Operation> operations() {
		return new ArrayList<>(this.operations);
	}

	/**
	 * Return the faults recorded so far.
	 * @return the faults, in the order they were injected
	 */
	public List<Fault> faults() {
		return new ArrayList<>(this.faults);
	}

	/**
	 * Return the instant times are shown relative to.
	 * @return the origin ({@link System#nanoTime()})
	 */
	public long origin() {
		return this.origin;
	}

	/**
	 * The kind of an operation.
	 */
	public enum Type {

		/**
		 * A write of a version ({@code @CachePut}).
		 */
		PUT,

		/**
		 * A read ({@code @Cacheable}).
		 */
		GET,

		/**
		 * An eviction ({@code @CacheEvict}): the key holds nothing once it is
		 * acknowledged.
		 */
		EVICT

	}

	/**
	 * One recorded operation.
	 *
	 * @param instance the application instance that called it
	 * @param thread the thread that called it
	 * @param type the kind of operation
	 * @param key the key
	 * @param version the version written or read, {@code null} for an eviction or a read
	 * that found nothing
	 * @param invoked when it was called ({@link System#nanoTime()})
	 * @param completed when it returned or threw ({@link System#nanoTime()})
	 * @param failure the exception the caller saw, or {@code null} if it returned
	 * @param last whether it is the final read of its key, after the faults healed
	 */
	public record Operation(String instance, String thread, Type type, String key, @Nullable Long version, long invoked,
			long completed, @Nullable Throwable failure, boolean last) {

		/**
		 * Return whether the operation returned normally.
		 * @return whether it is acknowledged
		 */
		public boolean acknowledged() {
			return this.failure == null;
		}

	}

	/**
	 * A fault injected during the run: when it was injected, when it healed, and when the
	 * application was served by Redis again.
	 */
	public static final class Fault {

		private final String name;

		private final long injected;

		private volatile long healed = Long.MAX_VALUE;

		private volatile long recovered = Long.MAX_VALUE;

		Fault(String name, long injected) {
			Assert.hasText(name, "A fault name is required");
			this.name = name;
			this.injected = injected;
		}

		/**
		 * Record that the fault healed now.
		 * @return this fault
		 */
		public Fault healed() {
			return healedAt(System.nanoTime());
		}

		/**
		 * Record when the fault healed.
		 * @param instant the instant ({@link System#nanoTime()})
		 * @return this fault
		 */
		public Fault healedAt(long instant) {
			this.healed = instant;
			return this;
		}

		/**
		 * Record that the application is served by Redis again now, as the test defines
		 * it (for example the first call answered by Redis after the heal).
		 * @return this fault
		 */
		public Fault recovered() {
			return recoveredAt(System.nanoTime());
		}

		/**
		 * Record when the application was served by Redis again.
		 * @param instant the instant ({@link System#nanoTime()})
		 * @return this fault
		 */
		public Fault recoveredAt(long instant) {
			this.recovered = instant;
			return this;
		}

		/**
		 * Return the name of the fault.
		 * @return the name
		 */
		public String name() {
			return this.name;
		}

		/**
		 * Return when the fault was injected.
		 * @return the instant ({@link System#nanoTime()})
		 */
		public long injected() {
			return this.injected;
		}

		/**
		 * Return when the fault healed.
		 * @return the instant, or {@link Long#MAX_VALUE} if it has not healed
		 */
		public long healedAt() {
			return this.healed;
		}

		/**
		 * Return when the application was served by Redis again.
		 * @return the instant, or {@link Long#MAX_VALUE} if it has not recovered
		 */
		public long recoveredAt() {
			return this.recovered;
		}

		long end() {
			// Until the application recovered, or until the heal if it never did
			return (this.recovered != Long.MAX_VALUE) ? this.recovered : this.healed;
		}

	}

}

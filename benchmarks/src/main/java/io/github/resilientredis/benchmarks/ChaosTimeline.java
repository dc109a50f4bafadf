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

package io.github.resilientredis.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.cache.ResilientCacheStatistics;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.test.RedisServer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Drives {@code @Cacheable} reads, {@code @CachePut} and {@code @CacheEvict} writes from
 * 8 threads against a Redis server it breaks on a fixed schedule (a freeze, a kill with
 * an empty restart, slow commands, a silent network partition), once with plain Spring
 * Boot and once with resilient-redis, and writes per second the calls finished and
 * failed, their latency and the circuit breaker's state: {@code chaos-timeline.csv}, a
 * chart {@code chaos-timeline.png} and a summary {@code chaos-timeline.md}.
 * <p>
 * Every value carries a version; a read that returns an older version than the last write
 * or eviction of that key its thread saw succeed counts as a wrong value. The scenario is
 * driven by the clock: a call stalled by a fault is counted when it finishes, in the
 * second it finishes.
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.github.resilientredis.benchmarks.ChaosTimeline
 * [output directory] [time scale]}; a time scale below 1 shortens every phase.
 *
 * @author resilient-redis contributors
 */
public final class ChaosTimeline {

	static final int THREADS = 8;

	static final int KEYS_PER_THREAD = 125;

	private static final long CALL_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	/**
	 * The starter's default command timeout ({@code CACHE_SOCKET_TIMEOUT_MS}): the start
	 * of an outage that the latency target leaves out.
	 */
	static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration DRAIN = Duration.ofSeconds(5);

	private static final Duration SLOW_COMMAND = Duration.ofMillis(1500);

	private final Path output;

	private final double timeScale;

	private final boolean blackhole;

	ChaosTimeline(Path output, double timeScale, boolean blackhole) {
		this.output = output;
		this.timeScale = timeScale;
		this.blackhole = blackhole;
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Path output = Path.of((args.length > 0) ? args[0] : ".");
		double timeScale = (args.length > 1) ? Double.parseDouble(args[1]) : 1.0;
		boolean blackhole = RedisServer.isBlackholeSupported();
		if (!blackhole) {
			System.out.println("Note: blackhole() needs root, ip netns and a local redis-server; "
					+ "the network partition phase is skipped");
		}
		ChaosReport report = new ChaosTimeline(output, timeScale, blackhole).run();
		System.out.println();
		System.out.println(report.markdown());
		System.out.println("Wrote " + report.files());
	}

	/**
	 * Run the scenario with plain Spring Boot, then with the starter, and write the
	 * results.
	 * @return the results
	 * @throws IOException if the results cannot be written
	 */
	ChaosReport run() throws IOException {
		Files.createDirectories(this.output);
		RedisServer.Builder builder = RedisServer.builder();
		if (this.blackhole) {
			builder.isolatedNetwork();
		}
		List<RunResult> results = new ArrayList<>();
		try (RedisServer server = builder.start()) {
			for (boolean resilient : new boolean[] { false, true }) {
				server.restart();
				results.add(runOnce(server, resilient));
			}
		}
		ChaosReport report = new ChaosReport(results, this.timeScale, this.blackhole);
		report.write(this.output);
		return report;
	}

	private List<Fault> faults(RedisServer server) {
		List<Fault> faults = new ArrayList<>();
		faults.add(new Fault("freeze", "SIGSTOP for 8 s", scaled(5), scaled(8), (s) -> s.freeze(), (s) -> s.thaw()));
		faults.add(new Fault("kill", "SIGKILL, empty restart 5 s later", scaled(20), scaled(5), (s) -> s.kill(),
				(s) -> s.restart()));
		faults.add(new Fault("slow", "DEBUG SLEEP 1.5 s, back to back for 6 s", scaled(32), scaled(6),
				(s) -> slowCommands(s, scaled(6)), (s) -> {
				}));
		if (this.blackhole) {
			faults.add(new Fault("blackhole", "every packet from Redis dropped for 8 s", scaled(45), scaled(8),
					(s) -> s.blackhole(), (s) -> s.heal()));
		}
		return faults;
	}

	private Duration end() {
		return scaled(this.blackhole ? 63 : 50);
	}

	private Duration scaled(double seconds) {
		return Duration.ofNanos((long) (seconds * this.timeScale * 1_000_000_000L));
	}

	private void slowCommands(RedisServer server, Duration window) {
		long end = System.nanoTime() + window.toNanos();
		Duration sleep = Duration.ofNanos(Math.min(SLOW_COMMAND.toNanos(), window.toNanos()));
		while (end - System.nanoTime() >= sleep.toNanos() / 2) {
			long started = System.nanoTime();
			server.slow(sleep);
			parkUntil(started + sleep.toNanos());
		}
	}

	private RunResult runOnce(RedisServer server, boolean resilient) {
		String label = resilient ? "resilient-redis" : "plain Spring Boot";
		System.out.printf(Locale.ROOT, "%n%s: starting%n", label);
		ConfigurableApplicationContext context = CachingApplication.start(server, resilient, false);
		try {
			VersionedCatalog catalog = context.getBean(VersionedCatalog.class);
			ResilientRedisCacheManager cacheManager = CachingApplication.resilientCacheManager(context);
			for (int thread = 0; thread < THREADS; thread++) {
				for (int key = 0; key < KEYS_PER_THREAD; key++) {
					catalog.find(key(thread, key));
				}
			}
			Run run = new Run(label, cacheManager);
			List<Fault> faults = faults(server);
			run.faults.addAll(faults);
			List<Thread> drivers = new ArrayList<>();
			CountDownLatch stopped = new CountDownLatch(THREADS);
			run.start = System.nanoTime();
			for (int thread = 0; thread < THREADS; thread++) {
				int index = thread;
				Thread driver = new Thread(() -> {
					try {
						drive(run, catalog, index);
					}
					finally {
						stopped.countDown();
					}
				}, "chaos-driver-" + thread);
				driver.setDaemon(true);
				drivers.add(driver);
				driver.start();
			}
			Thread monitor = new Thread(() -> monitor(run), "chaos-monitor");
			monitor.setDaemon(true);
			monitor.start();
			for (Fault fault : faults) {
				parkUntil(run.start + fault.start().toNanos());
				System.out.printf(Locale.ROOT, "%s: %s at %.1f s%n", label, fault.name(),
						run.seconds(System.nanoTime()));
				fault.injected().set(System.nanoTime());
				fault.inject().accept(server);
				parkUntil(run.start + fault.start().plus(fault.duration()).toNanos());
				fault.heal().accept(server);
				fault.returned().set(System.nanoTime());
			}
			parkUntil(run.start + end().toNanos());
			run.stopping = true;
			try {
				if (!stopped.await(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
					System.out.printf(Locale.ROOT, "%s: %d call(s) still stalled %d s after the end%n", label,
							run.inFlight.get(), DRAIN.toSeconds());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			run.unfinished = run.inFlight.get();
			run.finished = true;
			joinQuietly(monitor);
			return run.result();
		}
		finally {
			context.close();
		}
	}

	private void drive(Run run, VersionedCatalog catalog, int thread) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long[] acknowledged = new long[KEYS_PER_THREAD];
		long version = 0;
		long next = System.nanoTime();
		while (!run.stopping) {
			next += CALL_PERIOD_NANOS;
			long now = System.nanoTime();
			if (now - next > CALL_PERIOD_NANOS) {
				// Stalled: carry on at the normal rate instead of catching up in a burst
				next = now;
			}
			parkUntil(next);
			int key = random.nextInt(KEYS_PER_THREAD);
			int operation = random.nextInt(100);
			long written = ++version;
			run.inFlight.incrementAndGet();
			long start = System.nanoTime();
			boolean succeeded = false;
			try {
				if (operation < 90) {
					VersionedCatalog.Item item = catalog.find(key(thread, key));
					if (item.version() < acknowledged[key]) {
						run.wrongValue(key(thread, key), item.version(), acknowledged[key]);
					}
				}
				else if (operation < 95) {
					catalog.update(key(thread, key), written);
					acknowledged[key] = written;
				}
				else {
					catalog.remove(key(thread, key), written);
					acknowledged[key] = written;
				}
				succeeded = true;
			}
			catch (RuntimeException ex) {
				run.failure(ex);
			}
			finally {
				run.inFlight.decrementAndGet();
				run.record(start, System.nanoTime(), succeeded);
			}
		}
	}

	private void monitor(Run run) {
		int second = 0;
		while (!run.finished) {
			parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1));
			long now = System.nanoTime();
			run.observe(now);
			if (run.seconds(now) >= second + 1) {
				run.closeSecond(second, phaseOf(run, second));
				second++;
			}
		}
		run.closeSecond(second, phaseOf(run, second));
	}

	private static String phaseOf(Run run, int second) {
		long from = run.start + TimeUnit.SECONDS.toNanos(second);
		long to = from + TimeUnit.SECONDS.toNanos(1);
		for (Fault fault : run.faults) {
			long injected = fault.injected.get();
			long returned = fault.returned.get();
			if (injected != 0 && injected < to && (returned == 0 || returned > from)) {
				return fault.name();
			}
		}
		return "";
	}

	static String key(int thread, int key) {
		return "chaos:" + thread + ":" + key;
	}

	private static void parkUntil(long deadline) {
		long remaining;
		while ((remaining = deadline - System.nanoTime()) > 0) {
			LockSupport.parkNanos(remaining);
		}
	}

	private static void joinQuietly(Thread thread) {
		try {
			thread.join(TimeUnit.SECONDS.toMillis(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A fault of the scenario.
	 *
	 * @param name short name
	 * @param description what is done to the server
	 * @param start offset from the start of the run
	 * @param duration how long the server is unavailable
	 * @param inject breaks the server
	 * @param heal brings it back
	 * @param injected when it was injected, from {@link System#nanoTime()}
	 * @param returned when the server was back
	 */
	record Fault(String name, String description, Duration start, Duration duration, Consumer<RedisServer> inject,
			Consumer<RedisServer> heal, AtomicLong injected, AtomicLong returned) {

		Fault(String name, String description, Duration start, Duration duration, Consumer<RedisServer> inject,
				Consumer<RedisServer> heal) {
			this(name, description, start, duration, inject, heal, new AtomicLong(), new AtomicLong());
		}

	}

	/**
	 * One second of a run.
	 *
	 * @param second seconds since the start of the run
	 * @param finished calls that finished in that second
	 * @param failed calls that failed in that second
	 * @param p50 median latency of the calls that finished, ms ({@code NaN} if none)
	 * @param p99 99th percentile, ms
	 * @param max slowest call, ms
	 * @param breaker most open state of the circuit breaker in that second, or {@code -}
	 * @param phase the fault active in that second, if any
	 */
	record Second(int second, long finished, long failed, double p50, double p99, double max, String breaker,
			String phase) {

	}

	/**
	 * What a fault cost a run.
	 *
	 * @param fault the fault
	 * @param description what was done to the server
	 * @param start seconds from the start of the run to the fault
	 * @param end seconds from the start of the run to the server's return
	 * @param recovery seconds from the server's return until traffic went through Redis
	 * again, {@code NaN} if it did not within the run
	 */
	record FaultResult(String fault, String description, double start, double end, double recovery) {

	}

	/**
	 * The result of a run.
	 *
	 * @param label plain Spring Boot or resilient-redis
	 * @param resilient whether it ran with the starter
	 * @param seconds the timeline
	 * @param faults the faults and their recovery
	 * @param calls calls finished
	 * @param failed calls failed
	 * @param wrongValues reads of a version older than an acknowledged write
	 * @param unfinished calls still stalled when the run was stopped
	 * @param worstCall slowest single call, ms
	 * @param failures the first failure of each type
	 * @param wrongValueExample the first wrong value, if any
	 */
	record RunResult(String label, boolean resilient, List<Second> seconds, List<FaultResult> faults, long calls,
			long failed, long wrongValues, long unfinished, double worstCall, List<String> failures,
			@Nullable String wrongValueExample) {

	}

	private static final class Run {

		private final String label;

		private final @Nullable ResilientRedisCacheManager cacheManager;

		private final List<Fault> faults = new ArrayList<>();

		private final Recorder latencies = new Recorder(3);

		private final Histogram all = new Histogram(3);

		private final AtomicLong failedInSecond = new AtomicLong();

		private final LongAdder failed = new LongAdder();

		private final LongAdder wrongValues = new LongAdder();

		private final AtomicReference<@Nullable String> wrongValueExample = new AtomicReference<>();

		private final List<String> failures = new ArrayList<>();

		private final AtomicInteger inFlight = new AtomicInteger();

		private final AtomicLong lastSuccess = new AtomicLong();

		private final List<Second> seconds = new ArrayList<>();

		private final long[] recovered = new long[8];

		private final long[] trafficAtReturn = new long[8];

		private volatile boolean stopping;

		private volatile boolean finished;

		private long start;

		private long unfinished;

		private CircuitBreaker.@Nullable State worstState;

		Run(String label, @Nullable ResilientRedisCacheManager cacheManager) {
			this.label = label;
			this.cacheManager = cacheManager;
		}

		double seconds(long nanos) {
			return (nanos - this.start) / 1e9;
		}

		void record(long start, long end, boolean succeeded) {
			this.latencies.recordValue(Math.max(1, (end - start) / 1000));
			if (!succeeded) {
				this.failedInSecond.incrementAndGet();
				this.failed.increment();
			}
			else {
				this.lastSuccess.accumulateAndGet(end, Math::max);
			}
		}

		void failure(RuntimeException ex) {
			Throwable root = ex;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			String description = ex.getClass().getSimpleName() + " (" + root.getClass().getSimpleName() + ": "
					+ root.getMessage() + ")";
			synchronized (this.failures) {
				String type = ex.getClass().getName() + root.getClass().getName();
				if (this.failures.size() < 5 && this.failures.stream().noneMatch((f) -> f.startsWith(type))) {
					this.failures.add(type + "|" + description);
				}
			}
		}

		void wrongValue(String key, long read, long acknowledged) {
			this.wrongValues.increment();
			this.wrongValueExample.compareAndSet(null,
					String.format(Locale.ROOT, "at %.1f s, read version %d of %s after version %d was acknowledged",
							seconds(System.nanoTime()), read, key, acknowledged));
		}

		/**
		 * Sample the circuit breaker and whether traffic reaches Redis again after a
		 * fault.
		 * @param now the time
		 */
		void observe(long now) {
			ResilientRedisCacheManager cacheManager = this.cacheManager;
			long traffic = (cacheManager != null) ? redisTraffic(cacheManager) : 0;
			if (cacheManager != null) {
				CircuitBreaker.State state = cacheManager.getCircuitBreakerState();
				if (this.worstState == null || severity(state) > severity(this.worstState)) {
					this.worstState = state;
				}
			}
			for (int i = 0; i < this.faults.size(); i++) {
				long returned = this.faults.get(i).returned().get();
				if (returned == 0 || this.recovered[i] != 0) {
					continue;
				}
				if (cacheManager == null) {
					long success = this.lastSuccess.get();
					if (success - returned > 0) {
						this.recovered[i] = success;
					}
				}
				else if (this.trafficAtReturn[i] == 0) {
					// The first sample after the return: count Redis traffic from here
					this.trafficAtReturn[i] = traffic + 1;
				}
				else if (traffic + 1 > this.trafficAtReturn[i] && !cacheManager.isServingFromFallback()) {
					this.recovered[i] = now;
				}
			}
		}

		private static long redisTraffic(ResilientRedisCacheManager cacheManager) {
			long[] total = new long[1];
			cacheManager.forEachCache((cache) -> {
				ResilientCacheStatistics statistics = cache.getResilienceStatistics();
				total[0] += statistics.getRedisHits() + statistics.getRedisMisses() + statistics.getRedisPuts()
						+ statistics.getRedisEvictions();
			});
			return total[0];
		}

		private static int severity(CircuitBreaker.State state) {
			return switch (state) {
				case OPEN, FORCED_OPEN -> 2;
				case HALF_OPEN -> 1;
				default -> 0;
			};
		}

		void closeSecond(int second, String phase) {
			Histogram histogram = this.latencies.getIntervalHistogram();
			this.all.add(histogram);
			long count = histogram.getTotalCount();
			double p50 = (count > 0) ? histogram.getValueAtPercentile(50) / 1000.0 : Double.NaN;
			double p99 = (count > 0) ? histogram.getValueAtPercentile(99) / 1000.0 : Double.NaN;
			double max = (count > 0) ? histogram.getMaxValue() / 1000.0 : Double.NaN;
			CircuitBreaker.State state = this.worstState;
			this.worstState = null;
			String breaker = (this.cacheManager != null && state != null) ? state.name() : "-";
			this.seconds
				.add(new Second(second, count, this.failedInSecond.getAndSet(0), p50, p99, max, breaker, phase));
		}

		RunResult result() {
			List<FaultResult> faultResults = new ArrayList<>();
			for (int i = 0; i < this.faults.size(); i++) {
				Fault fault = this.faults.get(i);
				long returned = fault.returned().get();
				double recovery = (this.recovered[i] != 0) ? Math.max(0, (this.recovered[i] - returned) / 1e9)
						: Double.NaN;
				faultResults.add(new FaultResult(fault.name(), fault.description(), seconds(fault.injected().get()),
						seconds(returned), recovery));
			}
			List<String> failureDescriptions = this.failures.stream()
				.map((failure) -> failure.substring(failure.indexOf('|') + 1))
				.toList();
			return new RunResult(this.label, this.cacheManager != null, List.copyOf(this.seconds), faultResults,
					this.all.getTotalCount(), this.failed.sum(), this.wrongValues.sum(), this.unfinished,
					this.all.getMaxValue() / 1000.0, failureDescriptions, this.wrongValueExample.get());
		}

	}

}

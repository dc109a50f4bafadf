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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The near cache against the ceiling of a near cache, a local-only cache, in one run:
 * {@link NearCacheBenchmark} (100 keys, 8 threads) with resilient-redis's near cache on
 * and with Spring Boot's {@code CaffeineCacheManager} (no Redis involved) on the same
 * {@code @Cacheable} workload, side by side in alternating order, round after round, for
 * each kind of value ({@code String}, a {@code record}, a class with setters); each
 * round's ratio is computed from its own two runs, with the CPU time of the whole JVM per
 * call ({@link ProcessCpuProfiler}). Then the latency of near hits of {@code String}
 * values, every call timed into an HdrHistogram by 8 threads in this JVM, with the number
 * of calls that were not near hits.
 * <p>
 * Arguments: the number of rounds (default 4). {@code -Dbenchmarks.values} lists the
 * kinds of values (default {@code string,record,bean}). Writes the report to
 * {@code near-cache.md} in the working directory, or in the directory given by
 * {@code -Dbenchmarks.output}.
 *
 * @author resilient-redis contributors
 */
public final class NearCacheComparison {

	private static final String CPU = "cpu.time.norm";

	private NearCacheComparison() {
	}

	public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 4;
		int threads = Integer.getInteger("benchmarks.threads", 8);
		List<String> values = List.of(System.getProperty("benchmarks.values", "string,record,bean").split(","));
		Map<String, Rounds> results = new LinkedHashMap<>();
		for (String value : values) {
			Rounds measured = new Rounds(new ArrayList<>(), new ArrayList<>());
			List<String> order = new ArrayList<>(List.of("on", "caffeine"));
			for (int round = 0; round < rounds; round++) {
				for (String near : order) {
					("on".equals(near) ? measured.near() : measured.caffeine()).add(run(near, value, threads));
				}
				// The next round starts with the variant this one ended with
				Collections.reverse(order);
			}
			results.put(value, measured);
		}
		Latency latency = latency(threads, Integer.getInteger("benchmarks.latency.seconds", 10));
		String report = report(results, latency, threads);
		System.out.println(report);
		Path output = Path.of(System.getProperty("benchmarks.output", ".")).resolve("near-cache.md");
		Files.writeString(output, report, StandardCharsets.UTF_8);
	}

	private static Measurement run(String near, String values, int threads) throws RunnerException {
		Options options = new OptionsBuilder().include(NearCacheBenchmark.class.getName() + ".hit")
			.param("near", near)
			.param("values", values)
			.forks(1)
			.threads(threads)
			.warmupIterations(Integer.getInteger("benchmarks.warmups", 3))
			.warmupTime(TimeValue.seconds(2))
			.measurementIterations(Integer.getInteger("benchmarks.iterations", 5))
			.measurementTime(TimeValue.seconds(2))
			.addProfiler(ProcessCpuProfiler.class)
			.build();
		RunResult result = new Runner(options).runSingle();
		Result<?> cpu = result.getSecondaryResults().get(CPU);
		return new Measurement(result.getPrimaryResult().getScore(), (cpu != null) ? cpu.getScore() : Double.NaN);
	}

	/**
	 * Time every call of the near cache, on threads of this JVM: a warm-up of a third of
	 * the time, then the measured calls.
	 * @param threads the number of calling threads
	 * @param seconds how long the calls are measured
	 * @return the latency of the calls
	 * @throws InterruptedException if interrupted while waiting
	 */
	static Latency latency(int threads, int seconds) throws InterruptedException {
		NearCacheBenchmark benchmark = new NearCacheBenchmark();
		benchmark.near = "on";
		benchmark.values = "string";
		benchmark.startRedisAndApplication();
		try {
			Recorder recorder = new Recorder(3);
			AtomicBoolean measuring = new AtomicBoolean();
			AtomicBoolean running = new AtomicBoolean(true);
			List<Thread> workers = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				Thread worker = new Thread(() -> {
					while (running.get()) {
						long start = System.nanoTime();
						benchmark.hit();
						long elapsed = System.nanoTime() - start;
						if (measuring.get()) {
							recorder.recordValue(elapsed);
						}
					}
				}, "near-cache-latency-" + i);
				workers.add(worker);
				worker.start();
			}
			long warmUpMillis = TimeUnit.SECONDS.toMillis(seconds) / 3;
			Thread.sleep(warmUpMillis);
			long otherReadsBefore = benchmark.otherReads();
			recorder.reset();
			measuring.set(true);
			Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
			measuring.set(false);
			Histogram histogram = recorder.getIntervalHistogram();
			// Read a little after the timed interval: an upper bound of the timed calls
			// that
			// were not near hits.
			long otherReads = benchmark.otherReads() - otherReadsBefore;
			running.set(false);
			for (Thread worker : workers) {
				worker.join();
			}
			return new Latency(histogram.getTotalCount(), otherReads, histogram.getValueAtPercentile(50),
					histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9), histogram.getMaxValue(),
					benchmark.missesSinceSetUp());
		}
		finally {
			benchmark.stopApplicationAndRedis();
		}
	}

	static String report(Map<String, Rounds> results, Latency latency, int threads) {
		StringBuilder report = new StringBuilder();
		report.append("## Near cache against Spring Boot's local-only CaffeineCacheManager\n\n");
		int rounds = results.values().stream().mapToInt((measured) -> measured.near().size()).max().orElse(0);
		report.append(String.format(Locale.ROOT,
				"%s, %d hot keys, %d threads, %d rounds per kind of value in alternating order; each round's ratio is "
						+ "near / Caffeine of that round; CPU is the process's CPU time per call.%n%n",
				LocalDate.now(), NearCacheBenchmark.KEYS, threads, rounds));
		report.append("| Values | Round | near ops/s | Caffeine ops/s | near / Caffeine | near CPU µs/call "
				+ "| Caffeine CPU µs/call |\n|---|--:|--:|--:|--:|--:|--:|\n");
		StringBuilder summary = new StringBuilder();
		results.forEach((values, measured) -> {
			List<Double> ratios = new ArrayList<>();
			for (int round = 0; round < measured.near().size(); round++) {
				Measurement near = measured.near().get(round);
				Measurement caffeine = measured.caffeine().get(round);
				double ratio = near.opsPerSecond() / caffeine.opsPerSecond();
				ratios.add(ratio);
				report.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %.2f× | %.1f | %.1f |%n", values,
						round + 1, near.opsPerSecond(), caffeine.opsPerSecond(), ratio, near.cpuNanosPerCall() / 1000.0,
						caffeine.cpuNanosPerCall() / 1000.0));
			}
			summary.append(String.format(Locale.ROOT,
					"- %s values: near / Caffeine, median (min–max): **%.2f×** (%.2f–%.2f); CPU per call, median: "
							+ "near %.1f µs, Caffeine %.1f µs%n",
					values, CacheOverheadComparison.median(ratios), Collections.min(ratios), Collections.max(ratios),
					CacheOverheadComparison.median(measured.near().stream().map(Measurement::cpuNanosPerCall).toList())
							/ 1000.0,
					CacheOverheadComparison
						.median(measured.caffeine().stream().map(Measurement::cpuNanosPerCall).toList()) / 1000.0));
		});
		report.append("\n").append(summary).append("\n");
		report.append(String.format(Locale.ROOT,
				"Near cache on, String values, every call timed (HdrHistogram, %d threads): %,d calls, at most %,d of "
						+ "them not near hits (Redis or fallback reads), %d misses; p50 %.1f µs, **p99 %.1f µs**, "
						+ "p99.9 %.1f µs, max %.1f µs%n",
				threads, latency.calls(), latency.otherReads(), latency.misses(), latency.p50Nanos() / 1000.0,
				latency.p99Nanos() / 1000.0, latency.p999Nanos() / 1000.0, latency.maxNanos() / 1000.0));
		return report.toString();
	}

	/**
	 * The runs of one kind of value.
	 *
	 * @param near the runs with the near cache, one per round
	 * @param caffeine the runs with Spring Boot's Caffeine cache, one per round
	 */
	record Rounds(List<Measurement> near, List<Measurement> caffeine) {

	}

	/**
	 * One run.
	 *
	 * @param opsPerSecond calls per second, all threads
	 * @param cpuNanosPerCall CPU time of the JVM per call in nanoseconds
	 */
	record Measurement(double opsPerSecond, double cpuNanosPerCall) {

	}

	/**
	 * Latency of near-cache calls.
	 *
	 * @param calls the calls timed
	 * @param otherReads reads that were not near hits, counted over a little more than
	 * the timed interval
	 * @param p50Nanos median in nanoseconds
	 * @param p99Nanos 99th percentile in nanoseconds
	 * @param p999Nanos 99.9th percentile in nanoseconds
	 * @param maxNanos slowest call in nanoseconds
	 * @param misses reads that missed the cache since the set-up
	 */
	record Latency(long calls, long otherReads, long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos,
			long misses) {

	}

}

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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the near cache gives on hot keys, in one run: {@link NearCacheBenchmark} (100
 * keys, 8 threads) with the near cache off and on, side by side in alternating order,
 * round after round, each round's ratio computed from its own two runs; then the latency
 * of near hits, every call timed into an HdrHistogram by 8 threads in this JVM, with the
 * number of calls that were not near hits.
 * <p>
 * Arguments: the number of rounds (default 3). Writes the report to {@code near-cache.md}
 * in the working directory, or in the directory given by {@code -Dbenchmarks.output}.
 *
 * @author resilient-redis contributors
 */
public final class NearCacheComparison {

	private NearCacheComparison() {
	}

	public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		int threads = Integer.getInteger("benchmarks.threads", 8);
		List<Double> off = new ArrayList<>();
		List<Double> on = new ArrayList<>();
		List<String> order = new ArrayList<>(List.of("off", "on"));
		for (int round = 0; round < rounds; round++) {
			for (String near : order) {
				("on".equals(near) ? on : off).add(throughput(near, threads));
			}
			Collections.reverse(order);
		}
		Latency latency = latency(threads, Integer.getInteger("benchmarks.latency.seconds", 10));
		String report = report(off, on, latency, threads);
		System.out.println(report);
		Path output = Path.of(System.getProperty("benchmarks.output", ".")).resolve("near-cache.md");
		Files.writeString(output, report, StandardCharsets.UTF_8);
	}

	private static double throughput(String near, int threads) throws RunnerException {
		Options options = new OptionsBuilder().include(NearCacheBenchmark.class.getName() + ".hit")
			.param("near", near)
			.forks(1)
			.threads(threads)
			.warmupIterations(Integer.getInteger("benchmarks.warmups", 3))
			.warmupTime(TimeValue.seconds(2))
			.measurementIterations(Integer.getInteger("benchmarks.iterations", 5))
			.measurementTime(TimeValue.seconds(2))
			.build();
		return new Runner(options).runSingle().getPrimaryResult().getScore();
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

	static String report(List<Double> off, List<Double> on, Latency latency, int threads) {
		StringBuilder report = new StringBuilder();
		report.append("## Near cache: hot keys with the near cache off and on\n\n");
		report.append(String.format(Locale.ROOT,
				"%s, %d hot keys, %d threads, %d rounds in alternating order; each round's ratio is on / off of "
						+ "that round.%n%n",
				LocalDate.now(), NearCacheBenchmark.KEYS, threads, off.size()));
		report.append("| Round | off ops/s | on ops/s | on / off |\n|--:|--:|--:|--:|\n");
		List<Double> ratios = new ArrayList<>();
		for (int round = 0; round < off.size(); round++) {
			double ratio = on.get(round) / off.get(round);
			ratios.add(ratio);
			report.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.1f× |%n", round + 1, off.get(round),
					on.get(round), ratio));
		}
		report.append(String.format(Locale.ROOT,
				"%nThroughput ratio on / off, median (min–max): **%.1f×** " + "(%.1f–%.1f)%n%n",
				CacheOverheadComparison.median(ratios), Collections.min(ratios), Collections.max(ratios)));
		report.append(String.format(Locale.ROOT,
				"Near cache on, every call timed (HdrHistogram, %d threads): %,d calls, at most %,d of them not near "
						+ "hits (Redis or fallback reads), %d misses; p50 %.1f µs, **p99 %.1f µs**, p99.9 %.1f µs, "
						+ "max %.1f µs%n",
				threads, latency.calls(), latency.otherReads(), latency.misses(), latency.p50Nanos() / 1000.0,
				latency.p99Nanos() / 1000.0, latency.p999Nanos() / 1000.0, latency.maxNanos() / 1000.0));
		return report.toString();
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

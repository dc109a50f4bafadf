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

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the starter costs on a healthy {@code @Cacheable} hit, measured the way this noisy
 * machine allows: plain Spring Boot and the starter ({@link CachedReadBenchmark}, 8
 * threads) side by side in one run, in alternating order, round after round, each round's
 * ratio computed from its own two runs; then the median ratio with its spread and the
 * allocation per call (JMH's {@code gc.alloc.rate.norm}) of each.
 * <p>
 * Arguments: the number of rounds (at least 4), then optional variants of the starter as
 * {@code name=property=value;property=value}, each measured in every round too (an
 * ablation: the starter with one feature switched off). Writes the table to
 * {@code cache-overhead.md} in the working directory, or in the directory given by
 * {@code -Dbenchmarks.output}.
 *
 * @author resilient-redis contributors
 */
public final class CacheOverheadComparison {

	private static final String ALLOCATION = "gc.alloc.rate.norm";

	private static final String CPU = "cpu.time.norm";

	private CacheOverheadComparison() {
	}

	public static void main(String[] args) throws RunnerException, IOException {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 4;
		int threads = Integer.getInteger("benchmarks.threads", 8);
		Map<String, Variant> variants = new LinkedHashMap<>();
		variants.put("plain", new Variant("plain", "plain", ""));
		variants.put("starter", new Variant("starter", "starter", ""));
		for (int i = 1; i < args.length; i++) {
			String[] parts = args[i].split("=", 2);
			variants.put(parts[0], new Variant(parts[0], "starter", parts[1]));
		}
		Map<String, List<Measurement>> measurements = new LinkedHashMap<>();
		variants.keySet().forEach((name) -> measurements.put(name, new ArrayList<>()));
		List<Variant> order = new ArrayList<>(variants.values());
		for (int round = 0; round < rounds; round++) {
			for (Variant variant : order) {
				measurements.get(variant.name()).add(run(variant, threads));
			}
			// The next round starts with the variant this one ended with
			Collections.reverse(order);
		}
		String report = report(measurements, rounds, threads);
		System.out.println(report);
		Path output = Path.of(System.getProperty("benchmarks.output", ".")).resolve("cache-overhead.md");
		Files.writeString(output, report, StandardCharsets.UTF_8);
	}

	private static Measurement run(Variant variant, int threads) throws RunnerException {
		Options options = new OptionsBuilder().include(CachedReadBenchmark.class.getName() + ".hit")
			.param("cache", variant.cache())
			.param("properties", variant.properties())
			.forks(1)
			.threads(threads)
			.warmupIterations(Integer.getInteger("benchmarks.warmups", 3))
			.warmupTime(TimeValue.seconds(2))
			.measurementIterations(Integer.getInteger("benchmarks.iterations", 5))
			.measurementTime(TimeValue.seconds(2))
			.addProfiler(GCProfiler.class)
			.addProfiler(ProcessCpuProfiler.class)
			.build();
		RunResult result = new Runner(options).runSingle();
		return new Measurement(result.getPrimaryResult().getScore(), secondary(result, ALLOCATION),
				secondary(result, CPU));
	}

	private static double secondary(RunResult result, String name) {
		Result<?> secondary = result.getSecondaryResults().get(name);
		return (secondary != null) ? secondary.getScore() : Double.NaN;
	}

	static String report(Map<String, List<Measurement>> measurements, int rounds, int threads) {
		StringBuilder report = new StringBuilder();
		report.append("## Healthy @Cacheable hit: plain Spring Boot and the starter\n\n");
		report.append(String.format(Locale.ROOT,
				"%s, %d threads, %d rounds in alternating order; each round's ratio is variant / plain of "
						+ "that round.%n%n",
				LocalDate.now(), threads, rounds));
		report.append("| Round |");
		measurements.keySet().forEach((name) -> report.append(' ').append(name).append(" ops/s | B/op | CPU µs/op |"));
		report.append('\n').append("|--:|");
		measurements.keySet().forEach((name) -> report.append("--:|--:|--:|"));
		report.append('\n');
		for (int round = 0; round < rounds; round++) {
			report.append("| ").append(round + 1).append(" |");
			for (List<Measurement> runs : measurements.values()) {
				Measurement measurement = runs.get(round);
				report.append(String.format(Locale.ROOT, " %,.0f | %.0f | %.1f |", measurement.opsPerSecond(),
						measurement.bytesPerCall(), measurement.cpuNanosPerCall() / 1000));
			}
			report.append('\n');
		}
		report.append("\n| Variant | Throughput ratio to plain, median (min–max) | B/op, median | B/op over plain "
				+ "| CPU ratio to plain, median (min–max) |\n");
		report.append("|---|--:|--:|--:|--:|\n");
		List<Measurement> plain = measurements.get("plain");
		double plainBytes = median(plain.stream().map(Measurement::bytesPerCall).toList());
		measurements.forEach((name, runs) -> {
			if (name.equals("plain")) {
				return;
			}
			List<Double> ratios = new ArrayList<>();
			List<Double> cpuRatios = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				ratios.add(runs.get(round).opsPerSecond() / plain.get(round).opsPerSecond());
				cpuRatios.add(runs.get(round).cpuNanosPerCall() / plain.get(round).cpuNanosPerCall());
			}
			double bytes = median(runs.stream().map(Measurement::bytesPerCall).toList());
			report.append(String.format(Locale.ROOT, "| %s | %.3f (%.3f–%.3f) | %.0f | %+.0f | %.3f (%.3f–%.3f) |%n",
					name, median(ratios), Collections.min(ratios), Collections.max(ratios), bytes, bytes - plainBytes,
					median(cpuRatios), Collections.min(cpuRatios), Collections.max(cpuRatios)));
		});
		return report.toString();
	}

	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * One application measured in every round.
	 *
	 * @param name the name in the report
	 * @param cache {@code plain} or {@code starter}
	 * @param properties properties for the application, separated by {@code ;}
	 */
	record Variant(String name, String cache, String properties) {

	}

	/**
	 * The result of one run.
	 *
	 * @param opsPerSecond cache hits per second, all threads together
	 * @param bytesPerCall bytes allocated per hit
	 * @param cpuNanosPerCall CPU time of the whole JVM per hit, in nanoseconds
	 */
	record Measurement(double opsPerSecond, double bytesPerCall, double cpuNanosPerCall) {

	}

}

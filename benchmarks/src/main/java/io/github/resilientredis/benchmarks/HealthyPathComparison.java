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

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.resilientredis.test.RedisServer;

import org.springframework.util.Assert;

/**
 * What the starter costs on a healthy {@code @Cacheable} hit against the application the
 * user had: plain Spring Boot ({@code spring-boot-starter-data-redis} and
 * {@code spring-boot-starter-cache}, nothing else), the same with
 * {@code spring-boot-starter-actuator}, and each of them with resilient-redis added. Each
 * is its own JVM on its own classpath ({@code target/classpaths/*.txt}, written by the
 * build), running {@link HealthyPathApplication} against its own {@code redis-server};
 * each round runs every variant once, the next round in the reverse order, and each
 * round's ratios are computed from its own runs. Prints calls per second and the
 * process's CPU time per call of each run, the median ratios with their spread, the
 * targets, and the {@code GET}s Redis counted per call ({@code INFO commandstats}).
 * <p>
 * Arguments: the number of rounds (at least 4), then optional extra variants as
 * {@code name=classpath=property=value;property=value} with {@code classpath} one of
 * {@code plain}, {@code actuator}, {@code starter}, {@code starter+actuator}, each
 * optionally suffixed {@code ~label} for {@code target/classpaths/<name>~label.txt}, the
 * same classpath of another build (for example {@code before=starter~before}). System
 * property {@code benchmarks.jfr} names a directory for a JFR recording of the measured
 * seconds (CPU samples each millisecond, allocation samples) of every run;
 * {@code benchmarks.jvmArgs} adds JVM options to every run. Writes the report to
 * {@code healthy-path.md} in the working directory, or in the directory given by
 * {@code -Dbenchmarks.output}.
 *
 * @author resilient-redis contributors
 */
public final class HealthyPathComparison {

	private static final String PLAIN = "plain";

	private static final String ACTUATOR = "plain+actuator";

	private static final String STARTER = "starter";

	private static final String STARTER_ACTUATOR = "starter+actuator";

	private static final Pattern GETS = Pattern.compile("cmdstat_get:calls=(\\d+)");

	private static final Pattern COMMANDS = Pattern.compile("cmdstat_[^:]+:calls=(\\d+)");

	private HealthyPathComparison() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 4;
		Map<String, Variant> variants = new LinkedHashMap<>();
		variants.put(PLAIN, new Variant(PLAIN, "plain", ""));
		variants.put(ACTUATOR, new Variant(ACTUATOR, "actuator", ""));
		variants.put(STARTER, new Variant(STARTER, "starter", ""));
		variants.put(STARTER_ACTUATOR, new Variant(STARTER_ACTUATOR, "starter+actuator", ""));
		for (int i = 1; i < args.length; i++) {
			String[] parts = args[i].split("=", 3);
			variants.put(parts[0], new Variant(parts[0], parts[1], (parts.length > 2) ? parts[2] : ""));
		}
		Map<String, List<Measurement>> measurements = new LinkedHashMap<>();
		variants.keySet().forEach((name) -> measurements.put(name, new ArrayList<>()));
		List<Variant> order = new ArrayList<>(variants.values());
		for (int round = 0; round < rounds; round++) {
			for (Variant variant : order) {
				Measurement measurement;
				try {
					measurement = run(variant, round);
				}
				catch (IllegalStateException ex) {
					// Once more, on a new server: a run fails when the machine stalls
					System.out.println("round " + (round + 1) + " " + variant.name() + " failed, run again: "
							+ ex.getMessage().lines().findFirst().orElse(""));
					measurement = run(variant, round);
				}
				System.out.printf(Locale.ROOT, "round %d %-20s %,10.0f calls/s %7.1f CPU µs/call %.3f GET/call%n",
						round + 1, variant.name(), measurement.callsPerSecond(), measurement.cpuMicrosPerCall(),
						measurement.getsPerCall());
				measurements.get(variant.name()).add(measurement);
			}
			// The next round starts with the variant this one ended with
			Collections.reverse(order);
		}
		String report = report(measurements, rounds);
		System.out.println(report);
		Path output = Path.of(System.getProperty("benchmarks.output", ".")).resolve("healthy-path.md");
		Files.writeString(output, report, StandardCharsets.UTF_8);
	}

	private static Measurement run(Variant variant, int round) throws IOException, InterruptedException {
		Path classpaths = Path.of(System.getProperty("benchmarks.classpaths", "benchmarks/target/classpaths"));
		Path classes = Path.of(System.getProperty("benchmarks.classes", "benchmarks/target/classes"));
		// starter+actuator: the application that had Actuator, with the starter added
		Set<String> entries = new LinkedHashSet<>();
		for (String name : variant.classpath().split("\\+")) {
			entries.addAll(Arrays
				.asList(Files.readString(classpaths.resolve(name + ".txt")).trim().split(File.pathSeparator)));
		}
		String dependencies = String.join(File.pathSeparator, entries);
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		String jvmArgs = System.getProperty("benchmarks.jvmArgs", "");
		if (!jvmArgs.isBlank()) {
			command.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")));
		}
		String jfr = System.getProperty("benchmarks.jfr");
		if (jfr != null) {
			Files.createDirectories(Path.of(jfr));
			command.add("-Dbenchmarks.recording="
					+ Path.of(jfr, variant.name() + "-" + (round + 1) + ".jfr").toAbsolutePath());
		}
		command.addAll(List.of("-cp", classes.toAbsolutePath() + File.pathSeparator + dependencies));
		command.add(HealthyPathApplication.class.getName());
		command.add(variant.classpath());
		try (RedisServer server = RedisServer.start()) {
			Arrays.stream(server.springProperties()).map((property) -> "--" + property).forEach(command::add);
			if (!variant.properties().isBlank()) {
				Arrays.stream(variant.properties().split(";")).map((property) -> "--" + property).forEach(command::add);
			}
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int exit = process.waitFor();
			String result = output.lines()
				.filter((line) -> line.startsWith(HealthyPathApplication.RESULT))
				.findFirst()
				.orElse(null);
			Assert.state(exit == 0 && result != null, () -> variant.name() + " failed (exit " + exit + "):\n" + output);
			String stats = String.valueOf(server.execute("INFO", "commandstats"));
			return Measurement.of(result, count(GETS, stats), count(COMMANDS, stats));
		}
	}

	private static long count(Pattern pattern, String stats) {
		long count = 0;
		Matcher matcher = pattern.matcher(stats);
		while (matcher.find()) {
			count += Long.parseLong(matcher.group(1));
		}
		return count;
	}

	static String report(Map<String, List<Measurement>> measurements, int rounds) {
		StringBuilder report = new StringBuilder();
		report.append("## Healthy @Cacheable hit against the application the user had\n\n");
		report.append(String.format(Locale.ROOT,
				"%s UTC, each variant its own JVM and classpath, 8 threads, 1,000 keys, seconds 6–13 of 14; %d "
						+ "rounds in alternating order.%n%n",
				LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), rounds));
		report.append("| Round |");
		measurements.keySet().forEach((name) -> report.append(' ').append(name).append(" calls/s | CPU µs/call |"));
		report.append('\n').append("|--:|");
		measurements.keySet().forEach((name) -> report.append("--:|--:|"));
		report.append('\n');
		for (int round = 0; round < rounds; round++) {
			report.append("| ").append(round + 1).append(" |");
			for (List<Measurement> runs : measurements.values()) {
				Measurement measurement = runs.get(round);
				report.append(String.format(Locale.ROOT, " %,.0f | %.1f |", measurement.callsPerSecond(),
						measurement.cpuMicrosPerCall()));
			}
			report.append('\n');
		}
		report.append("\n| Variant | Redis commands per call | GETs per call | Lettuce observes commands |\n");
		report.append("|---|--:|--:|---|\n");
		measurements.forEach((name,
				runs) -> report.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %s |%n", name,
						median(runs, Measurement::commandsPerCall), median(runs, Measurement::getsPerCall),
						runs.get(0).observation() ? "yes" : "no")));
		report.append("\n| Ratio | Calls per second, median (min–max) | CPU per call, median (min–max) |\n");
		report.append("|---|--:|--:|\n");
		for (String against : List.of(PLAIN, ACTUATOR)) {
			measurements.forEach((name, runs) -> {
				if (!name.equals(PLAIN) && !name.equals(ACTUATOR)
						&& !(name.equals(STARTER_ACTUATOR) && against.equals(PLAIN))) {
					report.append(ratioLine(name, against, runs, measurements.get(against)));
				}
			});
		}
		report.append(ratioLine(ACTUATOR, PLAIN, measurements.get(ACTUATOR), measurements.get(PLAIN)));
		report.append("\nTargets:\n\n");
		List<Measurement> starter = measurements.get(STARTER);
		double againstPlain = median(ratios(starter, measurements.get(PLAIN), Measurement::callsPerSecond));
		double againstActuator = median(ratios(starter, measurements.get(ACTUATOR), Measurement::callsPerSecond));
		double cpu = median(ratios(starter, measurements.get(PLAIN), Measurement::cpuMicrosPerCall));
		report
			.append(target("starter / plain, calls per second, median", againstPlain, ">= 0.95", againstPlain >= 0.95));
		report.append(target("starter / plain+actuator, calls per second, median", againstActuator, ">= 1.00",
				againstActuator >= 1.0));
		double withActuator = median(
				ratios(measurements.get(STARTER_ACTUATOR), measurements.get(ACTUATOR), Measurement::callsPerSecond));
		report.append(target("starter+actuator / plain+actuator, calls per second, median", withActuator, ">= 1.00",
				withActuator >= 1.0));
		report.append(target("starter / plain, CPU per call, median", cpu, "<= 1.05", cpu <= 1.05));
		return report.toString();
	}

	private static String ratioLine(String name, String against, List<Measurement> runs, List<Measurement> base) {
		List<Double> calls = ratios(runs, base, Measurement::callsPerSecond);
		List<Double> cpu = ratios(runs, base, Measurement::cpuMicrosPerCall);
		return String.format(Locale.ROOT, "| %s / %s | %.3f (%.3f–%.3f) | %.3f (%.3f–%.3f) |%n", name, against,
				median(calls), Collections.min(calls), Collections.max(calls), median(cpu), Collections.min(cpu),
				Collections.max(cpu));
	}

	private static String target(String what, double value, String goal, boolean met) {
		return String.format(Locale.ROOT, "- %s: **%.3f** (target %s): %s%n", what, value, goal,
				met ? "met" : "missed");
	}

	private static List<Double> ratios(List<Measurement> runs, List<Measurement> base,
			ToDoubleFunction<Measurement> value) {
		List<Double> ratios = new ArrayList<>();
		for (int round = 0; round < runs.size(); round++) {
			ratios.add(value.applyAsDouble(runs.get(round)) / value.applyAsDouble(base.get(round)));
		}
		return ratios;
	}

	private static double median(List<Measurement> runs, ToDoubleFunction<Measurement> value) {
		return median(runs.stream().map(value::applyAsDouble).toList());
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
	 * @param classpath {@code plain}, {@code actuator} or {@code starter}
	 * @param properties properties for the application, separated by {@code ;}
	 */
	record Variant(String name, String classpath, String properties) {

	}

	/**
	 * The result of one run.
	 *
	 * @param callsPerSecond cache hits per second, all threads together
	 * @param cpuMicrosPerCall CPU time of the whole JVM per hit, in microseconds
	 * @param getsPerCall {@code GET} commands Redis counted per call of the whole run
	 * @param commandsPerCall commands of any kind Redis counted per call of the whole run
	 * @param observation whether Lettuce observed every command (Spring Boot's
	 * {@code LettuceObservationAutoConfiguration})
	 */
	record Measurement(double callsPerSecond, double cpuMicrosPerCall, double getsPerCall, double commandsPerCall,
			boolean observation) {

		static Measurement of(String result, long gets, long commands) {
			Map<String, String> values = new LinkedHashMap<>();
			Arrays.stream(result.split(" ")).skip(1).forEach((pair) -> {
				String[] parts = pair.split("=", 2);
				values.put(parts[0], parts[1]);
			});
			double calls = Double.parseDouble(values.get("calls"));
			double seconds = Double.parseDouble(values.get("nanos")) / 1e9;
			double totalCalls = Double.parseDouble(values.get("totalCalls"));
			return new Measurement(calls / seconds, Double.parseDouble(values.get("cpuNanos")) / calls / 1000,
					gets / totalCalls, commands / totalCalls, Boolean.parseBoolean(values.get("observation")));
		}

	}

}

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

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.resilientredis.test.RedisServer;
import org.HdrHistogram.Histogram;

import org.springframework.util.Assert;
import org.springframework.util.FileSystemUtils;

/**
 * Loads of a hot key across application instances when it expires: several JVMs (3 by
 * default) of {@link SingleFlightApplication}, each with 16 threads calling a
 * {@code @Cacheable(sync = true)} method on 10 hot keys whose loader takes 50 ms, time to
 * live 2 s, against one {@code redis-server} started for the run. The variants:
 * <ul>
 * <li>{@code plain}: plain Spring Boot ({@code spring-boot-starter-data-redis} and
 * {@code spring-boot-starter-cache}), whose {@code sync = true} is one load per JVM;</li>
 * <li>{@code single-flight}: this build's starter with
 * {@code resilient.redis.cache.single-flight.enabled=true};</li>
 * <li>{@code early-refresh}: the same with
 * {@code resilient.redis.cache.early-refresh.enabled=true}.</li>
 * </ul>
 * The instances start together at a time the parent gives them (after their warm-up) and
 * record every call and every loader call; the parent counts the loader calls per key in
 * each window of one time to live from the start and in each burst (the calls of a key
 * within half a time to live of the burst's first), and the callers' latency: overall, of
 * the hits (calls during which no load of their key ran on any instance) and at the
 * expiry boundaries (calls that started within 100 ms of the end of a load of their key
 * plus the time to live, the moment the value it stored expires unless it was replaced).
 * <p>
 * Arguments: the measured seconds (60), the number of rounds (1; each round runs every
 * variant, the next in reverse order), then optional extra variants as
 * {@code name=classpath=property=value;property=value} with {@code classpath}
 * {@code plain} or {@code starter}. System properties {@code benchmarks.instances} (3),
 * {@code benchmarks.threads} (16), {@code benchmarks.keys} (10),
 * {@code benchmarks.pauseMicros} (5000), {@code benchmarks.warmup} (3),
 * {@code benchmarks.loaderMillis} (50) change the load; {@code benchmarks.variants}
 * (names separated by commas) runs only those variants. Writes the report to
 * {@code single-flight.md} in the working directory, or in the directory given by
 * {@code -Dbenchmarks.output}.
 *
 * @author resilient-redis contributors
 */
public final class SingleFlightComparison {

	static final long TIME_TO_LIVE_MICROS = TimeUnit.SECONDS.toMicros(2);

	static final long BOUNDARY_MICROS = TimeUnit.MILLISECONDS.toMicros(100);

	static final String PLAIN = "plain";

	static final String SINGLE_FLIGHT = "single-flight";

	static final String EARLY_REFRESH = "early-refresh";

	private static final String SINGLE_FLIGHT_ON = "resilient.redis.cache.single-flight.enabled=true";

	private SingleFlightComparison() {
	}

	public static void main(String[] args) throws Exception {
		long seconds = (args.length > 0) ? Long.parseLong(args[0]) : 60;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 1;
		List<Variant> variants = new ArrayList<>(defaultVariants());
		for (int i = 2; i < args.length; i++) {
			String[] parts = args[i].split("=", 3);
			variants.add(new Variant(parts[0], parts[1], (parts.length > 2) ? parts[2] : ""));
		}
		String only = System.getProperty("benchmarks.variants");
		if (only != null) {
			List<String> names = Arrays.asList(only.split(","));
			variants.removeIf((variant) -> !names.contains(variant.name()));
		}
		Settings settings = Settings.fromSystemProperties(seconds);
		String report = run(settings, rounds, variants, SingleFlightComparison::builtClasspath);
		System.out.println(report);
		Path output = Path.of(System.getProperty("benchmarks.output", ".")).resolve("single-flight.md");
		Files.writeString(output, report, StandardCharsets.UTF_8);
	}

	static List<Variant> defaultVariants() {
		return List.of(new Variant(PLAIN, "plain", ""), new Variant(SINGLE_FLIGHT, "starter", SINGLE_FLIGHT_ON),
				new Variant(EARLY_REFRESH, "starter",
						SINGLE_FLIGHT_ON + ";resilient.redis.cache.early-refresh.enabled=true"));
	}

	/**
	 * Run every variant in every round and answer the report.
	 * @param settings the load
	 * @param rounds the number of rounds
	 * @param variants the variants
	 * @param classpaths the classpath of a variant's JVM by the classpath's name
	 * @return the report
	 * @throws Exception if a run fails
	 */
	static String run(Settings settings, int rounds, List<Variant> variants, Function<String, String> classpaths)
			throws Exception {
		Map<String, Result> results = new LinkedHashMap<>();
		variants.forEach((variant) -> results.put(variant.name(), new Result(settings)));
		List<Variant> order = new ArrayList<>(variants);
		for (int round = 0; round < rounds; round++) {
			for (Variant variant : order) {
				Result result = results.get(variant.name());
				Run run;
				try {
					run = run(settings, variant, classpaths.apply(variant.classpath()));
				}
				catch (IllegalStateException ex) {
					// Once more, on a new server: a run fails when the machine stalls
					System.out.println("round " + (round + 1) + " " + variant.name() + " failed, run again: "
							+ ex.getMessage().lines().findFirst().orElse(""));
					run = run(settings, variant, classpaths.apply(variant.classpath()));
				}
				result.add(run);
				System.out.println("round " + (round + 1) + " " + variant.name() + ": " + run.summary());
			}
			// The next round starts with the variant this one ended with
			Collections.reverse(order);
		}
		return report(settings, rounds, results);
	}

	private static String builtClasspath(String name) {
		Path classpaths = Path.of(System.getProperty("benchmarks.classpaths", "benchmarks/target/classpaths"));
		Path classes = Path.of(System.getProperty("benchmarks.classes", "benchmarks/target/classes"));
		try {
			return classes.toAbsolutePath() + File.pathSeparator
					+ Files.readString(classpaths.resolve(name + ".txt")).trim();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No classpath " + name + ": build the benchmarks module first", ex);
		}
	}

	private static Run run(Settings settings, Variant variant, String classpath) throws Exception {
		Path directory = Files.createTempDirectory("single-flight-");
		List<Process> processes = new ArrayList<>();
		List<CompletableFuture<String>> outputs = new ArrayList<>();
		try (RedisServer server = RedisServer.start()) {
			CountDownLatch ready = new CountDownLatch(settings.instances());
			for (int instance = 0; instance < settings.instances(); instance++) {
				Process process = new ProcessBuilder(command(settings, variant, classpath, server, directory, instance))
					.redirectErrorStream(true)
					.start();
				processes.add(process);
				outputs.add(CompletableFuture.supplyAsync(() -> readOutput(process, ready)));
			}
			if (!ready.await(120, TimeUnit.SECONDS)) {
				throw new IllegalStateException(variant.name() + " did not start: " + collect(processes, outputs));
			}
			// Every instance starts its load at the same time, shortly from now
			Instant start = Instant.now().plusMillis(500);
			long startMicros = TimeUnit.SECONDS.toMicros(start.getEpochSecond()) + start.getNano() / 1000;
			for (Process process : processes) {
				OutputStream input = process.getOutputStream();
				input.write((startMicros + "\n").getBytes(StandardCharsets.UTF_8));
				input.flush();
			}
			long cpuNanos = 0;
			long reported = 0;
			Map<String, Long> starterCounts = new TreeMap<>();
			for (int instance = 0; instance < processes.size(); instance++) {
				Process process = processes.get(instance);
				boolean exited = process.waitFor(settings.seconds() + 120, TimeUnit.SECONDS);
				String output = outputs.get(instance).get(10, TimeUnit.SECONDS);
				String result = output.lines()
					.filter((line) -> line.startsWith(SingleFlightApplication.RESULT))
					.findFirst()
					.orElse(null);
				Assert.state(exited && process.exitValue() == 0 && result != null,
						() -> variant.name() + " instance failed:\n" + output);
				Map<String, String> values = values(result);
				cpuNanos += Long.parseLong(values.get("cpuNanos"));
				reported += Long.parseLong(values.get("calls"));
				values.forEach((name, value) -> {
					if (name.startsWith(SingleFlightApplication.COUNT)) {
						starterCounts.merge(name.substring(SingleFlightApplication.COUNT.length()),
								Long.parseLong(value), Long::sum);
					}
				});
			}
			Run run = Run.read(settings, directory, cpuNanos, starterCounts);
			Assert.state(run.calls() == reported, "Calls lost");
			return run;
		}
		finally {
			processes.forEach(Process::destroyForcibly);
			FileSystemUtils.deleteRecursively(directory);
		}
	}

	private static List<String> command(Settings settings, Variant variant, String classpath, RedisServer server,
			Path directory, int instance) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		String jvmArgs = System.getProperty("benchmarks.jvmArgs", "");
		if (!jvmArgs.isBlank()) {
			command.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")));
		}
		command.add("-Dbenchmarks.threads=" + settings.threads());
		command.add("-Dbenchmarks.keys=" + settings.keys());
		command.add("-Dbenchmarks.seconds=" + settings.seconds());
		command.add("-Dbenchmarks.pauseMicros=" + settings.pauseMicros());
		command.add("-Dbenchmarks.warmup=" + settings.warmupSeconds());
		command.add("-Dbenchmarks.loaderMillis=" + settings.loaderMillis());
		command.addAll(List.of("-cp", classpath, SingleFlightApplication.class.getName()));
		command.add(directory.toString());
		command.add(String.valueOf(instance));
		command.add(variant.classpath());
		Arrays.stream(server.springProperties()).map((property) -> "--" + property).forEach(command::add);
		if (!variant.properties().isBlank()) {
			Arrays.stream(variant.properties().split(";")).map((property) -> "--" + property).forEach(command::add);
		}
		return command;
	}

	private static String readOutput(Process process, CountDownLatch ready) {
		StringBuilder output = new StringBuilder();
		try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
			String line;
			while ((line = reader.readLine()) != null) {
				output.append(line).append('\n');
				if (line.equals(SingleFlightApplication.READY)) {
					ready.countDown();
				}
			}
		}
		catch (IOException ex) {
			output.append(ex);
		}
		return output.toString();
	}

	private static String collect(List<Process> processes, List<CompletableFuture<String>> outputs) {
		processes.forEach(Process::destroyForcibly);
		StringBuilder all = new StringBuilder();
		for (CompletableFuture<String> output : outputs) {
			all.append(output.join());
		}
		return all.toString();
	}

	private static Map<String, String> values(String result) {
		Map<String, String> values = new LinkedHashMap<>();
		Arrays.stream(result.split(" ")).skip(1).forEach((pair) -> {
			String[] parts = pair.split("=", 2);
			values.put(parts[0], parts[1]);
		});
		return values;
	}

	static String report(Settings settings, int rounds, Map<String, Result> results) {
		StringBuilder report = new StringBuilder();
		report.append("## Loads of hot keys across instances at expiry\n\n");
		report.append(String.format(Locale.ROOT,
				"%s UTC, %d instances (JVMs) × %d threads, %d hot keys, @Cacheable(sync = true), loader %d ms, "
						+ "time to live 2 s, %d s measured, pause %d µs between calls, %d round(s) in alternating "
						+ "order.%n%n",
				LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
				settings.instances(), settings.threads(), settings.keys(), settings.loaderMillis(), settings.seconds(),
				settings.pauseMicros(), rounds));
		report.append("Loader calls per key per time-to-live window (2 s windows from the start) and per burst "
				+ "(the calls of a key within 1 s of the burst's first):\n\n");
		report.append("| Variant | Windows | Windows with ≤ 1 call | Max per window | Mean per window "
				+ "| Bursts with 1 call | Max per burst | Loader calls | Per instance |\n");
		report.append("|---|--:|--:|--:|--:|--:|--:|--:|---|\n");
		results.forEach((name,
				result) -> report.append(String.format(Locale.ROOT,
						"| %s | %d | %.2f %% | %d | %.2f | %.2f %% | %d | %d | %s |%n", name, result.windows.size(),
						result.windowShare(1) * 100, max(result.windows), mean(result.windows),
						result.burstShare(1) * 100, max(result.bursts), result.loads, result.loadsPerInstance())));
		report.append("\nTime between two consecutive loader calls of a key (ms, all keys): ");
		report.append(String.join("; ",
				results.entrySet()
					.stream()
					.filter((entry) -> entry.getValue().gaps.getTotalCount() > 0)
					.map((entry) -> String.format(Locale.ROOT, "%s p1 %.0f, p10 %.0f, p50 %.0f", entry.getKey(),
							millis(entry.getValue().gaps, 1), millis(entry.getValue().gaps, 10),
							millis(entry.getValue().gaps, 50)))
					.toList()));
		report.append(".\n");
		report.append("\nCaller latency (ms): hits are calls during which no load of their key ran on any instance; "
				+ "boundary calls started within ±100 ms of an expiry (the end of a load + 2 s):\n\n");
		report.append("| Variant | Calls | Calls/s | p50 | p99 | Hits | Hit p99 | Boundary calls | Boundary p99 "
				+ "| Boundary p99 / hit p99 | CPU µs/call |\n");
		report.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
		results.forEach((name,
				result) -> report.append(String.format(Locale.ROOT,
						"| %s | %d | %,.0f | %.2f | %.2f | %d | %.2f | %d | %.2f | %.2f | %.1f |%n", name,
						result.all.getTotalCount(), result.all.getTotalCount() / (double) (rounds * settings.seconds()),
						millis(result.all, 50), millis(result.all, 99), result.hits.getTotalCount(),
						millis(result.hits, 99), result.boundary.getTotalCount(), millis(result.boundary, 99),
						result.boundaryRatio(), result.cpuNanos / 1000.0 / Math.max(1, result.all.getTotalCount()))));
		report.append("\nThe starter's own counts of the measured seconds (its statistics, every instance "
				+ "together):\n\n");
		if (results.values().stream().allMatch((result) -> result.starterCounts.isEmpty())) {
			report.append("- none: this build's starter counts no loads\n");
		}
		results.forEach((name, result) -> {
			if (!result.starterCounts.isEmpty()) {
				report.append("- ").append(name).append(": ");
				report.append(String.join(", ",
						result.starterCounts.entrySet()
							.stream()
							.map((entry) -> entry.getKey() + " " + entry.getValue())
							.toList()));
				report.append('\n');
			}
		});
		report.append("\nTargets:\n\n");
		Result singleFlight = results.get(SINGLE_FLIGHT);
		if (singleFlight != null) {
			double share = singleFlight.windowShare(1);
			report.append(String.format(Locale.ROOT,
					"- single-flight, windows of one time to live with ≤ 1 loader call per key: **%.2f %%** "
							+ "(target ≥ 99 %%): %s%n",
					share * 100, (share >= 0.99) ? "met" : "missed"));
		}
		Result earlyRefresh = results.get(EARLY_REFRESH);
		if (earlyRefresh != null) {
			double ratio = earlyRefresh.boundaryRatio();
			report.append(
					String.format(Locale.ROOT, "- early-refresh, boundary p99 / hit p99: **%.2f** (target ≤ 2): %s%n",
							ratio, (ratio <= 2) ? "met" : "missed"));
			report.append(String.format(Locale.ROOT,
					"- early-refresh, bursts of one loader call per key: %.2f %% (its refreshes come before the "
							+ "expiry, so two of them can fall in one window of one time to live: the window "
							+ "criterion is single-flight's, the burst count is this variant's)%n",
					earlyRefresh.burstShare(1) * 100));
		}
		Result plain = results.get(PLAIN);
		if (plain != null) {
			report.append(String.format(Locale.ROOT,
					"- beside: plain Spring Boot, windows with ≤ 1 call %.2f %%, mean %.2f per window; boundary p99 "
							+ "/ hit p99 %.2f%n",
					plain.windowShare(1) * 100, mean(plain.windows), plain.boundaryRatio()));
		}
		return report.toString();
	}

	private static double millis(Histogram histogram, double percentile) {
		return (histogram.getTotalCount() > 0) ? histogram.getValueAtPercentile(percentile) / 1000.0 : Double.NaN;
	}

	private static int max(List<Integer> counts) {
		return counts.isEmpty() ? 0 : Collections.max(counts);
	}

	private static double mean(List<Integer> counts) {
		return counts.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
	}

	/**
	 * The load of every run.
	 *
	 * @param seconds the measured seconds
	 * @param instances the application instances (JVMs)
	 * @param threads the calling threads of each instance
	 * @param keys the hot keys
	 * @param pauseMicros the pause of each thread between two calls
	 * @param warmupSeconds the warm-up of each instance on other keys
	 * @param loaderMillis how long the loader takes
	 */
	record Settings(long seconds, int instances, int threads, int keys, long pauseMicros, long warmupSeconds,
			long loaderMillis) {

		static Settings fromSystemProperties(long seconds) {
			return new Settings(seconds, Integer.getInteger("benchmarks.instances", 3),
					Integer.getInteger("benchmarks.threads", 16), Integer.getInteger("benchmarks.keys", 10),
					Long.getLong("benchmarks.pauseMicros", 5000), Long.getLong("benchmarks.warmup", 3),
					Long.getLong("benchmarks.loaderMillis", 50));
		}

	}

	/**
	 * One application measured in every round.
	 *
	 * @param name the name in the report
	 * @param classpath {@code plain} or {@code starter}
	 * @param properties properties for the application, separated by {@code ;}
	 */
	record Variant(String name, String classpath, String properties) {

	}

	/**
	 * A loader call.
	 *
	 * @param key the key's index
	 * @param instance the instance that called it
	 * @param start when it started, microseconds from the start
	 * @param end when it returned
	 */
	record Load(int key, int instance, long start, long end) {

	}

	/**
	 * What one run recorded.
	 *
	 * @param settings the load
	 * @param loads every loader call, by start
	 * @param all every call's latency
	 * @param hits the latency of the calls during which no load of their key ran
	 * @param boundary the latency of the calls near an expiry of their key
	 * @param cpuNanos CPU time of every instance over the measured seconds
	 * @param starterCounts the starter's counts of the loads, every instance together
	 */
	record Run(Settings settings, List<Load> loads, Histogram all, Histogram hits, Histogram boundary, long cpuNanos,
			Map<String, Long> starterCounts) {

		long calls() {
			return this.all.getTotalCount();
		}

		String summary() {
			Result result = new Result(this.settings);
			result.add(this);
			return String.format(Locale.ROOT,
					"%d loader calls, windows ≤ 1: %.2f %%, calls %d, p99 %.2f ms, hit p99 %.2f ms, boundary p99 "
							+ "%.2f ms",
					this.loads.size(), result.windowShare(1) * 100, calls(), millis(this.all, 99),
					millis(this.hits, 99), millis(this.boundary, 99));
		}

		static Run read(Settings settings, Path directory, long cpuNanos, Map<String, Long> starterCounts)
				throws IOException {
			List<Load> loads = new ArrayList<>();
			for (int instance = 0; instance < settings.instances(); instance++) {
				for (String line : Files.readAllLines(directory.resolve("loads-" + instance + ".txt"))) {
					String[] parts = line.split(" ");
					loads.add(new Load(Integer.parseInt(parts[0].substring("key-".length())), instance,
							Long.parseLong(parts[1]), Long.parseLong(parts[2])));
				}
			}
			loads.sort((a, b) -> Long.compare(a.start(), b.start()));
			Timeline[] timelines = new Timeline[settings.keys()];
			for (int key = 0; key < timelines.length; key++) {
				int index = key;
				timelines[key] = new Timeline(loads.stream().filter((load) -> load.key() == index).toList());
			}
			Histogram all = new Histogram(3);
			Histogram hits = new Histogram(3);
			Histogram boundary = new Histogram(3);
			for (int instance = 0; instance < settings.instances(); instance++) {
				try (DataInputStream in = new DataInputStream(new BufferedInputStream(
						Files.newInputStream(directory.resolve("calls-" + instance + ".bin")), 1 << 16))) {
					while (true) {
						int start;
						try {
							start = in.readInt();
						}
						catch (EOFException ex) {
							break;
						}
						int latency = Math.max(1, in.readInt());
						Timeline timeline = timelines[in.readByte()];
						all.recordValue(latency);
						if (!timeline.loading(start, start + latency)) {
							hits.recordValue(latency);
						}
						if (timeline.nearExpiry(start)) {
							boundary.recordValue(latency);
						}
					}
				}
			}
			return new Run(settings, loads, all, hits, boundary, cpuNanos, starterCounts);
		}

	}

	/**
	 * The loads of one key, to classify the calls of that key.
	 */
	static final class Timeline {

		private final long[] starts;

		// The latest end of the loads that started at or before each start
		private final long[] reach;

		private final long[] expiries;

		Timeline(List<Load> loads) {
			this.starts = new long[loads.size()];
			this.reach = new long[loads.size()];
			this.expiries = new long[loads.size()];
			long latest = Long.MIN_VALUE;
			for (int i = 0; i < loads.size(); i++) {
				this.starts[i] = loads.get(i).start();
				latest = Math.max(latest, loads.get(i).end());
				this.reach[i] = latest;
				this.expiries[i] = loads.get(i).end() + TIME_TO_LIVE_MICROS;
			}
			Arrays.sort(this.expiries);
		}

		// Whether a load of this key ran during part of the interval
		boolean loading(long from, long to) {
			// The last load that started before the end of the call
			int last = lastAtOrBefore(this.starts, to);
			return last >= 0 && this.reach[last] >= from;
		}

		// Whether the time is within the boundary of an expiry of this key
		boolean nearExpiry(long time) {
			int last = lastAtOrBefore(this.expiries, time + BOUNDARY_MICROS);
			return last >= 0 && this.expiries[last] >= time - BOUNDARY_MICROS;
		}

		private static int lastAtOrBefore(long[] sorted, long value) {
			int index = Arrays.binarySearch(sorted, value);
			if (index >= 0) {
				while (index + 1 < sorted.length && sorted[index + 1] == value) {
					index++;
				}
				return index;
			}
			return -index - 2;
		}

	}

	/**
	 * The runs of one variant, pooled over the rounds.
	 */
	static final class Result {

		private final Settings settings;

		final List<Integer> windows = new ArrayList<>();

		final List<Integer> bursts = new ArrayList<>();

		final Histogram all = new Histogram(3);

		final Histogram hits = new Histogram(3);

		final Histogram boundary = new Histogram(3);

		final long[] instanceLoads;

		final Map<String, Long> starterCounts = new TreeMap<>();

		final Histogram gaps = new Histogram(3);

		long loads;

		long cpuNanos;

		Result(Settings settings) {
			this.settings = settings;
			this.instanceLoads = new long[settings.instances()];
		}

		void add(Run run) {
			int windowCount = (int) (TimeUnit.SECONDS.toMicros(this.settings.seconds()) / TIME_TO_LIVE_MICROS);
			for (int key = 0; key < this.settings.keys(); key++) {
				int[] counts = new int[windowCount];
				int burst = 0;
				long burstStart = Long.MIN_VALUE;
				long previous = Long.MIN_VALUE;
				for (Load load : run.loads()) {
					if (load.key() != key) {
						continue;
					}
					if (previous != Long.MIN_VALUE) {
						this.gaps.recordValue(Math.max(0, load.start() - previous));
					}
					previous = load.start();
					int window = (int) (load.start() / TIME_TO_LIVE_MICROS);
					if (load.start() >= 0 && window < windowCount) {
						counts[window]++;
					}
					if (burst > 0 && load.start() - burstStart < TIME_TO_LIVE_MICROS / 2) {
						burst++;
					}
					else {
						if (burst > 0) {
							this.bursts.add(burst);
						}
						burst = 1;
						burstStart = load.start();
					}
				}
				if (burst > 0) {
					this.bursts.add(burst);
				}
				Arrays.stream(counts).forEach(this.windows::add);
			}
			run.loads().forEach((load) -> this.instanceLoads[load.instance()]++);
			this.loads += run.loads().size();
			this.all.add(run.all());
			this.hits.add(run.hits());
			this.boundary.add(run.boundary());
			this.cpuNanos += run.cpuNanos();
			run.starterCounts().forEach((name, value) -> this.starterCounts.merge(name, value, Long::sum));
		}

		double windowShare(int atMost) {
			return this.windows.stream().filter((count) -> count <= atMost).count()
					/ (double) Math.max(1, this.windows.size());
		}

		double burstShare(int atMost) {
			return this.bursts.stream().filter((count) -> count <= atMost).count()
					/ (double) Math.max(1, this.bursts.size());
		}

		double boundaryRatio() {
			return millis(this.boundary, 99) / millis(this.hits, 99);
		}

		String loadsPerInstance() {
			return String.join(" / ", Arrays.stream(this.instanceLoads).mapToObj(String::valueOf).toList());
		}

	}

}

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

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.resilientredis.cache.ResilientCacheStatistics;
import io.github.resilientredis.cache.ResilientRedisCache;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * One application instance of {@link SingleFlightComparison}, in its own JVM on the
 * classpath of its variant: {@code @EnableAutoConfiguration}, {@code @EnableCaching} and
 * a {@code @Cacheable(sync = true)} method whose loader sleeps (the slow database) and
 * records each of its calls. After a warm-up on other keys it prints {@value #READY} and
 * reads from its standard input the start time shared by every instance (microseconds
 * since the epoch), waits for it, then calls the method on random hot keys from its
 * threads for the measured seconds. It writes every call (start, latency, key) to
 * {@code calls-<instance>.bin} and every loader call (key, start, end) to
 * {@code loads-<instance>.txt} in the output directory, times in microseconds from the
 * shared start, and prints one line that starts with {@value #RESULT} (with the starter,
 * its own counts of the measured seconds' loads, prefixed {@value #COUNT}).
 * <p>
 * Arguments: the output directory, the instance's number, the classpath's name
 * ({@code plain} or {@code starter}, checked against the classes present), then the
 * application's properties as {@code --name=value}. System properties
 * {@code benchmarks.threads} (16), {@code benchmarks.keys} (10),
 * {@code benchmarks.seconds} (60), {@code benchmarks.loaderMillis} (50),
 * {@code benchmarks.pauseMicros} (pause of each thread between two calls, 5000) and
 * {@code benchmarks.warmup} (seconds, 3).
 *
 * @author resilient-redis contributors
 */
public final class SingleFlightApplication {

	static final String READY = "single-flight-ready";

	static final String RESULT = "single-flight-result";

	static final String COUNT = "starter.";

	/**
	 * Name of the cache.
	 */
	static final String CACHE = "hot";

	private static final String STARTER = "io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration";

	private SingleFlightApplication() {
	}

	public static void main(String[] args) throws Exception {
		Assert.isTrue(args.length > 2, "The output directory, the instance and the classpath's name are required");
		Path output = Path.of(args[0]);
		int instance = Integer.parseInt(args[1]);
		boolean starter = ClassUtils.isPresent(STARTER, SingleFlightApplication.class.getClassLoader());
		Assert.state(starter == "starter".equals(args[2]), () -> "The classpath is not " + args[2]);
		int threads = Integer.getInteger("benchmarks.threads", 16);
		int keys = Integer.getInteger("benchmarks.keys", 10);
		long seconds = Long.getLong("benchmarks.seconds", 60);
		long pauseMicros = Long.getLong("benchmarks.pauseMicros", 5000);
		long warmup = Long.getLong("benchmarks.warmup", 3);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN", "spring.cache.type=redis",
					"spring.cache.redis.time-to-live=2s")
			.run(Arrays.copyOfRange(args, 3, args.length));
		try {
			SlowDatabase database = context.getBean(SlowDatabase.class);
			// Warm-up on keys of its own, recorded nowhere
			Clock warmupClock = new Clock(System.nanoTime());
			database.recordFrom(Long.MAX_VALUE);
			String[] warmKeys = new String[keys];
			for (int i = 0; i < keys; i++) {
				warmKeys[i] = "warm-" + instance + "-" + i;
			}
			run(database, threads, warmupClock, TimeUnit.SECONDS.toMicros(warmup), pauseMicros, warmKeys, null);
			System.out.println(READY);
			System.out.flush();
			BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			String line = input.readLine();
			Assert.state(line != null, "No start time");
			Clock clock = Clock.startingAt(Long.parseLong(line.trim()));
			database.useClock(clock);
			database.recordFrom(0);
			Assert.state(keys < 128, "Too many keys");
			String[] hotKeys = new String[keys];
			for (int i = 0; i < keys; i++) {
				hotKeys[i] = "key-" + i;
			}
			com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
				.getOperatingSystemMXBean();
			Map<String, Long> firstCounts = starter ? StarterCounts.of(context) : Map.of();
			clock.sleepUntil(0);
			long firstCpu = os.getProcessCpuTime();
			List<Calls> calls = new ArrayList<>();
			run(database, threads, clock, TimeUnit.SECONDS.toMicros(seconds), pauseMicros, hotKeys, calls);
			long cpu = os.getProcessCpuTime() - firstCpu;
			StringBuilder counts = new StringBuilder();
			if (starter) {
				StarterCounts.of(context)
					.forEach((name, value) -> counts.append(' ')
						.append(COUNT)
						.append(name)
						.append('=')
						.append(value - firstCounts.getOrDefault(name, 0L)));
			}
			long count = write(output.resolve("calls-" + instance + ".bin"), calls);
			List<Load> loads = database.loads();
			try (BufferedWriter writer = Files.newBufferedWriter(output.resolve("loads-" + instance + ".txt"))) {
				for (Load load : loads) {
					writer.write(load.key() + " " + load.start() + " " + load.end() + "\n");
				}
			}
			System.out.printf(Locale.ROOT, "%s calls=%d cpuNanos=%d loads=%d%s%n", RESULT, count, cpu, loads.size(),
					counts);
		}
		finally {
			context.close();
		}
	}

	private static void run(SlowDatabase database, int threads, Clock clock, long micros, long pauseMicros,
			String[] keys, @Nullable List<Calls> recorded) throws InterruptedException {
		List<Thread> callers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Calls calls = new Calls();
			if (recorded != null) {
				recorded.add(calls);
			}
			Thread caller = new Thread(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				while (true) {
					long start = clock.micros();
					if (start >= micros) {
						return;
					}
					int key = random.nextInt(keys.length);
					database.find(keys[key]);
					calls.add(start, clock.micros() - start, key);
					if (pauseMicros > 0) {
						sleepMicros(pauseMicros);
					}
				}
			}, "caller-" + i);
			caller.start();
			callers.add(caller);
		}
		for (Thread caller : callers) {
			caller.join();
		}
	}

	private static void sleepMicros(long micros) {
		try {
			TimeUnit.MICROSECONDS.sleep(micros);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	// Each call: start (int, microseconds from the shared start), latency (int,
	// microseconds), key (byte, its index)
	private static long write(Path file, List<Calls> calls) throws IOException {
		long count = 0;
		try (DataOutputStream out = new DataOutputStream(
				new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
			for (Calls thread : calls) {
				for (int i = 0; i < thread.size; i++) {
					out.writeInt(thread.starts[i]);
					out.writeInt(thread.latencies[i]);
					out.writeByte(thread.keys[i]);
					count++;
				}
			}
		}
		return count;
	}

	/**
	 * The starter's counts of the cache's loads (every {@code long} getter of its
	 * statistics about loads, leases, refreshes and stale values, whatever the version of
	 * the starter offers), read only when the starter is on the classpath.
	 */
	static final class StarterCounts {

		private StarterCounts() {
		}

		static Map<String, Long> of(ConfigurableApplicationContext context) {
			Map<String, Long> counts = new TreeMap<>();
			Cache cache = context.getBean(CacheManager.class).getCache(CACHE);
			if (cache instanceof TransactionAwareCacheDecorator decorator) {
				cache = decorator.getTargetCache();
			}
			if (!(cache instanceof ResilientRedisCache resilient)) {
				return counts;
			}
			ResilientCacheStatistics statistics = resilient.getResilienceStatistics();
			for (Method method : ResilientCacheStatistics.class.getMethods()) {
				String name = method.getName();
				if (method.getParameterCount() == 0 && method.getReturnType() == long.class && name.startsWith("get")
						&& (name.contains("Load") || name.contains("Lease") || name.contains("Refresh")
								|| name.contains("Stale"))) {
					try {
						counts.put(StringUtils.uncapitalize(name.substring(3)), (Long) method.invoke(statistics));
					}
					catch (ReflectiveOperationException ex) {
						throw new IllegalStateException(ex);
					}
				}
			}
			return counts;
		}

	}

	/**
	 * Microseconds since the start shared by every instance: the epoch taken once, then
	 * {@link System#nanoTime()}.
	 */
	static final class Clock {

		private final long nanoStart;

		Clock(long nanoStart) {
			this.nanoStart = nanoStart;
		}

		static Clock startingAt(long epochMicros) {
			long nanos = System.nanoTime();
			Instant now = Instant.now();
			long nowMicros = TimeUnit.SECONDS.toMicros(now.getEpochSecond()) + now.getNano() / 1000;
			return new Clock(nanos + TimeUnit.MICROSECONDS.toNanos(epochMicros - nowMicros));
		}

		long micros() {
			return (System.nanoTime() - this.nanoStart) / 1000;
		}

		void sleepUntil(long micros) throws InterruptedException {
			long remaining = micros - micros();
			if (remaining > 0) {
				TimeUnit.MICROSECONDS.sleep(remaining);
			}
		}

	}

	/**
	 * The calls of one thread.
	 */
	private static final class Calls {

		private int[] starts = new int[1 << 14];

		private int[] latencies = new int[1 << 14];

		private byte[] keys = new byte[1 << 14];

		private int size;

		void add(long start, long latency, int key) {
			if (this.size == this.starts.length) {
				this.starts = Arrays.copyOf(this.starts, this.size * 2);
				this.latencies = Arrays.copyOf(this.latencies, this.size * 2);
				this.keys = Arrays.copyOf(this.keys, this.size * 2);
			}
			this.starts[this.size] = (int) start;
			this.latencies[this.size] = (int) Math.min(latency, Integer.MAX_VALUE);
			this.keys[this.size] = (byte) key;
			this.size++;
		}

	}

	/**
	 * One call of the loader.
	 *
	 * @param key the key
	 * @param start when it started, microseconds from the shared start
	 * @param end when it returned
	 */
	record Load(String key, long start, long end) {

	}

	/**
	 * The cached service: a loader that takes {@code benchmarks.loaderMillis} and records
	 * each of its calls.
	 */
	public static class SlowDatabase {

		private final long loaderMillis = Long.getLong("benchmarks.loaderMillis", 50);

		private final List<Load> loads = new ArrayList<>();

		private volatile Clock clock = new Clock(System.nanoTime());

		private volatile long recordFrom;

		/**
		 * Read a value, from the cache or else from the slow database.
		 * @param key the key
		 * @return the value
		 */
		@Cacheable(cacheNames = CACHE, sync = true)
		public String find(String key) {
			long start = this.clock.micros();
			try {
				Thread.sleep(this.loaderMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			long end = this.clock.micros();
			if (start >= this.recordFrom) {
				synchronized (this.loads) {
					this.loads.add(new Load(key, start, end));
				}
			}
			return key + "@" + end;
		}

		void useClock(Clock clock) {
			this.clock = clock;
		}

		void recordFrom(long micros) {
			this.recordFrom = micros;
		}

		List<Load> loads() {
			synchronized (this.loads) {
				return new ArrayList<>(this.loads);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class Application {

		@Bean
		SlowDatabase slowDatabase() {
			return new SlowDatabase();
		}

	}

}

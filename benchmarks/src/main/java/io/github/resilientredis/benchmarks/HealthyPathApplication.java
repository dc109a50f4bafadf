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
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.lettuce.core.resource.ClientResources;
import jdk.jfr.Recording;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * One run of {@link HealthyPathComparison}, in its own JVM so that its classpath is
 * exactly the application's: {@code @EnableAutoConfiguration}, {@code @EnableCaching} and
 * {@link VersionedCatalog}, whatever the classpath brings and nothing else. Fills 1,000
 * keys, then reads random keys through {@code @Cacheable} from 8 threads for 14 seconds
 * and prints the calls and the process's CPU time of seconds 6 to 13 on one line that
 * starts with {@value #RESULT}.
 * <p>
 * Arguments: the classpath's name ({@code plain}, {@code actuator}, {@code starter} or
 * {@code starter+actuator}), checked against the classes present so that a wrong
 * classpath fails instead of measuring the wrong application, then the application's
 * properties as {@code --name=value}. System properties {@code benchmarks.threads},
 * {@code benchmarks.seconds}, {@code benchmarks.from} and {@code benchmarks.to} change
 * the load and the measured window.
 *
 * @author resilient-redis contributors
 */
public final class HealthyPathApplication {

	static final String RESULT = "healthy-path-result";

	static final int KEYS = 1000;

	private static final String ACTUATOR = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

	private static final String STARTER = "io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration";

	private HealthyPathApplication() {
	}

	public static void main(String[] args) throws Exception {
		Assert.isTrue(args.length > 0, "The classpath's name is required");
		checkClasspath(args[0]);
		int threads = Integer.getInteger("benchmarks.threads", 8);
		long seconds = Long.getLong("benchmarks.seconds", 14);
		long from = Long.getLong("benchmarks.from", 6);
		long to = Long.getLong("benchmarks.to", 13);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN")
			.run(Arrays.copyOfRange(args, 1, args.length));
		try {
			VersionedCatalog catalog = context.getBean(VersionedCatalog.class);
			String[] keys = new String[KEYS];
			for (int i = 0; i < keys.length; i++) {
				keys[i] = "benchmark:key:" + i;
			}
			fill(catalog, keys, context.getBean(RedisConnectionFactory.class));
			long loads = catalog.getLoads();
			LongAdder calls = new LongAdder();
			Recording recording = startRecording();
			long start = System.nanoTime();
			long end = start + TimeUnit.SECONDS.toNanos(seconds);
			List<Thread> readers = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				Thread reader = new Thread(() -> {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					while (System.nanoTime() - end < 0) {
						catalog.find(keys[random.nextInt(keys.length)]);
						calls.increment();
					}
				}, "reader-" + i);
				reader.start();
				readers.add(reader);
			}
			com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
				.getOperatingSystemMXBean();
			sleepUntil(start + TimeUnit.SECONDS.toNanos(from));
			long firstCalls = calls.sum();
			long firstCpu = os.getProcessCpuTime();
			long firstNanos = System.nanoTime();
			sleepUntil(start + TimeUnit.SECONDS.toNanos(to));
			long lastCalls = calls.sum();
			long lastCpu = os.getProcessCpuTime();
			long lastNanos = System.nanoTime();
			for (Thread reader : readers) {
				reader.join();
			}
			stopRecording(recording);
			Assert.state(catalog.getLoads() == loads, "A read missed the cache");
			System.out.printf(Locale.ROOT, "%s calls=%d cpuNanos=%d nanos=%d totalCalls=%d observation=%b%n", RESULT,
					lastCalls - firstCalls, lastCpu - firstCpu, lastNanos - firstNanos, calls.sum() + keys.length,
					isLettuceTracing(context));
		}
		finally {
			context.close();
		}
	}

	// With -Dbenchmarks.recording=<file>, a JFR recording of the load (not of the
	// start-up):
	// CPU samples every 5 ms and allocation samples
	private static @Nullable Recording startRecording() {
		String file = System.getProperty("benchmarks.recording");
		if (file == null) {
			return null;
		}
		try {
			Recording recording = new Recording(jdk.jfr.Configuration.getConfiguration("profile"));
			recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(5));
			recording.setDestination(Path.of(file));
			recording.start();
			return recording;
		}
		catch (IOException | ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void stopRecording(@Nullable Recording recording) {
		if (recording != null) {
			recording.stop();
			recording.close();
		}
	}

	private static void checkClasspath(String name) {
		ClassLoader classLoader = HealthyPathApplication.class.getClassLoader();
		boolean actuator = ClassUtils.isPresent(ACTUATOR, classLoader);
		boolean starter = ClassUtils.isPresent(STARTER, classLoader);
		// 'starter~before': the starter's classpath of another build, checked as the
		// starter's
		switch (name.replaceAll("~[^+]*", "")) {
			case "plain" -> Assert.state(
					!actuator && !starter && !ClassUtils.isPresent("io.github.resilience4j.core.Registry", classLoader)
							&& !ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", classLoader),
					"The plain classpath holds Actuator, Micrometer, Resilience4j or the starter");
			case "actuator" ->
				Assert.state(actuator && !starter, "The Actuator classpath is not plain Boot + Actuator");
			case "starter" -> Assert.state(starter && !actuator, "The starter's classpath is not the starter alone");
			case "starter+actuator" -> Assert.state(starter && actuator, "The classpath lacks the starter or Actuator");
			default -> throw new IllegalArgumentException("Unknown classpath '" + name + "'");
		}
	}

	private static boolean isLettuceTracing(ConfigurableApplicationContext context) {
		return context.getBean(ClientResources.class).tracing().isEnabled();
	}

	// Read every key until Redis holds them all: a read served while the application was
	// still connecting may have filled no more than the local fallback.
	private static void fill(VersionedCatalog catalog, String[] keys, RedisConnectionFactory connectionFactory)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (true) {
			for (String key : keys) {
				catalog.find(key);
			}
			// Plain Spring Boot writes its cache asynchronously
			long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
			while (System.nanoTime() - settle < 0) {
				if (dbSize(connectionFactory) == keys.length) {
					return;
				}
				Thread.sleep(10);
			}
			Assert.state(System.nanoTime() - deadline < 0, "The cache was not filled");
		}
	}

	private static long dbSize(RedisConnectionFactory connectionFactory) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			Long size = connection.serverCommands().dbSize();
			return (size != null) ? size : -1;
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	private static void sleepUntil(long nanoTime) throws InterruptedException {
		long remaining = nanoTime - System.nanoTime();
		if (remaining > 0) {
			TimeUnit.NANOSECONDS.sleep(remaining);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class Application {

		@Bean
		VersionedCatalog versionedCatalog() {
			return new VersionedCatalog();
		}

	}

}

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.resilientredis.test.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;

/**
 * How the cost of a cache hit through resilient-redis grows with the work: throughput and
 * latency percentiles of {@code @Cacheable} hits from 1, 8, 64 and 256 caller threads
 * (closed loop, no think time), over 1,000 and 1,000,000 distinct keys, with the shared
 * multiplexed connection and with a pool of {@code CACHE_MAX_CONNECTIONS} (20)
 * connections. Prints a markdown table and writes it to {@code scale.md}.
 * <p>
 * Usage:
 * {@code java -cp benchmarks.jar io.github.resilientredis.benchmarks.ScaleBenchmark
 * [output directory] [keys, comma separated] [threads, comma separated] [seconds per
 * measurement]}.
 *
 * @author resilient-redis contributors
 */
public final class ScaleBenchmark {

	private static final int BATCH = 1000;

	private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(2);

	private ScaleBenchmark() {
	}

	public static void main(String[] args) throws IOException {
		Path output = Path.of((args.length > 0) ? args[0] : ".");
		int[] keyCounts = integers((args.length > 1) ? args[1] : "1000,1000000");
		int[] threadCounts = integers((args.length > 2) ? args[2] : "1,8,64,256");
		double seconds = (args.length > 3) ? Double.parseDouble(args[3]) : 5;
		String table = run(keyCounts, threadCounts, (long) (seconds * 1e9), WARM_UP_NANOS);
		System.out.println();
		System.out.println(table);
		Files.createDirectories(output);
		Files.writeString(output.resolve("scale.md"), table, StandardCharsets.UTF_8);
	}

	static String run(int[] keyCounts, int[] threadCounts, long measureNanos, long warmUpNanos) {
		List<String> rows = new ArrayList<>();
		for (int keys : keyCounts) {
			try (RedisServer server = RedisServer.start()) {
				String[] names = preload(server, keys);
				for (String mode : List.of("shared", "pooled")) {
					try (ConfigurableApplicationContext context = CachingApplication.start(server, true,
							"pooled".equals(mode))) {
						VersionedCatalog catalog = context.getBean(VersionedCatalog.class);
						for (int threads : threadCounts) {
							Result result = measure(catalog, names, threads, measureNanos, warmUpNanos);
							String row = String.format(Locale.ROOT,
									"| %,d | %s | %d | %,.0f | %.2f | %.2f | %.1f | %,d |", keys, mode, threads,
									result.throughput(), result.p50(), result.p99(), result.max(), result.misses());
							System.out.println(row);
							rows.add(row);
						}
					}
				}
			}
		}
		return "| Keys | Connection | Threads | Hits/s | p50 ms | p99 ms | max ms | Misses |\n"
				+ "|--:|---|--:|--:|--:|--:|--:|--:|\n" + String.join("\n", rows) + "\n";
	}

	/**
	 * Write the cache entries the reads hit, as the cache would, in batches.
	 * @param server the server
	 * @param keys how many
	 * @return the keys the application reads
	 */
	private static String[] preload(RedisServer server, int keys) {
		String[] names = new String[keys];
		JdkSerializationRedisSerializer serializer = new JdkSerializationRedisSerializer();
		RedisClient client = RedisClient.create(RedisURI.create(server.url()));
		try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
			Map<byte[], byte[]> batch = new LinkedHashMap<>();
			for (int i = 0; i < keys; i++) {
				names[i] = "scale:" + i;
				batch.put((VersionedCatalog.CACHE + "::" + names[i]).getBytes(StandardCharsets.UTF_8),
						serializer.serialize(new VersionedCatalog.Item(names[i], 0, VersionedCatalog.PAYLOAD)));
				if (batch.size() == BATCH || i == keys - 1) {
					connection.sync().mset(batch);
					batch.clear();
				}
			}
		}
		finally {
			client.shutdown();
		}
		return names;
	}

	private static Result measure(VersionedCatalog catalog, String[] keys, int threads, long measureNanos,
			long warmUpNanos) {
		Recorder recorder = new Recorder(3);
		long loadsBefore = catalog.getLoads();
		long start = System.nanoTime();
		long measureFrom = start + warmUpNanos;
		long end = measureFrom + measureNanos;
		List<Thread> callers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Thread caller = new Thread(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				long now = System.nanoTime();
				while (now - end < 0) {
					catalog.find(keys[random.nextInt(keys.length)]);
					long finished = System.nanoTime();
					if (now - measureFrom >= 0) {
						recorder.recordValue(Math.max(1, (finished - now) / 1000));
					}
					now = finished;
				}
			}, "scale-caller-" + i);
			caller.setDaemon(true);
			callers.add(caller);
			caller.start();
		}
		for (Thread caller : callers) {
			try {
				caller.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		long measuredFor = System.nanoTime() - measureFrom;
		Histogram histogram = recorder.getIntervalHistogram();
		return new Result(histogram.getTotalCount() / (measuredFor / 1e9), histogram.getValueAtPercentile(50) / 1000.0,
				histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0,
				catalog.getLoads() - loadsBefore);
	}

	private static int[] integers(String values) {
		return Arrays.stream(values.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
	}

	private record Result(double throughput, double p50, double p99, double max, long misses) {

	}

}

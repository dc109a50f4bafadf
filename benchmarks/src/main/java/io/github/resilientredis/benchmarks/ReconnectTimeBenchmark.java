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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.github.resilientredis.test.RedisServer;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import reactor.core.Disposable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Measures how long an application waits for Redis after a restart: for each cycle, SET a
 * key, kill the server, wait until Lettuce has failed enough reconnect attempts for its
 * back-off to sit at its cap, restart the server and time from the end of the restart to
 * the first successful command (polled every 2 ms). Runs resilient-redis with its
 * defaults, then plain Spring Boot with fewer cycles and a capped wait. Prints a summary;
 * asserts nothing.
 * <p>
 * Usage: {@code java -cp benchmarks.jar
 * io.github.resilientredis.benchmarks.ReconnectTimeBenchmark [cycles]}.
 *
 * @author resilient-redis contributors
 */
public final class ReconnectTimeBenchmark {

	private static final int DEFAULT_CYCLES = 20;

	private static final int PLAIN_BOOT_CYCLES = 3;

	private static final Duration POLL_INTERVAL = Duration.ofMillis(2);

	private static final Duration PLAIN_BOOT_MAX_WAIT = Duration.ofSeconds(35);

	private static final Duration OUTAGE_TIMEOUT = Duration.ofSeconds(90);

	private static final String KEY = "benchmark:reconnect";

	private ReconnectTimeBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int cycles = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_CYCLES;
		try (RedisServer server = RedisServer.start()) {
			List<Result> results = new ArrayList<>();
			// 10 ms doubling reaches the 500 ms cap at the 7th attempt
			results.add(measure("resilient-redis defaults, back-off capped at 500 ms, after 8 failed reconnects",
					server, true, cycles, 8, OUTAGE_TIMEOUT));
			// Lettuce's default 1 ms doubling reaches its 30 s cap only after the 15th
			// attempt (about 33 s of outage): after 8 the next attempt waits 256 ms
			results.add(measure("plain Spring Boot, after 8 failed reconnects (next delay 256 ms, not capped)", server,
					false, Math.min(cycles, PLAIN_BOOT_CYCLES), 8, PLAIN_BOOT_MAX_WAIT));
			results.add(measure("plain Spring Boot, after 15 failed reconnects (back-off capped at 30 s)", server,
					false, Math.min(cycles, PLAIN_BOOT_CYCLES), 15, PLAIN_BOOT_MAX_WAIT));
			System.out.println();
			System.out.println("Time from restart() returning to the first successful command, in ms:");
			results.forEach((result) -> System.out.println(result.summary()));
		}
	}

	private static Result measure(String label, RedisServer server, boolean resilient, int cycles, int failedAttempts,
			Duration maxWait) throws InterruptedException {
		System.out.printf(Locale.ROOT, "%n%s: %d cycles%n", label, cycles);
		List<Double> millis = new ArrayList<>();
		int timedOut = 0;
		ExecutorService prober = Executors.newSingleThreadExecutor();
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(server, resilient, false)) {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			ClientResources resources = context.getBean(ClientResources.class);
			AtomicReference<CountDownLatch> reached = new AtomicReference<>(new CountDownLatch(1));
			AtomicLong lastDelay = new AtomicLong();
			Disposable subscription = resources.eventBus().get().subscribe((event) -> {
				if (event instanceof ReconnectAttemptEvent attempt) {
					lastDelay.set(attempt.getDelay().toMillis());
				}
				if (event instanceof ReconnectFailedEvent failed && failed.getAttempt() >= failedAttempts) {
					reached.get().countDown();
				}
			});
			try {
				for (int cycle = 1; cycle <= cycles; cycle++) {
					CountDownLatch latch = new CountDownLatch(1);
					reached.set(latch);
					redis.opsForValue().set(KEY, "cycle " + cycle);
					server.kill();
					if (!latch.await(OUTAGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
						throw new IllegalStateException("Lettuce did not fail " + failedAttempts
								+ " reconnect attempts within " + OUTAGE_TIMEOUT.toSeconds() + " s");
					}
					server.restart();
					long start = System.nanoTime();
					long elapsed = awaitFirstSuccess(redis, prober, start, maxWait);
					if (elapsed < 0) {
						timedOut++;
						System.out.printf(Locale.ROOT, "  cycle %2d: no successful command within %d s%n", cycle,
								maxWait.toSeconds());
						awaitFirstSuccess(redis, prober, System.nanoTime(), OUTAGE_TIMEOUT);
					}
					else {
						double ms = elapsed / 1_000_000.0;
						millis.add(ms);
						System.out.printf(Locale.ROOT,
								"  cycle %2d: %8.1f ms (delay of the reconnect that succeeded: %d ms)%n", cycle, ms,
								lastDelay.get());
					}
				}
			}
			finally {
				subscription.dispose();
			}
		}
		finally {
			prober.shutdownNow();
		}
		return new Result(label, millis, timedOut, maxWait);
	}

	/**
	 * Poll with a GET until one succeeds.
	 * @param redis the template to poll with
	 * @param prober the executor that runs each GET, so that a hung call cannot stall the
	 * measurement
	 * @param start when the server was back, from {@link System#nanoTime()}
	 * @param maxWait longest time to poll
	 * @return nanoseconds from {@code start} to the first success, or {@code -1} if none
	 * succeeded within {@code maxWait}
	 */
	private static long awaitFirstSuccess(StringRedisTemplate redis, ExecutorService prober, long start,
			Duration maxWait) throws InterruptedException {
		long deadline = start + maxWait.toNanos();
		while (System.nanoTime() - deadline < 0) {
			// A command may wait in Lettuce's queue (plain Boot's default), so the wait
			// is
			// bounded here rather than by the command timeout
			Future<?> probe = prober.submit(() -> redis.opsForValue().get(KEY));
			try {
				probe.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				return System.nanoTime() - start;
			}
			catch (ExecutionException ex) {
				// Rejected or failed while disconnected: poll again
				LockSupport.parkNanos(POLL_INTERVAL.toNanos());
			}
			catch (TimeoutException ex) {
				probe.cancel(true);
				return -1;
			}
		}
		return -1;
	}

	private record Result(String label, List<Double> millis, int timedOut, Duration maxWait) {

		String summary() {
			List<Double> sorted = new ArrayList<>(this.millis);
			sorted.sort(null);
			String censored = (this.timedOut > 0)
					? String.format(Locale.ROOT, ", %d cycle(s) over %d s", this.timedOut, this.maxWait.toSeconds())
					: "";
			if (sorted.isEmpty()) {
				return String.format(Locale.ROOT, "  %-85s n=0%s", this.label, censored);
			}
			return String.format(Locale.ROOT, "  %-85s n=%d min=%.1f median=%.1f p90=%.1f max=%.1f%s", this.label,
					sorted.size(), sorted.get(0), percentile(sorted, 50), percentile(sorted, 90),
					sorted.get(sorted.size() - 1), censored);
		}

		private static double percentile(List<Double> sorted, int percent) {
			// Nearest rank
			int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
			return sorted.get(Math.max(0, rank - 1));
		}

	}

}

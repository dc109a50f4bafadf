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

package io.github.resilientredis.cache;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Integration test of the circuit breaker's wait in the open state across a step of the
 * wall clock: the application runs in a child JVM with libfaketime preloaded, whose wall
 * clock the test moves an hour back while Redis is frozen and the breaker is open;
 * {@code System.nanoTime()} keeps running ({@code FAKETIME_DONT_FAKE_MONOTONIC=1}).
 * Skipped where libfaketime is not installed ({@code apt-get install -y faketime}).
 *
 * @author resilient-redis contributors
 */
class WallClockStepIntegrationTests {

	private static final List<String> LIBFAKETIME = List.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
			"/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1",
			"/usr/local/lib/faketime/libfaketime.so.1");

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(300);

	private static final Duration WAIT_IN_OPEN_STATE = Duration.ofSeconds(2);

	private static final Duration STEP = Duration.ofHours(1);

	@TempDir
	Path directory;

	@Test
	void whenTheWallClockStepsAnHourBackWhileRedisIsFrozenThenTheBreakerClosesWithinItsWaitOfTheThaw()
			throws Exception {
		Path libfaketime = LIBFAKETIME.stream().map(Path::of).filter(Files::isReadable).findFirst().orElse(null);
		assumeTrue(libfaketime != null, "libfaketime is not installed (apt-get install -y faketime)");
		Path offset = this.directory.resolve("faketime");
		Files.writeString(offset, "+0\n");
		try (RedisServer redis = RedisServer.builder().backend(RedisServer.Backend.LOCAL).start();
				Child child = Child.start(libfaketime, offset, redis)) {
			child.awaitLine("READY", Duration.ofSeconds(60));
			redis.freeze();
			try {
				child.awaitLater("STATE OPEN", Duration.ofSeconds(10));
				// The breaker waits in the open state now: step the clock back during
				// that wait
				long wallBeforeStep = child.lastWall();
				Files.writeString(offset, "-" + STEP.toSeconds() + "\n");
				await().atMost(Duration.ofSeconds(5))
					.pollInterval(Duration.ofMillis(20))
					.alias("the child's wall clock going back")
					.until(() -> wallBeforeStep - child.lastWall() > STEP.minusMinutes(1).toMillis());
			}
			finally {
				redis.thaw();
			}
			long thawed = System.nanoTime();
			child.awaitLater("STATE CLOSED", WAIT_IN_OPEN_STATE.plus(Duration.ofSeconds(30)));
			Duration closed = Duration.ofNanos(System.nanoTime() - thawed);
			System.out.printf(
					"Wall clock stepped back %d s while Redis was frozen and the breaker open: the breaker "
							+ "closed %d ms after the thaw (wait in the open state %d ms)%n",
					STEP.toSeconds(), closed.toMillis(), WAIT_IN_OPEN_STATE.toMillis());
			assertThat(closed).isLessThanOrEqualTo(WAIT_IN_OPEN_STATE.plusSeconds(1));
		}
	}

	/**
	 * The child JVM running {@link WallClockStepApplication}, and the lines it printed.
	 */
	private static final class Child implements AutoCloseable {

		private final Process process;

		private final List<String> lines = new CopyOnWriteArrayList<>();

		private volatile int seen;

		private Child(Process process) {
			this.process = process;
			Thread reader = new Thread(this::read, "wall-clock-child-output");
			reader.setDaemon(true);
			reader.start();
		}

		static Child start(Path libfaketime, Path offset, RedisServer redis) throws IOException {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Xmx256m",
					WallClockStepApplication.class.getName(), redis.host(), String.valueOf(redis.port()),
					COMMAND_TIMEOUT.toMillis() + "ms", WAIT_IN_OPEN_STATE.toMillis() + "ms")
				.redirectErrorStream(true);
			Map<String, String> environment = builder.environment();
			environment.put("LD_PRELOAD", libfaketime.toString());
			environment.put("FAKETIME_TIMESTAMP_FILE", offset.toString());
			environment.put("FAKETIME_NO_CACHE", "1");
			environment.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
			// Debian's build turns its pthread_cond_timedwait fix on with glibc, which
			// stretches the JVM's timed waits (a 200 ms wait took over a second)
			environment.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
			return new Child(builder.start());
		}

		private void read() {
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = reader.readLine(); line != null; line = reader.readLine()) {
					this.lines.add(line);
					if (!line.startsWith("WALL ")) {
						System.out.println("[child] " + line);
					}
				}
			}
			catch (IOException ex) {
				// The child is gone
			}
		}

		/**
		 * Wait for a line starting with the prefix, printed at any time.
		 */
		void awaitLine(String prefix, Duration timeout) {
			awaitFrom(0, prefix, timeout);
		}

		/**
		 * Wait for a line starting with the prefix, printed after the last line waited
		 * for.
		 */
		void awaitLater(String prefix, Duration timeout) {
			awaitFrom(this.seen, prefix, timeout);
		}

		private void awaitFrom(int from, String prefix, Duration timeout) {
			await().atMost(timeout).pollInterval(Duration.ofMillis(5)).until(() -> {
				assertThat(this.process.isAlive()).as("the child JVM runs").isTrue();
				for (int i = from; i < this.lines.size(); i++) {
					if (this.lines.get(i).startsWith(prefix)) {
						this.seen = i + 1;
						return true;
					}
				}
				return false;
			});
		}

		long lastWall() {
			for (int i = this.lines.size() - 1; i >= 0; i--) {
				String line = this.lines.get(i);
				if (line.startsWith("WALL ")) {
					return Long.parseLong(line.substring(5).trim());
				}
			}
			throw new IllegalStateException("The child printed no wall-clock time");
		}

		@Override
		public void close() throws InterruptedException {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}

	}

}

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

package io.github.resilientredis.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisUnavailableException;
import io.github.resilientredis.test.RedisClusterServers;
import io.github.resilientredis.test.RedisSentinelSet;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Integration tests for the application's Redis calls through a Sentinel failover, a
 * cluster failover and a whole cluster outage, against real {@code redis-server}
 * topologies. The recovery times are printed; the README quotes them.
 *
 * @author resilient-redis contributors
 */
class TopologyFailoverIntegrationTests {

	private static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withInitializer(StartupEnvironment.withoutVariables())
		.withPropertyValues("spring.data.redis.timeout=500ms");

	@Test
	void whenSentinelMasterIsKilledUnderLoadThenCallsRecoverOnThePromotedMaster() {
		assumeTrue(RedisSentinelSet.isSupported(), "a Sentinel set needs redis-server on the PATH");
		try (RedisSentinelSet sentinel = RedisSentinelSet.start()) {
			this.contextRunner.withPropertyValues(sentinel.springProperties()).run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				RedisCommandExecutor executor = context.getBean(RedisCommandExecutor.class);
				try (Load load = Load.start(executor, redis)) {
					await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 10);
					RedisServer killed = sentinel.killMaster();
					long killedAt = load.faultInjected();
					Duration promotion = Duration.ofNanos(awaitNewMaster(sentinel, killed) - killedAt);
					Duration recovery = load.awaitRecovery();
					System.out.println("Sentinel failover: the replica was promoted within " + promotion.toMillis()
							+ " ms and calls through RedisCommandExecutor succeeded again " + recovery.toMillis()
							+ " ms after the master was killed (" + load.failures() + " calls failed meanwhile)");
					assertThat(load.failures()).isPositive();
				}
				redis.opsForValue().set("after-failover", "yes");
				assertThat(sentinel.master().execute("GET", "after-failover")).isEqualTo("yes");
			});
		}
	}

	@Test
	void whenClusterMasterIsKilledThenTheReplicaTakesOverAndItsSlotsAreServedAgain() {
		assumeTrue(RedisClusterServers.isSupported(), "a cluster needs redis-server and redis-cli on the PATH");
		try (RedisClusterServers cluster = RedisClusterServers.start()) {
			this.contextRunner.withPropertyValues(cluster.springProperties()).run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				RedisCommandExecutor executor = context.getBean(RedisCommandExecutor.class);
				int slot = RedisClusterServers.slot(Load.KEY);
				try (Load load = Load.start(executor, redis)) {
					await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 10);
					RedisServer killed = cluster.killMaster(slot);
					long killedAt = load.faultInjected();
					await().atMost(RECOVERY_BOUND)
						.pollInterval(Duration.ofMillis(20))
						.ignoreExceptions()
						.until(() -> cluster.masterOf(slot) != killed);
					Duration promotion = Duration.ofNanos(System.nanoTime() - killedAt);
					Duration recovery = load.awaitRecovery();
					System.out
						.println("Cluster failover: the replica took over the slots within " + promotion.toMillis()
								+ " ms and calls on them through RedisCommandExecutor succeeded again "
								+ recovery.toMillis() + " ms after the master was killed (" + load.failures()
								+ " calls failed meanwhile)");
					assertThat(load.failures()).isPositive();
				}
				assertThat(cluster.masterOf(slot).execute("GET", Load.KEY)).isNotNull();
			});
		}
	}

	@Test
	void whenTheWholeClusterIsDownThenCallsFailFastAndRecoverWhenItReturns() {
		assumeTrue(RedisClusterServers.isSupported(), "a cluster needs redis-server and redis-cli on the PATH");
		try (RedisClusterServers cluster = RedisClusterServers.start()) {
			this.contextRunner.withPropertyValues(cluster.springProperties()).run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				RedisCommandExecutor executor = context.getBean(RedisCommandExecutor.class);
				// Right after the cluster is created, the client may still be connecting
				await().atMost(Duration.ofSeconds(5))
					.ignoreExceptions()
					.until(() -> executor.executeIdempotent("SET", () -> setKey(redis, "before")));
				cluster.killAll();
				await().atMost(Duration.ofSeconds(10)).until(() -> failsFast(executor, redis));
				for (int i = 0; i < 20; i++) {
					long started = System.nanoTime();
					assertThatExceptionOfType(RedisUnavailableException.class)
						.isThrownBy(() -> executor.executeIdempotent("GET", () -> redis.opsForValue().get(Load.KEY)));
					// Half the 500 ms command timeout that a queued command would wait
					assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(250));
				}
				cluster.restartAll();
				long restarted = System.nanoTime();
				await().atMost(RECOVERY_BOUND)
					.pollInterval(Duration.ofMillis(10))
					.ignoreExceptions()
					.until(() -> executor.executeIdempotent("SET",
							() -> redis.opsForValue().setIfAbsent(Load.KEY, "after")) != null);
				System.out.println("Whole cluster down: calls through RedisCommandExecutor succeeded again "
						+ Duration.ofNanos(System.nanoTime() - restarted).toMillis()
						+ " ms after every node was back and the cluster healthy");
				assertThat(redis.opsForValue().get(Load.KEY)).isEqualTo("after");
			});
		}
	}

	private static boolean setKey(StringRedisTemplate redis, String value) {
		redis.opsForValue().set(Load.KEY, value);
		return true;
	}

	private static boolean failsFast(RedisCommandExecutor executor, StringRedisTemplate redis) {
		long started = System.nanoTime();
		try {
			executor.executeIdempotent("GET", () -> redis.opsForValue().get(Load.KEY));
			return false;
		}
		catch (RedisUnavailableException ex) {
			return Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(50)) < 0;
		}
	}

	private static long awaitNewMaster(RedisSentinelSet sentinel, RedisServer killed) {
		await().atMost(RECOVERY_BOUND)
			.pollInterval(Duration.ofMillis(20))
			.ignoreExceptions()
			.until(() -> sentinel.master() != killed);
		return System.nanoTime();
	}

	/**
	 * Writes through the executor at a steady rate on its own thread, and records when
	 * calls succeed again after a fault.
	 */
	private static final class Load implements AutoCloseable {

		static final String KEY = "load";

		private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

		private final AtomicInteger successes = new AtomicInteger();

		private final AtomicInteger failures = new AtomicInteger();

		private final AtomicLong faultInjectedAt = new AtomicLong();

		private final AtomicLong recoveredAt = new AtomicLong();

		private final AtomicLong sequence = new AtomicLong();

		private Load(RedisCommandExecutor executor, StringRedisTemplate redis) {
			// About a thousand writes a second, each through retry and the breaker
			this.scheduler.scheduleAtFixedRate(() -> write(executor, redis), 0, 1, TimeUnit.MILLISECONDS);
		}

		private void write(RedisCommandExecutor executor, StringRedisTemplate redis) {
			String value = String.valueOf(this.sequence.incrementAndGet());
			try {
				executor.executeIdempotent("SET " + KEY, () -> setKey(redis, value));
				this.successes.incrementAndGet();
				if (this.faultInjectedAt.get() != 0) {
					this.recoveredAt.compareAndSet(0, System.nanoTime());
				}
			}
			catch (RedisUnavailableException ex) {
				if (this.faultInjectedAt.get() != 0) {
					this.failures.incrementAndGet();
				}
			}
		}

		static Load start(RedisCommandExecutor executor, StringRedisTemplate redis) {
			return new Load(executor, redis);
		}

		int successes() {
			return this.successes.get();
		}

		int failures() {
			return this.failures.get();
		}

		long faultInjected() {
			long now = System.nanoTime();
			this.recoveredAt.set(0);
			this.faultInjectedAt.set(now);
			return now;
		}

		Duration awaitRecovery() {
			await().atMost(RECOVERY_BOUND).pollInterval(Duration.ofMillis(10)).until(() -> this.recoveredAt.get() != 0);
			return Duration.ofNanos(this.recoveredAt.get() - this.faultInjectedAt.get());
		}

		@Override
		public void close() throws InterruptedException {
			this.scheduler.shutdownNow();
			this.scheduler.awaitTermination(5, TimeUnit.SECONDS);
		}

	}

}

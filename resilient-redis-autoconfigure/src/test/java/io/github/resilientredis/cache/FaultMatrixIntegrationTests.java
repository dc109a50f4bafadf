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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.FaultProxy;
import io.github.resilientredis.test.RedisClusterServers;
import io.github.resilientredis.test.RedisSentinelSet;
import io.github.resilientredis.test.RedisServer;
import io.github.resilientredis.test.history.History;
import io.github.resilientredis.test.history.HistoryChecker;
import io.github.resilientredis.test.history.Verdict;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fault matrix: each cell is a short run of an application context with the starter's
 * cache (or near cache, or synchronized loads of expiring entries) under a versioned
 * load, on one topology, with one fault injected and healed; every operation is recorded
 * in a {@link History} and one {@link HistoryChecker} decides. A cell passes with no
 * failed call, no stale read, no evicted value served, no lost write and a recovery after
 * every heal; it prints its verdict, and the run writes the table of every cell to
 * {@code target/fault-matrix.md}.
 * <p>
 * The database of the cached service is the source of truth: the final read of each key
 * goes through the cache, so Redis losing data (a restart, {@code FLUSHALL}) is no
 * violation as long as the cache loads the value again; Redis serving an older value (a
 * snapshot, a replica that missed writes) is.
 *
 * @author resilient-redis contributors
 */
class FaultMatrixIntegrationTests {

	private static final Duration MAX_STALENESS = Duration.ofMillis(250);

	private static final Duration HOLD = Duration.ofSeconds(1);

	private static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

	private static final String CLUSTER_TAG = "{matrix}";

	private static final Duration LOADS_TIME_TO_LIVE = Duration.ofSeconds(1);

	private static final List<String> table = new ArrayList<>();

	private static @Nullable RedisSentinelSet sentinel;

	private static @Nullable RedisClusterServers cluster;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(HistoryLoad.RecordsConfiguration.class)
		.withPropertyValues("spring.data.redis.timeout=500ms",
				"resilient.redis.circuit-breaker.wait-duration-in-open-state=200ms", "resilient.redis.retry.budget=1s");

	@TestFactory
	Stream<DynamicTest> standalone() {
		List<Cell> cells = new ArrayList<>();
		for (Mode mode : Mode.values()) {
			cells.add(standalone("kill", mode, (env) -> env.server().kill(), (env) -> env.server().restart()));
			cells.add(standalone("freeze", mode, (env) -> env.server().freeze(), (env) -> env.server().thaw()));
			cells.add(standalone("restart-empty", mode, (env) -> env.server().restart(), Action.NONE));
			cells.add(new Cell("standalone", "restart-older-snapshot", mode, null, 2,
					() -> new Env(RedisServer.builder().keepData().start()), (env) -> {
						env.server().execute("SAVE");
						// Writes acknowledged after the snapshot are lost by the restart
						env.load().awaitProgress(Duration.ofMillis(300));
						env.server().kill();
						env.server().restart();
					}, Action.NONE, Action.NONE));
			cells.add(new Cell("standalone", "silent-partition", mode,
					RedisServer.isBlackholeSupported() ? null
							: "silent partitions need Linux, root, iproute2 and network namespaces",
					2, () -> new Env(RedisServer.builder().isolatedNetwork().start()),
					(env) -> env.server().blackhole(), (env) -> env.server().heal(), Action.NONE));
			cells.add(standalone("client-kill", mode, (env) -> env.server().killClients(), Action.NONE));
			cells.add(standalone("flushall", mode, (env) -> env.server().execute("FLUSHALL"), Action.NONE));
			cells.add(standalone("oom", mode, (env) -> {
				env.server().execute("CONFIG", "SET", "maxmemory-policy", "noeviction");
				env.server().execute("CONFIG", "SET", "maxmemory", "1");
			}, (env) -> env.server().execute("CONFIG", "SET", "maxmemory", "0")));
			cells.add(standalone("slow-commands", mode, (env) -> env.server().slow(Duration.ofMillis(1500)),
					(env) -> await().atMost(Duration.ofSeconds(10))
						.ignoreExceptions()
						.until(() -> "PONG".equals(env.server().execute("PING")))));
			cells.add(new Cell("standalone", "demotion", mode, null, 2,
					() -> new Env(RedisServer.start()).with(RedisServer.start()),
					(env) -> env.server().replicaOf(env.other()), (env) -> env.server().promote(), Action.NONE));
			cells.add(new Cell("standalone", "proxy-latency", mode, null, 2,
					() -> new Env(RedisServer.start()).proxied(), (env) -> env.proxy().latency(Duration.ofMillis(300)),
					(env) -> env.proxy().heal(), Action.NONE));
			cells.add(new Cell("standalone", "proxy-reset", mode, null, 2, () -> new Env(RedisServer.start()).proxied(),
					(env) -> env.proxy().resetAll(), Action.NONE, Action.NONE));
			cells.add(new Cell("standalone", "proxy-bandwidth", mode, null, 2,
					() -> new Env(RedisServer.start()).proxied(), (env) -> env.proxy().bandwidth(2_000),
					(env) -> env.proxy().heal(), Action.NONE));
			// A silent partition that needs no namespace: the proxy holds every byte.
			cells.add(new Cell("standalone", "proxy-blackhole", mode, null, 2,
					() -> new Env(RedisServer.start()).proxied(), (env) -> env.proxy().blackhole(),
					(env) -> env.proxy().heal(), Action.NONE));
		}
		return cells.stream().filter(FaultMatrixIntegrationTests::selected).map(this::test);
	}

	private static boolean selected(Cell cell) {
		// -Dfault-matrix.cells=<regex> runs the matching cells only, for example
		// 'standalone/kill/.*'
		String cells = System.getProperty("fault-matrix.cells");
		return cells == null || cells.isBlank() || cell.name().matches(cells);
	}

	private static Cell standalone(String fault, Mode mode, Action inject, Action heal) {
		return new Cell("standalone", fault, mode, null, 2, () -> new Env(RedisServer.start()), inject, heal,
				Action.NONE);
	}

	@TestFactory
	Stream<DynamicTest> sentinel() {
		String unsupported = RedisSentinelSet.isSupported() ? null : "a Sentinel set needs redis-server on the PATH";
		List<Cell> cells = new ArrayList<>();
		for (Mode mode : Mode.values()) {
			cells.add(sentinel("failover-by-kill", mode, unsupported, (env) -> env.affect(env.sentinel().killMaster()),
					(env) -> awaitNewMaster(env), (env) -> {
						env.affected().restart();
						awaitReplica(env.affected());
					}));
			cells.add(sentinel("failover-by-freeze", mode, unsupported,
					(env) -> env.affect(env.sentinel().freezeMaster()), (env) -> awaitNewMaster(env), (env) -> {
						env.affected().thaw();
						awaitReplica(env.affected());
					}));
			cells.add(sentinel("client-kill", mode, unsupported, (env) -> env.sentinel().master().killClients(),
					Action.NONE, Action.NONE));
			cells.add(sentinel("flushall", mode, unsupported, (env) -> env.sentinel().master().execute("FLUSHALL"),
					Action.NONE, Action.NONE));
		}
		return cells.stream().filter(FaultMatrixIntegrationTests::selected).map(this::test);
	}

	private static Cell sentinel(String fault, Mode mode, @Nullable String unsupported, Action inject, Action heal,
			Action restore) {
		return new Cell("sentinel", fault, mode, unsupported, 1, () -> new Env(sentinelSet()), inject, heal, restore);
	}

	@TestFactory
	Stream<DynamicTest> cluster() {
		String unsupported = RedisClusterServers.isSupported() ? null
				: "a cluster needs redis-server and redis-cli on the PATH";
		List<Cell> cells = new ArrayList<>();
		for (Mode mode : Mode.values()) {
			String skip = (mode == Mode.NEAR_CACHE)
					? "the near cache is rejected at startup on a cluster (one tracking connection follows one server)"
					: unsupported;
			int slot = RedisClusterServers.slot(CLUSTER_TAG);
			cells.add(new Cell("cluster", "master-failover", mode, skip, 1, () -> new Env(clusterServers()),
					(env) -> env.affect(env.cluster().killMaster(slot)),
					(env) -> await().atMost(RECOVERY_BOUND)
						.pollInterval(Duration.ofMillis(20))
						.ignoreExceptions()
						.until(() -> env.cluster().masterOf(slot) != env.affected()),
					(env) -> env.cluster().restartAll()));
			cells.add(new Cell("cluster", "client-kill", mode, skip, 1, () -> new Env(clusterServers()),
					(env) -> env.cluster().masterOf(slot).killClients(), Action.NONE, Action.NONE));
			cells.add(new Cell("cluster", "flushall", mode, skip, 1, () -> new Env(clusterServers()),
					(env) -> env.cluster().masterOf(slot).execute("FLUSHALL"), Action.NONE, Action.NONE));
		}
		return cells.stream().filter(FaultMatrixIntegrationTests::selected).map(this::test);
	}

	@AfterAll
	static void writeTableAndStopTopologies() throws IOException {
		try {
			List<String> lines = new ArrayList<>();
			lines.add("Fault matrix, " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT) + ", "
					+ Runtime.getRuntime().availableProcessors() + " cores");
			lines.add("");
			lines.add("| Cell | Calls | Failed | Stale | Evicted served | Lost | Recovery p50 | Recovery p99 |");
			lines.add("|---|---:|---:|---:|---:|---:|---:|---:|");
			synchronized (table) {
				lines.addAll(table);
			}
			Files.createDirectories(Path.of("target"));
			Files.write(Path.of("target", "fault-matrix.md"), lines);
		}
		finally {
			if (sentinel != null) {
				sentinel.close();
			}
			if (cluster != null) {
				cluster.close();
			}
		}
	}

	private static synchronized RedisSentinelSet sentinelSet() {
		if (sentinel == null) {
			sentinel = RedisSentinelSet.start();
		}
		return sentinel;
	}

	private static synchronized RedisClusterServers clusterServers() {
		if (cluster == null) {
			cluster = RedisClusterServers.start();
		}
		return cluster;
	}

	private static void awaitNewMaster(Env env) {
		await().atMost(RECOVERY_BOUND)
			.pollInterval(Duration.ofMillis(20))
			.ignoreExceptions()
			.until(() -> env.sentinel().master() != env.affected());
	}

	private static void awaitReplica(RedisServer server) {
		await().atMost(RECOVERY_BOUND).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
			String replication = String.valueOf(server.execute("INFO", "replication"));
			return replication.contains("role:slave") && replication.contains("master_link_status:up");
		});
	}

	private DynamicTest test(Cell cell) {
		return DynamicTest.dynamicTest(cell.name(), () -> {
			if (cell.skip() != null) {
				synchronized (table) {
					table.add("| " + cell.name() + " | skipped: " + cell.skip() + " | | | | | | |");
				}
				assumeTrue(false, cell.skip());
			}
			try (Env env = cell.environment().create()) {
				run(cell, env);
			}
		});
	}

	private void run(Cell cell, Env env) {
		String prefix = ((env.cluster != null) ? CLUSTER_TAG : "") + cell.fault() + "-" + cell.mode().ordinal() + "-";
		ApplicationContextRunner runner = this.contextRunner.withPropertyValues(env.properties());
		if (cell.mode() == Mode.NEAR_CACHE) {
			runner = runner.withPropertyValues("resilient.redis.cache.near.enabled=true",
					"resilient.redis.cache.near.max-staleness=" + MAX_STALENESS.toMillis() + "ms");
		}
		if (cell.mode() == Mode.LOADS) {
			// Entries expire under the load: refreshes, stale values and leases are
			// exercised through the fault.
			runner = runner.withPropertyValues(
					"spring.cache.redis.time-to-live=" + LOADS_TIME_TO_LIVE.toMillis() + "ms",
					"resilient.redis.cache.single-flight.enabled=true",
					"resilient.redis.cache.single-flight.lease-time=2s",
					"resilient.redis.cache.single-flight.wait-time=1s",
					"resilient.redis.cache.early-refresh.enabled=true", "resilient.redis.cache.stale.time-to-live=2s");
		}
		boolean synchronizedReads = cell.mode() == Mode.LOADS;
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			ResilientRedisCacheManager manager = context.getBean(ResilientRedisCacheManager.class);
			NearCacheTracking tracking = (cell.mode() == Mode.NEAR_CACHE) ? context.getBean(NearCacheTracking.class)
					: null;
			BooleanSupplier servedByRedis = () -> manager.getCircuitBreakerState() == State.CLOSED
					&& !manager.isServingFromFallback() && (tracking == null || tracking.isTrusted());
			History history = new History();
			HistoryLoad.Records records = context.getBean(HistoryLoad.Records.class);
			try (HistoryLoad load = HistoryLoad.start(history, records, prefix, 3, synchronizedReads)) {
				env.load = load;
				await().atMost(Duration.ofSeconds(15)).until(() -> load.calls() > 200 && servedByRedis.getAsBoolean());
				for (int cycle = 0; cycle < cell.cycles(); cycle++) {
					History.Fault fault = history.inject(cell.fault());
					CompletableFuture<Void> recovery = CompletableFuture.runAsync(() -> {
						await().atMost(RECOVERY_BOUND.plus(HOLD).multipliedBy(2))
							.pollInterval(Duration.ofMillis(5))
							.until(() -> fault.healedAt() != Long.MAX_VALUE && servedByRedis.getAsBoolean());
						fault.recovered();
					});
					cell.inject().accept(env);
					load.awaitProgress(HOLD);
					cell.heal().accept(env);
					fault.healed();
					cell.restore().accept(env);
					awaitRecovery(recovery);
					load.awaitProgress(Duration.ofMillis(300));
				}
			}
			for (String key : records.keys()) {
				history.finalGet("app", key, () -> HistoryLoad
					.version(synchronizedReads ? records.readSynchronized(key) : records.read(key)));
			}
			HistoryChecker checker = HistoryChecker.create();
			if (cell.mode() == Mode.NEAR_CACHE) {
				checker = checker.withStaleness(MAX_STALENESS);
			}
			Verdict verdict = checker.check(history);
			System.out.println("Fault matrix " + cell.name() + ": " + verdict);
			synchronized (table) {
				table.add(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %s |", cell.name(),
						verdict.calls(), verdict.failed(), verdict.stale(), verdict.evictedServed(), verdict.lost(),
						millis(verdict.recoveryP50()), millis(verdict.recoveryP99())));
			}
			assertThat(verdict.isValid()).as("%s: %s", cell.name(), verdict).isTrue();
		});
	}

	private static void awaitRecovery(CompletableFuture<Void> recovery) {
		try {
			recovery.get(RECOVERY_BOUND.plus(HOLD).multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			// Not recovered: the verdict reports the fault as unrecovered
			if (!(ex.getCause() instanceof ConditionTimeoutException)) {
				throw new IllegalStateException("Waiting for the recovery failed", ex);
			}
		}
	}

	private static String millis(@Nullable Duration duration) {
		return (duration != null) ? duration.toMillis() + " ms" : "-";
	}

	/**
	 * What a cell runs: the cache, the near cache, or the cache with synchronized reads
	 * of expiring entries, loaded once across instances, refreshed early and served
	 * stale.
	 */
	enum Mode {

		CACHE, NEAR_CACHE, LOADS

	}

	/**
	 * One step of a cell, given what runs.
	 */
	@FunctionalInterface
	interface Action {

		Action NONE = (env) -> {
		};

		void accept(Env env) throws Exception;

	}

	/**
	 * Starts what a cell runs against.
	 */
	@FunctionalInterface
	interface Environment {

		Env create();

	}

	/**
	 * One cell: a fault injected on a topology, with the cache or the near cache, healed,
	 * then what the fault changed restored for the next cell.
	 */
	record Cell(String topology, String fault, Mode mode, @Nullable String skip, int cycles, Environment environment,
			Action inject, Action heal, Action restore) {

		String name() {
			return this.topology + "/" + this.fault + "/" + this.mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

	/**
	 * What a cell runs against: a server of its own (with a second one or a proxy in
	 * front), or the shared Sentinel set or cluster.
	 */
	static final class Env implements AutoCloseable {

		private @Nullable RedisServer server;

		private @Nullable RedisServer other;

		private @Nullable FaultProxy proxy;

		private @Nullable RedisSentinelSet sentinel;

		private @Nullable RedisClusterServers cluster;

		private @Nullable RedisServer affected;

		private @Nullable HistoryLoad load;

		Env(RedisServer server) {
			this.server = server;
		}

		Env(RedisSentinelSet sentinel) {
			this.sentinel = sentinel;
		}

		Env(RedisClusterServers cluster) {
			this.cluster = cluster;
		}

		Env with(RedisServer other) {
			this.other = other;
			return this;
		}

		Env proxied() {
			this.proxy = FaultProxy.to(server());
			return this;
		}

		String[] properties() {
			if (this.sentinel != null) {
				return this.sentinel.springProperties();
			}
			if (this.cluster != null) {
				return this.cluster.springProperties();
			}
			return (this.proxy != null) ? this.proxy.springProperties(server()) : server().springProperties();
		}

		void affect(RedisServer affected) {
			this.affected = affected;
		}

		RedisServer server() {
			return required(this.server);
		}

		RedisServer other() {
			return required(this.other);
		}

		FaultProxy proxy() {
			return required(this.proxy);
		}

		RedisSentinelSet sentinel() {
			return required(this.sentinel);
		}

		RedisClusterServers cluster() {
			return required(this.cluster);
		}

		RedisServer affected() {
			return required(this.affected);
		}

		HistoryLoad load() {
			return required(this.load);
		}

		private static <T> T required(@Nullable T value) {
			assertThat(value).isNotNull();
			return value;
		}

		@Override
		public void close() {
			// The shared topologies are stopped after the last cell
			if (this.proxy != null) {
				this.proxy.close();
			}
			if (this.server != null) {
				this.server.close();
			}
			if (this.other != null) {
				this.other.close();
			}
		}

	}

}

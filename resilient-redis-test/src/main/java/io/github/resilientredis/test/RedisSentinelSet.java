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

package io.github.resilientredis.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A Redis Sentinel set for a test: one master, one replica and three sentinels (quorum
 * 2), each a local {@code redis-server} on a free port, with failover tuned to take
 * seconds rather than the default minute.
 * <p>
 * Typical use: <pre class="code">
 * try (RedisSentinelSet sentinel = RedisSentinelSet.start()) {
 *     contextRunner.withPropertyValues(sentinel.springProperties()).run((context) -&gt; {
 *         RedisServer old = sentinel.killMaster();
 *         await().until(() -&gt; sentinel.master() != old);
 *     });
 * }
 * </pre> Every process is killed by {@link #close()}, or by a JVM shutdown hook if the
 * test never gets there.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class RedisSentinelSet implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

	private static final int SENTINELS = 3;

	private final Builder settings;

	private final List<RedisServer> dataNodes = new ArrayList<>();

	private final List<RedisServer> sentinels = new ArrayList<>();

	private RedisSentinelSet(Builder settings) {
		this.settings = settings;
	}

	/**
	 * Return a builder to configure and start a Sentinel set.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Start a Sentinel set with default settings.
	 * @return the running set
	 */
	public static RedisSentinelSet start() {
		return builder().start();
	}

	/**
	 * Return whether a Sentinel set can be started here: it needs {@code redis-server} on
	 * the {@code PATH}.
	 * @return whether Sentinel sets are supported
	 */
	public static boolean isSupported() {
		return SystemCommand.isOnPath("redis-server");
	}

	private void startProcesses() {
		RedisServer master = dataNode().start();
		this.dataNodes.add(master);
		RedisServer replica = dataNode().config("replicaof", master.host() + " " + master.port()).start();
		this.dataNodes.add(replica);
		Polling.await(STARTUP_TIMEOUT, () -> info(replica, "replication").contains("master_link_status:up"),
				() -> "replica " + replica + " in sync with " + master);
		for (int i = 0; i < SENTINELS; i++) {
			this.sentinels.add(sentinelNode(master).start());
		}
		// A failover needs sentinels that know the replica and each other
		for (RedisServer sentinel : this.sentinels) {
			Polling.await(STARTUP_TIMEOUT, () -> {
				Map<String, String> state = masterState(sentinel);
				return "1".equals(state.get("num-slaves"))
						&& String.valueOf(SENTINELS - 1).equals(state.get("num-other-sentinels"));
			}, () -> sentinel + " knowing the replica and the other sentinels: " + masterState(sentinel));
		}
	}

	private RedisServer.Builder dataNode() {
		return RedisServer.builder().backend(RedisServer.Backend.LOCAL).config("repl-diskless-sync-delay", "0");
	}

	private RedisServer.Builder sentinelNode(RedisServer master) {
		String name = this.settings.masterName;
		return RedisServer.builder()
			.backend(RedisServer.Backend.LOCAL)
			.sentinel()
			.config("sentinel monitor", name + " " + master.host() + " " + master.port() + " 2")
			.config("sentinel down-after-milliseconds", name + " " + this.settings.downAfter.toMillis())
			.config("sentinel failover-timeout", name + " " + this.settings.failoverTimeout.toMillis());
	}

	private static String info(RedisServer server, String section) {
		return String.valueOf(server.execute("INFO", section));
	}

	private Map<String, String> masterState(RedisServer sentinel) {
		String reply = sentinel.execute("SENTINEL", "MASTER", this.settings.masterName);
		String[] lines = String.valueOf(reply).split("\n");
		Map<String, String> state = new HashMap<>();
		for (int i = 0; i + 1 < lines.length; i += 2) {
			state.put(lines[i], lines[i + 1]);
		}
		return state;
	}

	/**
	 * Return the name the sentinels monitor the master under.
	 * @return the master name
	 */
	public String masterName() {
		return this.settings.masterName;
	}

	/**
	 * Return the current master, as the first sentinel that answers reports it.
	 * @return the master
	 * @throws IllegalStateException if no sentinel answers or the master is unknown
	 */
	public RedisServer master() {
		RuntimeException lastFailure = null;
		for (RedisServer sentinel : this.sentinels) {
			try {
				String[] address = String
					.valueOf(sentinel.execute("SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.settings.masterName))
					.split("\n");
				int port = Integer.parseInt(address[1]);
				return this.dataNodes.stream()
					.filter((node) -> node.port() == port)
					.findFirst()
					.orElseThrow(() -> new IllegalStateException("Sentinel reports an unknown master on port " + port));
			}
			catch (RuntimeException ex) {
				lastFailure = ex;
			}
		}
		throw new IllegalStateException("No sentinel reported the master", lastFailure);
	}

	/**
	 * Return the master and the replica, in the order they were started (first the
	 * initial master).
	 * @return the data nodes
	 */
	public List<RedisServer> dataNodes() {
		return List.copyOf(this.dataNodes);
	}

	/**
	 * Return the sentinels.
	 * @return the sentinels
	 */
	public List<RedisServer> sentinels() {
		return List.copyOf(this.sentinels);
	}

	/**
	 * Kill the current master (SIGKILL); the sentinels promote the replica after
	 * {@link Builder#downAfter(Duration)} and an election.
	 * @return the killed server
	 */
	public RedisServer killMaster() {
		RedisServer master = master();
		master.kill();
		return master;
	}

	/**
	 * Freeze (SIGSTOP) the current master: its connections stay open and nothing is
	 * reset, as when its host dies or is partitioned away. The sentinels promote the
	 * replica after {@link Builder#downAfter(Duration)} and an election; once
	 * {@link RedisServer#thaw() thawed}, they demote the old master to a replica.
	 * @return the frozen server
	 */
	public RedisServer freezeMaster() {
		RedisServer master = master();
		master.freeze();
		return master;
	}

	/**
	 * Return the {@code spring.data.redis.sentinel.*} properties that connect a Spring
	 * Boot application to this set, as {@code name=value} pairs.
	 * @return the properties
	 */
	public String[] springProperties() {
		return new String[] { "spring.data.redis.sentinel.master=" + masterName(),
				"spring.data.redis.sentinel.nodes=" + nodes() };
	}

	/**
	 * Return a Lettuce Sentinel URL for this set:
	 * {@code redis-sentinel://host:port,host:port,host:port#master}.
	 * @return the URL
	 */
	public String url() {
		return "redis-sentinel://" + nodes() + "#" + masterName();
	}

	private String nodes() {
		return this.sentinels.stream()
			.map((sentinel) -> sentinel.host() + ":" + sentinel.port())
			.collect(Collectors.joining(","));
	}

	/**
	 * Kill every process of the set and remove what they created.
	 */
	@Override
	public void close() {
		closeAll(this.sentinels);
		closeAll(this.dataNodes);
	}

	static void closeAll(List<RedisServer> servers) {
		@Nullable RuntimeException failure = null;
		for (RedisServer server : servers) {
			try {
				server.close();
			}
			catch (RuntimeException ex) {
				failure = (failure != null) ? failure : ex;
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	@Override
	public String toString() {
		return "RedisSentinelSet[" + masterName() + " " + nodes() + "]";
	}

	/**
	 * Settings of a {@link RedisSentinelSet}.
	 */
	public static final class Builder {

		private String masterName = "mymaster";

		private Duration downAfter = Duration.ofSeconds(1);

		private Duration failoverTimeout = Duration.ofSeconds(3);

		private Builder() {
		}

		/**
		 * Set the name the sentinels monitor the master under.
		 * @param masterName the master name
		 * @return this builder
		 */
		public Builder masterName(String masterName) {
			Assert.hasText(masterName, "A master name is required");
			Assert.isTrue(!masterName.contains(" "), "A master name cannot contain spaces");
			this.masterName = masterName;
			return this;
		}

		/**
		 * Set how long the master must not answer before a sentinel considers it down
		 * ({@code down-after-milliseconds}).
		 * @param downAfter the duration
		 * @return this builder
		 */
		public Builder downAfter(Duration downAfter) {
			Assert.isTrue(downAfter.toMillis() > 0, "The down-after duration must be positive");
			this.downAfter = downAfter;
			return this;
		}

		/**
		 * Set the {@code failover-timeout} of the sentinels.
		 * @param failoverTimeout the duration
		 * @return this builder
		 */
		public Builder failoverTimeout(Duration failoverTimeout) {
			Assert.isTrue(failoverTimeout.toMillis() > 0, "The failover timeout must be positive");
			this.failoverTimeout = failoverTimeout;
			return this;
		}

		/**
		 * Start the set and return once the replica is in sync and every sentinel knows
		 * the replica and the other sentinels.
		 * @return the running set
		 */
		public RedisSentinelSet start() {
			RedisSentinelSet set = new RedisSentinelSet(this);
			try {
				set.startProcesses();
				return set;
			}
			catch (RuntimeException ex) {
				set.close();
				throw ex;
			}
		}

	}

}

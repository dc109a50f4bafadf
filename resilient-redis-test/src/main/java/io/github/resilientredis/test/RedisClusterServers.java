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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.util.Assert;

/**
 * A Redis Cluster for a test: three masters and three replicas, each a local
 * {@code redis-server} on a free port, created with {@code redis-cli --cluster create}
 * and with a short {@code cluster-node-timeout} so that a replica takes over from a
 * killed master within seconds.
 * <p>
 * Typical use: <pre class="code">
 * try (RedisClusterServers cluster = RedisClusterServers.start()) {
 *     contextRunner.withPropertyValues(cluster.springProperties()).run((context) -&gt; {
 *         cluster.killMaster(RedisClusterServers.slot("key"));
 *         await().until(cluster::isHealthy);
 *     });
 * }
 * </pre> Every process is killed by {@link #close()}, or by a JVM shutdown hook if the
 * test never gets there.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class RedisClusterServers implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final int NODES = 6;

	private static final int SLOTS = 16384;

	private final Builder settings;

	private final Path directory;

	private final List<RedisServer> nodes = new ArrayList<>();

	private RedisClusterServers(Builder settings) {
		this.settings = settings;
		try {
			// Outside the servers' data directories, which a restart empties: a node
			// restarted with its cluster configuration rejoins the cluster
			this.directory = Files.createTempDirectory("resilient-redis-cluster-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a temporary directory for the cluster", ex);
		}
	}

	/**
	 * Return a builder to configure and start a cluster.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Start a cluster with default settings.
	 * @return the running cluster
	 */
	public static RedisClusterServers start() {
		return builder().start();
	}

	/**
	 * Return whether a cluster can be started here: it needs {@code redis-server} and
	 * {@code redis-cli} on the {@code PATH}.
	 * @return whether clusters are supported
	 */
	public static boolean isSupported() {
		return SystemCommand.isOnPath("redis-server") && SystemCommand.isOnPath("redis-cli");
	}

	/**
	 * Return the hash slot of a key, as Redis computes it (CRC16 of the key, or of its
	 * hash tag, modulo 16384).
	 * @param key the key
	 * @return the slot
	 */
	public static int slot(String key) {
		String hashed = key;
		int open = key.indexOf('{');
		if (open >= 0) {
			int close = key.indexOf('}', open + 1);
			if (close > open + 1) {
				hashed = key.substring(open + 1, close);
			}
		}
		int crc = 0;
		for (byte b : hashed.getBytes(StandardCharsets.UTF_8)) {
			crc ^= (b & 0xff) << 8;
			for (int i = 0; i < 8; i++) {
				crc = ((crc & 0x8000) != 0) ? ((crc << 1) ^ 0x1021) : (crc << 1);
				crc &= 0xffff;
			}
		}
		return crc % SLOTS;
	}

	private void startProcesses() {
		for (int i = 0; i < NODES; i++) {
			this.nodes.add(RedisServer.builder()
				.backend(RedisServer.Backend.LOCAL)
				.config("cluster-enabled", "yes")
				.config("cluster-config-file",
						RedisConfigFile.quote(this.directory.resolve("nodes-" + i + ".conf").toString()))
				.config("cluster-node-timeout", String.valueOf(this.settings.nodeTimeout.toMillis()))
				.config("repl-diskless-sync-delay", "0")
				.start());
		}
		List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
		this.nodes.forEach((node) -> command.add(node.host() + ":" + node.port()));
		command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
		SystemCommand.run(command.toArray(String[]::new));
		awaitHealthy(STARTUP_TIMEOUT);
	}

	/**
	 * Return every node, masters and replicas, in the order they were started.
	 * @return the nodes
	 */
	public List<RedisServer> nodes() {
		return List.copyOf(this.nodes);
	}

	/**
	 * Return the nodes that are masters now and serve slots, as the running nodes report.
	 * @return the masters
	 */
	public List<RedisServer> masters() {
		return clusterNodes().stream()
			.filter((node) -> node.master() && !node.failed() && !node.slots().isEmpty())
			.map(this::server)
			.toList();
	}

	/**
	 * Return the master that serves the given slot now.
	 * @param slot the slot
	 * @return the master
	 * @throws IllegalStateException if no running master serves the slot
	 */
	public RedisServer masterOf(int slot) {
		return clusterNodes().stream()
			.filter((node) -> node.master() && !node.failed() && node.serves(slot))
			.map(this::server)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No master serves slot " + slot));
	}

	/**
	 * Kill (SIGKILL) the master that serves the given slot; its replica takes over after
	 * the node timeout and an election.
	 * @param slot the slot, see {@link #slot(String)}
	 * @return the killed server
	 */
	public RedisServer killMaster(int slot) {
		RedisServer master = masterOf(slot);
		master.kill();
		return master;
	}

	/**
	 * Freeze (SIGSTOP) the master that serves the given slot: its connections stay open
	 * and nothing is reset, as when its host dies or is partitioned away. Its replica
	 * takes over after the node timeout and an election. The other methods of this class
	 * skip frozen nodes when they ask the cluster for its state.
	 * @param slot the slot, see {@link #slot(String)}
	 * @return the frozen server, to {@link RedisServer#thaw() thaw} later
	 */
	public RedisServer freezeMaster(int slot) {
		RedisServer master = masterOf(slot);
		master.freeze();
		return master;
	}

	/**
	 * Kill every node: the whole cluster is down.
	 */
	public void killAll() {
		this.nodes.forEach(RedisServer::kill);
	}

	/**
	 * Restart every node that is not running, on its port and with its cluster
	 * configuration but an empty data set, and return once the cluster is healthy.
	 */
	public void restartAll() {
		this.nodes.stream().filter((node) -> !node.process().isAlive()).forEach(RedisServer::restart);
		awaitHealthy(STARTUP_TIMEOUT);
	}

	/**
	 * Return whether every running node reports {@code cluster_state:ok}, every slot is
	 * served by a running master and every running replica is in sync with its master.
	 * @return whether the cluster is healthy
	 */
	public boolean isHealthy() {
		List<RedisServer> running = this.nodes.stream().filter(RedisClusterServers::answers).toList();
		for (RedisServer node : running) {
			if (!String.valueOf(node.execute("CLUSTER", "INFO")).contains("cluster_state:ok")) {
				return false;
			}
			String replication = String.valueOf(node.execute("INFO", "replication"));
			if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
				return false;
			}
		}
		return clusterNodes().stream()
			.filter((node) -> node.master() && !node.failed())
			.mapToInt((node) -> node.slots().stream().mapToInt((range) -> range[1] - range[0] + 1).sum())
			.sum() == SLOTS;
	}

	private void awaitHealthy(Duration timeout) {
		Polling.await(timeout, this::isHealthy, () -> "a healthy cluster; nodes say:\n" + describe());
	}

	private String describe() {
		try {
			return String.valueOf(runningNode().execute("CLUSTER", "NODES"));
		}
		catch (RuntimeException ex) {
			return "(no node answers: " + ex.getMessage() + ")";
		}
	}

	private List<ClusterNode> clusterNodes() {
		return ClusterNode.parse(String.valueOf(runningNode().execute("CLUSTER", "NODES")));
	}

	private RedisServer runningNode() {
		return this.nodes.stream()
			.filter(RedisClusterServers::answers)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No cluster node is running"));
	}

	private static boolean answers(RedisServer node) {
		return node.process().isAlive() && !node.isFrozen();
	}

	private RedisServer server(ClusterNode node) {
		return this.nodes.stream()
			.filter((server) -> server.port() == node.port())
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("Unknown cluster node on port " + node.port()));
	}

	/**
	 * Return the {@code spring.data.redis.cluster.nodes} property that connects a Spring
	 * Boot application to this cluster, as a {@code name=value} pair.
	 * @return the properties
	 */
	public String[] springProperties() {
		return new String[] { "spring.data.redis.cluster.nodes=" + addresses() };
	}

	/**
	 * Return a Redis URL listing every node, {@code redis://host:port,host:port,...}, the
	 * form resilient-redis maps to {@code spring.data.redis.cluster.nodes}.
	 * @return the URL
	 */
	public String url() {
		return "redis://" + addresses();
	}

	private String addresses() {
		return this.nodes.stream().map((node) -> node.host() + ":" + node.port()).collect(Collectors.joining(","));
	}

	/**
	 * Kill every node and remove what they created.
	 */
	@Override
	public void close() {
		try {
			RedisSentinelSet.closeAll(this.nodes);
		}
		finally {
			try {
				LocalRedisProcess.deleteRecursively(this.directory);
			}
			catch (IOException ex) {
				// A leftover temporary directory does not break later tests
			}
		}
	}

	@Override
	public String toString() {
		return "RedisClusterServers[" + addresses() + "]";
	}

	/**
	 * Settings of a {@link RedisClusterServers}.
	 */
	public static final class Builder {

		private Duration nodeTimeout = Duration.ofSeconds(1);

		private Builder() {
		}

		/**
		 * Set {@code cluster-node-timeout}: how long a master may not answer before it is
		 * failed over.
		 * @param nodeTimeout the timeout
		 * @return this builder
		 */
		public Builder nodeTimeout(Duration nodeTimeout) {
			Assert.isTrue(nodeTimeout.toMillis() > 0, "The node timeout must be positive");
			this.nodeTimeout = nodeTimeout;
			return this;
		}

		/**
		 * Start the cluster and return once every slot is served and every replica is in
		 * sync.
		 * @return the running cluster
		 */
		public RedisClusterServers start() {
			RedisClusterServers cluster = new RedisClusterServers(this);
			try {
				cluster.startProcesses();
				return cluster;
			}
			catch (RuntimeException ex) {
				cluster.close();
				throw ex;
			}
		}

	}

}

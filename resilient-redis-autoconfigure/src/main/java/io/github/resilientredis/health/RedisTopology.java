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

package io.github.resilientredis.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.NamedNode;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConnection;
import org.springframework.data.redis.connection.RedisServer;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The mode Redis is configured in (standalone, Sentinel or cluster) and, for Sentinel and
 * cluster, every node with its role and the outcome of a {@code PING} to it. The nodes
 * are discovered through the sentinels or {@code CLUSTER NODES} (the configured nodes
 * when that fails) and pinged concurrently on connections of their own; discovery and the
 * pings share one deadline, the probe timeout from the call, so a dead or frozen node
 * never holds up the caller.
 *
 * @author resilient-redis contributors
 */
final class RedisTopology implements AutoCloseable {

	static final String STANDALONE = "standalone";

	static final String SENTINEL = "sentinel";

	static final String CLUSTER = "cluster";

	private static final int MAX_THREADS = 16;

	private final RedisConnectionFactory connectionFactory;

	private final Duration timeout;

	private final BiFunction<Throwable, String, RedisProbe.Failure> failures;

	private final ThreadPoolExecutor executor;

	private final Map<String, StatefulRedisConnection<String, String>> connections = new ConcurrentHashMap<>();

	private volatile @Nullable RedisClient client;

	RedisTopology(RedisConnectionFactory connectionFactory, Duration timeout,
			BiFunction<Throwable, String, RedisProbe.Failure> failures) {
		this.connectionFactory = connectionFactory;
		this.timeout = timeout;
		this.failures = failures;
		this.executor = RedisProbe.executor("redis-node-probe-", MAX_THREADS);
	}

	/**
	 * Return the mode from the configuration of the connection factory.
	 * @return {@code standalone}, {@code sentinel} or {@code cluster}, {@code null} when
	 * the connection factory does not tell
	 */
	@Nullable String mode() {
		if (this.connectionFactory instanceof LettuceConnectionFactory lettuce) {
			if (lettuce.getClusterConfiguration() != null) {
				return CLUSTER;
			}
			return (lettuce.getSentinelConfiguration() != null) ? SENTINEL : STANDALONE;
		}
		return null;
	}

	/**
	 * Discover and ping every node of a Sentinel or cluster topology, completing no later
	 * than the timeout from now.
	 * @return the nodes, {@code null} for a standalone server or another client than
	 * Lettuce
	 */
	@Nullable CompletableFuture<List<Node>> nodes() {
		if (!(this.connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			return null;
		}
		long deadline = System.nanoTime() + this.timeout.toNanos();
		RedisClusterConfiguration cluster = lettuce.getClusterConfiguration();
		if (cluster != null) {
			Credentials credentials = new Credentials(cluster.getUsername(), cluster.getPassword());
			return discover(this::clusterNodes, () -> configured(cluster.getClusterNodes(), "unknown"), deadline)
				.thenCompose((nodes) -> ping(nodes, (node) -> credentials, deadline));
		}
		RedisSentinelConfiguration sentinel = lettuce.getSentinelConfiguration();
		if (sentinel != null) {
			Credentials data = new Credentials(sentinel.getUsername(), sentinel.getPassword());
			Credentials sentinels = new Credentials(sentinel.getSentinelUsername(), sentinel.getSentinelPassword());
			return discover(() -> sentinelDataNodes(sentinel.getRequiredMaster()), List::of, deadline)
				.thenCompose((nodes) -> {
					List<Node> all = new ArrayList<>(nodes);
					all.addAll(configured(sentinel.getSentinels(), SENTINEL));
					return ping(all, (node) -> SENTINEL.equals(node.role()) ? sentinels : data, deadline);
				});
		}
		return null;
	}

	private List<Node> clusterNodes() {
		try (RedisClusterConnection connection = this.connectionFactory.getClusterConnection()) {
			List<Node> nodes = new ArrayList<>();
			for (RedisClusterNode node : connection.clusterGetNodes()) {
				nodes.add(Node.unprobed(address(node), node.isReplica() ? "replica" : "master"));
			}
			return nodes;
		}
	}

	private List<Node> sentinelDataNodes(NamedNode master) {
		try (RedisSentinelConnection connection = this.connectionFactory.getSentinelConnection()) {
			List<Node> nodes = new ArrayList<>();
			for (RedisServer server : connection.masters()) {
				if (String.valueOf(master.getName()).equals(server.getName())) {
					nodes.add(Node.unprobed(address(server), "master"));
				}
			}
			for (RedisServer replica : connection.replicas(master)) {
				nodes.add(Node.unprobed(address(replica), "replica"));
			}
			return nodes;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<Node> configured(Iterable<RedisNode> configured, String role) {
		List<Node> nodes = new ArrayList<>();
		configured.forEach((node) -> nodes.add(Node.unprobed(address(node), role)));
		return nodes;
	}

	private static String address(RedisNode node) {
		return node.getHost() + ":" + node.getPort();
	}

	private CompletableFuture<List<Node>> discover(Supplier<List<Node>> discovery, Supplier<List<Node>> fallback,
			long deadline) {
		return submit(discovery).orTimeout(remaining(deadline), TimeUnit.NANOSECONDS)
			.exceptionally((ex) -> fallback.get());
	}

	private CompletableFuture<List<Node>> ping(List<Node> nodes, Function<Node, Credentials> credentials,
			long deadline) {
		List<CompletableFuture<Node>> pings = new ArrayList<>();
		for (Node node : nodes) {
			pings.add(submit(() -> ping(node, credentials.apply(node)))
				.orTimeout(remaining(deadline), TimeUnit.NANOSECONDS)
				.exceptionally((ex) -> node.failed(this.failures.apply(ex, "PING"))));
		}
		return CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new))
			.thenApply((done) -> pings.stream().map(CompletableFuture::join).toList());
	}

	private static long remaining(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

	private Node ping(Node node, Credentials credentials) {
		try {
			StatefulRedisConnection<String, String> connection = this.connections.computeIfAbsent(node.address(),
					(address) -> client().connect(uri(address, credentials)));
			long started = System.nanoTime();
			connection.sync().ping();
			return node.answered(Duration.ofNanos(System.nanoTime() - started));
		}
		catch (RuntimeException ex) {
			// Reconnect afresh next time rather than queue behind a broken connection
			StatefulRedisConnection<String, String> connection = this.connections.remove(node.address());
			if (connection != null) {
				connection.closeAsync();
			}
			return node.failed(this.failures.apply(ex, "PING"));
		}
	}

	private RedisURI uri(String address, Credentials credentials) {
		int colon = address.lastIndexOf(':');
		RedisURI.Builder uri = RedisURI.Builder
			.redis(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))
			.withTimeout(this.timeout);
		LettuceConnectionFactory lettuce = (LettuceConnectionFactory) this.connectionFactory;
		if (lettuce.isUseSsl()) {
			uri.withSsl(true).withVerifyPeer(lettuce.getClientConfiguration().getVerifyMode());
		}
		if (credentials.password().isPresent()) {
			char[] password = credentials.password().get();
			if (credentials.username() != null) {
				uri.withAuthentication(credentials.username(), password);
			}
			else {
				uri.withPassword(password);
			}
		}
		return uri.build();
	}

	private RedisClient client() {
		RedisClient client = this.client;
		if (client == null) {
			synchronized (this) {
				client = this.client;
				if (client == null) {
					client = createClient();
					this.client = client;
				}
			}
		}
		return client;
	}

	private RedisClient createClient() {
		LettuceConnectionFactory lettuce = (LettuceConnectionFactory) this.connectionFactory;
		RedisClient client = RedisClient.create(lettuce.getClientResources());
		// The application's options (TLS trust, socket options) with the probe's timeouts
		ClientOptions options = ClientOptions
			.copyOf(lettuce.getClientConfiguration().getClientOptions().orElseGet(ClientOptions::create));
		client.setOptions(options.mutate()
			.socketOptions(options.getSocketOptions().mutate().connectTimeout(this.timeout).build())
			.timeoutOptions(TimeoutOptions.enabled(this.timeout))
			.autoReconnect(false)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build());
		return client;
	}

	private <T> CompletableFuture<T> submit(Supplier<T> task) {
		return RedisProbe.submit(this.executor, task);
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
		this.connections.values().forEach(StatefulRedisConnection::closeAsync);
		this.connections.clear();
		RedisClient client = this.client;
		if (client != null) {
			client.shutdownAsync();
		}
	}

	private record Credentials(@Nullable String username, RedisPassword password) {

	}

	/**
	 * A node of the topology and the outcome of a {@code PING} to it.
	 *
	 * @param address host and port
	 * @param role {@code master}, {@code replica}, {@code sentinel} or {@code unknown}
	 * @param latency time the node took to answer, {@code null} when it did not
	 * @param failure why the node did not answer, {@code null} when it did
	 */
	record Node(String address, String role, @Nullable Duration latency, RedisProbe.@Nullable Failure failure) {

		static Node unprobed(String address, String role) {
			return new Node(address, role, null, null);
		}

		Node answered(Duration latency) {
			return new Node(this.address, this.role, latency, null);
		}

		Node failed(RedisProbe.Failure failure) {
			return new Node(this.address, this.role, null, failure);
		}

		RedisNodeDescriptor describe() {
			return new RedisNodeDescriptor(this.address, this.role, this.failure == null && this.latency != null,
					(this.latency != null) ? RedisProbe.millis(this.latency) : null,
					(this.failure != null) ? this.failure.toString() : null);
		}

	}

}

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

package io.github.resilientredis.actuate.endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.resilientredis.health.RedisNodeDescriptor;
import io.github.resilientredis.health.RedisProbe;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@link Endpoint @Endpoint} about Redis: {@code /actuator/redis/stats} with statistics
 * of the server (from {@code INFO}), its mode and, for Sentinel and cluster, every node
 * (see {@link RedisProbe#check(boolean)}), and of this client, with advice an operator
 * can act on, and {@code /actuator/redis/ping}. A section that Redis does not answer in
 * time, or that the user may not read, is left out and named in {@code unavailable} with
 * the reason. Keys are {@code snake_case}, as in the health details. Like every endpoint
 * but {@code health}, it is not exposed over HTTP unless
 * {@code management.endpoints.web.exposure.include} names it.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@Endpoint(id = "redis")
public class RedisEndpoint {

	private final RedisProbe probe;

	private final RedisClientStatistics client;

	/**
	 * Create a new endpoint.
	 * @param probe the probe that reaches Redis without waiting on the command timeout
	 * @param client the statistics of the client side
	 */
	public RedisEndpoint(RedisProbe probe, RedisClientStatistics client) {
		this.probe = probe;
		this.client = client;
	}

	/**
	 * Read the statistics ({@code stats}) or ping Redis ({@code ping}).
	 * @param operation {@code stats} or {@code ping}
	 * @return the descriptor, {@code null} (not found) for another operation
	 */
	@ReadOperation
	public @Nullable OperationResponseBody redis(@Selector String operation) {
		return switch (operation) {
			case "stats" -> stats();
			case "ping" -> ping();
			default -> null;
		};
	}

	/**
	 * Return the statistics of the server and of the client. Redis and, for Sentinel and
	 * cluster, every node are probed concurrently, within the probe's timeout.
	 * @return the statistics
	 */
	public StatsDescriptor stats() {
		RedisProbe.Check check = this.probe.check(true);
		RedisProbe.Ping ping = check.ping();
		Map<String, String> unavailable = new LinkedHashMap<>();
		List<String> advisories = new ArrayList<>();
		RedisServerDescriptor server = null;
		Properties info = ping.serverInfo();
		if (info != null && ping.clusterInfo() == null) {
			RedisServerStatistics statistics = new RedisServerStatistics(info);
			server = statistics.describe();
			advisories.addAll(statistics.advisories());
		}
		else {
			unavailable.put("server", serverUnavailable(ping));
		}
		advisories.addAll(this.client.advisories());
		List<RedisNodeDescriptor> nodes = check.nodes();
		if (nodes != null) {
			nodes.stream()
				.filter((node) -> !node.reachable())
				.forEach((node) -> advisories.add("Redis " + node.role() + " " + node.address() + " does not answer ("
						+ node.error() + "): a failover may follow or be under way."));
		}
		String mode = this.probe.configuredMode();
		return new StatsDescriptor((mode != null) ? mode : "unknown", server, nodes, this.client.describe(), advisories,
				unavailable);
	}

	private static String serverUnavailable(RedisProbe.Ping ping) {
		if (ping.failure() != null) {
			return ping.failure().toString();
		}
		if (ping.clusterInfo() != null) {
			return "a cluster has no single server; see nodes and the health details";
		}
		return String.valueOf(ping.serverInfoFailure());
	}

	/**
	 * Ping Redis now, without the cached result of the health indicator.
	 * @return the outcome of the ping
	 */
	public PingDescriptor ping() {
		RedisProbe.Ping ping = this.probe.pingNow();
		RedisProbe.Failure failure = ping.failure();
		if (failure != null) {
			return new PingDescriptor("error", failure.toString(), null);
		}
		return new PingDescriptor("connected", "PONG", ping.latencyMillis());
	}

	/**
	 * Statistics of Redis.
	 *
	 * @param mode {@code standalone}, {@code sentinel} or {@code cluster}, as configured
	 * @param server figures of the server from {@code INFO}; {@code null} when
	 * unavailable, and for a cluster
	 * @param nodes for Sentinel and cluster, every node with its {@code address},
	 * {@code role}, whether it is {@code reachable} and its {@code latency_ms} or
	 * {@code error}; {@code null} for a standalone server
	 * @param client figures of this application's side
	 * @param advisories advice an operator can act on
	 * @param unavailable the sections that are left out, with the reason for each
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record StatsDescriptor(String mode, @Nullable RedisServerDescriptor server,
			@Nullable List<RedisNodeDescriptor> nodes, RedisClientDescriptor client, List<String> advisories,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> unavailable)
			implements
				OperationResponseBody {

	}

	/**
	 * Outcome of a {@code PING}.
	 *
	 * @param status {@code connected} or {@code error}
	 * @param message the reply or the redacted failure
	 * @param latencyMs time Redis took to answer in milliseconds, {@code null} when it
	 * did not
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record PingDescriptor(String status, String message,
			@JsonProperty("latency_ms") @Nullable Double latencyMs) implements OperationResponseBody {

	}

}

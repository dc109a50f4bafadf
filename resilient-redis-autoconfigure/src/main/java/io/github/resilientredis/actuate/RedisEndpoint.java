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

package io.github.resilientredis.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@link Endpoint @Endpoint} about Redis: {@code /actuator/redis/stats} with statistics
 * of the server (from {@code INFO}), its mode and, for Sentinel and cluster, every node
 * (see {@link RedisProbe#nodes()}), and of this client, with advice an operator can act
 * on, and {@code /actuator/redis/ping}. Each section that Redis does not answer in time,
 * or that the user may not read, is reported as "unavailable: reason". Like every
 * endpoint but {@code health}, it is not exposed over HTTP unless
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
	public @Nullable Object redis(@Selector String operation) {
		return switch (operation) {
			case "stats" -> stats();
			case "ping" -> ping();
			default -> null;
		};
	}

	/**
	 * Return the statistics of the server and of the client.
	 * @return the statistics
	 */
	public StatsDescriptor stats() {
		RedisProbe.Outcome<Properties> info = this.probe.call("INFO",
				(connection) -> connection.serverCommands().info());
		List<String> advisories = new ArrayList<>();
		Object server;
		if (info.value() != null) {
			RedisServerStatistics statistics = new RedisServerStatistics(info.value());
			server = statistics.describe();
			advisories.addAll(statistics.advisories());
		}
		else {
			server = RedisClientStatistics.unavailable(String.valueOf(info.failure()));
		}
		advisories.addAll(this.client.advisories());
		List<Map<String, Object>> nodes = this.probe.nodes();
		if (nodes != null) {
			nodes.stream()
				.filter((node) -> !Boolean.TRUE.equals(node.get("reachable")))
				.forEach((node) -> advisories.add("Redis " + node.get("role") + " " + node.get("address")
						+ " does not answer (" + node.get("error") + "): a failover may follow or be under way."));
		}
		String mode = this.probe.configuredMode();
		return new StatsDescriptor((mode != null) ? mode : "unknown", server, nodes, this.client.describe(),
				advisories);
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
		return new PingDescriptor("connected", "PONG", ResilientRedisHealthIndicator.millis(ping));
	}

	/**
	 * Statistics of Redis.
	 *
	 * @param mode {@code standalone}, {@code sentinel} or {@code cluster}, as configured
	 * @param server figures of the server from {@code INFO}, or "unavailable: reason"
	 * @param nodes for Sentinel and cluster, every node with its {@code address},
	 * {@code role}, whether it is {@code reachable} and its {@code latency_ms} or
	 * {@code error}; {@code null} for a standalone server
	 * @param client figures of this application's side
	 * @param advisories advice an operator can act on
	 */
	public record StatsDescriptor(String mode, Object server, @Nullable List<Map<String, Object>> nodes,
			Map<String, Object> client, List<String> advisories) {

	}

	/**
	 * Outcome of a {@code PING}.
	 *
	 * @param status {@code connected} or {@code error}
	 * @param message the reply or the redacted failure
	 * @param latencyMs time Redis took to answer in milliseconds, {@code null} when it
	 * did not
	 */
	public record PingDescriptor(String status, String message, @Nullable Double latencyMs) {

	}

}

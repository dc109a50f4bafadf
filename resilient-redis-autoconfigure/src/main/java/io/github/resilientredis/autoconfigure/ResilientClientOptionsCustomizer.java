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

import io.github.resilientredis.connection.RedisTransport;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SocketOptions.KeepAliveOptions;
import io.lettuce.core.SocketOptions.TcpUserTimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;

/**
 * Applies connect timeout, TCP keep-alive, {@code TCP_USER_TIMEOUT}, fail-fast while
 * disconnected and a bounded request queue to Boot's Lettuce client options. The options
 * apply to every connection of the client: with Sentinel to the sentinels and the master,
 * with a cluster to every node. For a cluster, Boot passes a
 * {@link ClusterClientOptions.Builder}, which also gets periodic and adaptive topology
 * refresh.
 *
 * @author resilient-redis contributors
 */
class ResilientClientOptionsCustomizer implements LettuceClientOptionsBuilderCustomizer {

	private static final Log logger = LogFactory.getLog(ResilientClientOptionsCustomizer.class);

	private final ResilientRedisProperties properties;

	private final RedisTransport transport;

	private final boolean dynamicRefreshSources;

	ResilientClientOptionsCustomizer(ResilientRedisProperties properties, RedisTransport transport,
			boolean dynamicRefreshSources) {
		this.properties = properties;
		this.transport = transport;
		this.dynamicRefreshSources = dynamicRefreshSources;
	}

	@Override
	public void customize(ClientOptions.Builder builder) {
		ResilientRedisProperties.Connection connection = this.properties.getConnection();
		builder.socketOptions(socketOptions())
			.autoReconnect(true)
			.disconnectedBehavior(connection.getDisconnectedBehavior())
			.requestQueueSize(connection.getRequestQueueSize());
		if (builder instanceof ClusterClientOptions.Builder cluster) {
			cluster.topologyRefreshOptions(topologyRefreshOptions());
		}
	}

	ClusterTopologyRefreshOptions topologyRefreshOptions() {
		ResilientRedisProperties.Cluster cluster = this.properties.getCluster();
		// Replaces Boot's refresh options, so keep the one setting Boot has that this
		// starter does not
		ClusterTopologyRefreshOptions.Builder refresh = ClusterTopologyRefreshOptions.builder()
			.dynamicRefreshSources(this.dynamicRefreshSources)
			.enablePeriodicRefresh(cluster.getTopologyRefreshPeriod());
		// Explicit both ways: which triggers Lettuce enables by default changed over
		// versions
		if (cluster.isAdaptiveRefresh()) {
			refresh.enableAllAdaptiveRefreshTriggers()
				.adaptiveRefreshTriggersTimeout(cluster.getAdaptiveRefreshTimeout());
		}
		else {
			refresh.disableAllAdaptiveRefreshTriggers();
		}
		return refresh.build();
	}

	SocketOptions socketOptions() {
		ResilientRedisProperties.KeepAlive keepAlive = this.properties.getKeepAlive();
		SocketOptions.Builder socket = SocketOptions.builder()
			.connectTimeout(this.properties.getConnection().getConnectTimeout())
			.keepAlive(KeepAliveOptions.builder()
				.enable(keepAlive.isEnabled())
				.idle(keepAlive.getIdle())
				.interval(keepAlive.getInterval())
				.count(keepAlive.getCount())
				.build());
		if (applyTcpUserTimeout()) {
			socket.tcpUserTimeout(
					TcpUserTimeoutOptions.builder().enable().tcpUserTimeout(keepAlive.getTcpUserTimeout()).build());
		}
		return socket.build();
	}

	private boolean applyTcpUserTimeout() {
		Duration tcpUserTimeout = this.properties.getKeepAlive().getTcpUserTimeout();
		return !tcpUserTimeout.isZero() && this.transport.supportsTcpUserTimeout();
	}

	/**
	 * Log, once, the transport and the options in force, and warn about those that cannot
	 * apply on it.
	 */
	void logTransport() {
		ResilientRedisProperties properties = this.properties;
		ResilientRedisProperties.KeepAlive keepAlive = properties.getKeepAlive();
		StringBuilder message = new StringBuilder("Redis connections use the ").append(this.transport)
			.append(" transport: connect timeout ")
			.append(format(properties.getConnection().getConnectTimeout()))
			.append(", command timeout ")
			.append(format(properties.getConnection().getCommandTimeout()));
		if (keepAlive.isEnabled()) {
			message.append(", TCP keep-alive");
			if (this.transport.supportsKeepAliveTuning()) {
				message.append(" idle ")
					.append(format(keepAlive.getIdle()))
					.append(" interval ")
					.append(format(keepAlive.getInterval()))
					.append(" count ")
					.append(keepAlive.getCount());
			}
		}
		else {
			message.append(", TCP keep-alive off");
		}
		message.append(", TCP_USER_TIMEOUT ")
			.append(applyTcpUserTimeout() ? format(keepAlive.getTcpUserTimeout()) : "off");
		ResilientRedisProperties.Heartbeat heartbeat = properties.getHeartbeat();
		message.append(", heartbeat ")
			.append(heartbeat.isEnabled() ? "PING after " + format(heartbeat.getInterval()) + " idle" : "off");
		message.append(", reconnect back-off ")
			.append(format(properties.getReconnect().getMinDelay()))
			.append("..")
			.append(format(properties.getReconnect().getMaxDelay()))
			.append(" with jitter, while disconnected ")
			.append(properties.getConnection().getDisconnectedBehavior());
		logger.info(message);
		if (keepAlive.isEnabled() && !this.transport.supportsKeepAliveTuning()) {
			logger.warn("TCP keep-alive idle, interval and count cannot be tuned on the " + this.transport
					+ " transport; the operating system defaults apply and the heartbeat still detects dead connections");
		}
		if (!keepAlive.getTcpUserTimeout().isZero() && !this.transport.supportsTcpUserTimeout()) {
			logger.warn("TCP_USER_TIMEOUT " + format(keepAlive.getTcpUserTimeout()) + " cannot apply on the "
					+ this.transport + " transport (it needs epoll or io_uring, for example "
					+ "io.netty:netty-transport-native-epoll with classifier linux-x86_64); "
					+ "the heartbeat still detects dead connections");
		}
	}

	private static String format(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

}

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
import java.util.Locale;
import java.util.function.Predicate;

import io.github.resilientredis.connection.RedisTransport;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SocketOptions.KeepAliveOptions;
import io.lettuce.core.SocketOptions.TcpUserTimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds TCP keep-alive, {@code TCP_USER_TIMEOUT}, fail-fast while disconnected and a
 * bounded request queue to the Lettuce client options Boot builds, keeping Boot's own
 * settings (the connect timeout, the cluster refresh period and dynamic refresh sources).
 * The options apply to every connection of the client: with Sentinel to the sentinels and
 * the master, with a cluster to every node. For a cluster, Boot passes a
 * {@link ClusterClientOptions.Builder}, which also gets adaptive topology refresh.
 *
 * @author resilient-redis contributors
 */
class ResilientClientOptionsCustomizer implements LettuceClientOptionsBuilderCustomizer {

	private static final Log logger = LogFactory.getLog(ResilientClientOptionsCustomizer.class);

	private static final Duration LETTUCE_CONNECT_TIMEOUT = SocketOptions.DEFAULT_CONNECT_TIMEOUT_DURATION;

	private final ResilientRedisProperties properties;

	private final DataRedisProperties dataRedisProperties;

	private final RedisTransport transport;

	ResilientClientOptionsCustomizer(ResilientRedisProperties properties, DataRedisProperties dataRedisProperties,
			RedisTransport transport) {
		this.properties = properties;
		this.dataRedisProperties = dataRedisProperties;
		this.transport = transport;
	}

	@Override
	public void customize(ClientOptions.Builder builder) {
		ResilientRedisProperties.Connection connection = this.properties.getConnection();
		// What Boot has set so far, to be kept.
		ClientOptions boot = builder.build();
		builder.socketOptions(socketOptions(boot.getSocketOptions()))
			.autoReconnect(true)
			.disconnectedBehavior(connection.getDisconnectedBehavior())
			.requestQueueSize(connection.getRequestQueueSize());
		if (builder instanceof ClusterClientOptions.Builder cluster && boot instanceof ClusterClientOptions options) {
			cluster.topologyRefreshOptions(topologyRefreshOptions(options.getTopologyRefreshOptions()));
		}
	}

	/**
	 * Return Boot's topology refresh options with the adaptive refresh, which Boot has no
	 * property for, set as configured.
	 * @param boot the options Boot built
	 * @return the options to use
	 */
	ClusterTopologyRefreshOptions topologyRefreshOptions(ClusterTopologyRefreshOptions boot) {
		ResilientRedisProperties.Cluster cluster = this.properties.getCluster();
		ClusterTopologyRefreshOptions.Builder refresh = ClusterTopologyRefreshOptions.builder()
			.dynamicRefreshSources(boot.useDynamicRefreshSources())
			.closeStaleConnections(boot.isCloseStaleConnections())
			.refreshTriggersReconnectAttempts(boot.getRefreshTriggersReconnectAttempts())
			.refreshPeriod(boot.getRefreshPeriod())
			.enablePeriodicRefresh(boot.isPeriodicRefreshEnabled());
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

	SocketOptions socketOptions(SocketOptions boot) {
		ResilientRedisProperties.KeepAlive keepAlive = this.properties.getKeepAlive();
		SocketOptions.Builder socket = boot.mutate()
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
			.append(format(orDefault(this.dataRedisProperties.getConnectTimeout(), LETTUCE_CONNECT_TIMEOUT)))
			.append(", command timeout ")
			.append(format(commandTimeout(this.dataRedisProperties)));
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
					+ this.transport + " transport: "
					+ tcpUserTimeoutAdvice(System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
							(resource) -> new ClassPathResource(resource).exists())
					+ ". Without it, a connection whose server vanished while data was in flight is not dropped "
					+ "by the kernel after " + format(keepAlive.getTcpUserTimeout())
					+ "; the heartbeat still detects it (resilient.redis.heartbeat)");
		}
	}

	/**
	 * Say why {@code TCP_USER_TIMEOUT} is not available on the given platform and what to
	 * add for it.
	 * @param osName the operating system name ({@code os.name})
	 * @param osArch the architecture ({@code os.arch})
	 * @param onClassPath whether a resource is on the class path
	 * @return the advice
	 */
	static String tcpUserTimeoutAdvice(String osName, String osArch, Predicate<String> onClassPath) {
		if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
			return "it is a Linux socket option, set through the epoll or io_uring transport, and this is " + osName;
		}
		String arch = switch (osArch) {
			case "amd64", "x86_64" -> "x86_64";
			case "aarch64", "arm64" -> "aarch_64";
			default -> osArch;
		};
		String artifact = "io.netty:netty-transport-native-epoll with classifier linux-" + arch;
		if (onClassPath.test("META-INF/native/libnetty_transport_native_epoll_" + arch + ".so")) {
			return "the epoll transport (" + artifact + ") is on the class path but did not load; "
					+ "logging.level.io.netty=debug shows why";
		}
		boolean shipped = arch.equals("x86_64") || arch.equals("aarch_64");
		return "it needs the epoll transport for this machine, " + artifact + ", which is not on the class path"
				+ (shipped ? " (the starter brings it unless it is excluded): add it"
						: " (the starter brings linux-x86_64 and linux-aarch_64 only): add it, at the Netty version in use");
	}

	/**
	 * Return the command timeout in force: Spring Boot's
	 * {@code spring.data.redis.timeout} or, without it, Lettuce's default.
	 * @param properties the Redis properties of Spring Boot
	 * @return the command timeout
	 */
	static Duration commandTimeout(DataRedisProperties properties) {
		return orDefault(properties.getTimeout(), RedisURI.DEFAULT_TIMEOUT_DURATION);
	}

	private static Duration orDefault(@Nullable Duration value, Duration defaultValue) {
		return (value != null) ? value : defaultValue;
	}

	private static String format(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

}

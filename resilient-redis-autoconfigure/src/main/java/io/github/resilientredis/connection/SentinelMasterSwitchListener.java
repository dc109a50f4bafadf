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

package io.github.resilientredis.connection;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Listens to the sentinels' {@code +switch-master} event and, when they promote a new
 * master, closes every connection to the old one at once, so that Lettuce reconnects
 * through the sentinels to the new master.
 * <p>
 * Without it, a master that went silent (a dead host, a network partition) keeps the
 * application's connections: their commands time out, and each connection moves only when
 * its heartbeat fails, which waits for the breaker to open or for 30 s without a reply,
 * and then for the heartbeat timeout. With it, the connections move within milliseconds
 * of the promotion. Does nothing unless the connection factory is a Lettuce one
 * configured for Sentinel.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class SentinelMasterSwitchListener implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SentinelMasterSwitchListener.class);

	static final String CHANNEL = "+switch-master";

	private final Supplier<@Nullable RedisConnectionFactory> connectionFactory;

	private final RedisConnections connections;

	private final List<StatefulRedisPubSubConnection<String, String>> subscriptions = new CopyOnWriteArrayList<>();

	private volatile @Nullable RedisClient client;

	private volatile @Nullable String masterName;

	private volatile boolean running;

	/**
	 * Create a new listener.
	 * @param connectionFactory supplies the connection factory, looked up on start
	 * @param connections the registry of every open connection
	 */
	public SentinelMasterSwitchListener(Supplier<@Nullable RedisConnectionFactory> connectionFactory,
			RedisConnections connections) {
		this.connectionFactory = connectionFactory;
		this.connections = connections;
	}

	@Override
	public void start() {
		this.running = true;
		if (!(this.connectionFactory.get() instanceof LettuceConnectionFactory lettuce)) {
			return;
		}
		RedisSentinelConfiguration sentinel = lettuce.getSentinelConfiguration();
		if (sentinel == null || lettuce.getClientResources() == null) {
			return;
		}
		this.masterName = sentinel.getRequiredMaster().getName();
		RedisClient client = RedisClient.create(lettuce.getClientResources());
		// The application's socket and TLS options; reconnects resubscribe
		client.setOptions(ClientOptions
			.copyOf(lettuce.getClientConfiguration().getClientOptions().orElseGet(ClientOptions::create)));
		this.client = client;
		for (RedisNode node : sentinel.getSentinels()) {
			client.connectPubSubAsync(StringCodec.UTF8, uri(lettuce, sentinel, node)).thenAccept((connection) -> {
				connection.addListener(new RedisPubSubAdapter<>() {

					@Override
					public void message(String channel, String message) {
						onMessage(channel, message);
					}

				});
				connection.async().subscribe(CHANNEL);
				this.subscriptions.add(connection);
			}).exceptionally((ex) -> {
				if (logger.isDebugEnabled()) {
					logger.debug("Could not subscribe to " + CHANNEL + " on the sentinel " + node.getHost() + ":"
							+ node.getPort() + " (" + ex.getClass().getSimpleName() + ")");
				}
				return null;
			});
		}
	}

	private static RedisURI uri(LettuceConnectionFactory lettuce, RedisSentinelConfiguration sentinel, RedisNode node) {
		RedisURI.Builder uri = RedisURI.Builder.redis(String.valueOf(node.getHost()), node.getPort())
			.withTimeout(lettuce.getClientConfiguration().getCommandTimeout());
		if (lettuce.isUseSsl()) {
			uri.withSsl(true).withVerifyPeer(lettuce.getClientConfiguration().getVerifyMode());
		}
		if (sentinel.getSentinelPassword().isPresent()) {
			char[] password = sentinel.getSentinelPassword().get();
			String username = sentinel.getSentinelUsername();
			if (username != null) {
				uri.withAuthentication(username, password);
			}
			else {
				uri.withPassword(password);
			}
		}
		return uri.build();
	}

	/**
	 * Handle a message of the sentinels: on {@code +switch-master} for the configured
	 * master ({@code <name> <old host> <old port> <new host> <new port>}), close the
	 * connections to the old master.
	 * @param channel the channel
	 * @param message the message
	 */
	void onMessage(String channel, String message) {
		String[] parts = message.split(" ");
		if (!CHANNEL.equals(channel) || parts.length < 5 || !parts[0].equals(this.masterName)) {
			return;
		}
		int oldPort;
		try {
			oldPort = Integer.parseInt(parts[2]);
		}
		catch (NumberFormatException ex) {
			return;
		}
		int closed = this.connections.closeConnectionsTo(parts[1], oldPort);
		if (closed > 0) {
			logger.warn("Redis Sentinel promoted " + parts[3] + ":" + parts[4] + " to master of '" + parts[0]
					+ "' in place of " + parts[1] + ":" + parts[2] + "; closed " + closed
					+ " connections to the old master so that they reconnect to the new one");
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.subscriptions.forEach(StatefulRedisPubSubConnection::closeAsync);
		this.subscriptions.clear();
		RedisClient client = this.client;
		this.client = null;
		if (client != null) {
			// The client resources are the application's: shutting the client down
			// leaves them running
			client.shutdownAsync();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}

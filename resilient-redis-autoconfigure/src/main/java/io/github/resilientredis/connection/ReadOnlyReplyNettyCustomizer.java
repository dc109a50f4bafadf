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

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * {@link NettyCustomizer} that closes every connection to a server that answered a write
 * with {@code READONLY}, at most once per interval for each server, so that Lettuce
 * reconnects them and resolves the endpoint again.
 * <p>
 * A {@code READONLY} reply means that the server was a primary when the connection was
 * opened and has been demoted to a replica since: behind a cloud primary endpoint whose
 * DNS record moved to the promoted replica, the open connections still reach the old
 * primary, and every write on them fails until they are replaced. Retrying on the same
 * connection never helps. When the endpoint has not moved, the reconnect reaches the
 * replica again; the interval keeps that from becoming a reconnect storm.
 * <p>
 * Only commands that Lettuce does not route as reads are watched, with one completion
 * callback each; reads add nothing. Installed on each connection by
 * {@link RedisConnections}, in the one handler it adds; used alone as a
 * {@link NettyCustomizer}, it keeps a registry of its own.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class ReadOnlyReplyNettyCustomizer implements NettyCustomizer {

	private static final Log logger = LogFactory.getLog(ReadOnlyReplyNettyCustomizer.class);

	/**
	 * Shortest time between two closes of the connections to the same server.
	 */
	public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

	private final long intervalNanos;

	private final RedisConnections.Attachment connections = new RedisConnections.Attachment(
			() -> new RedisConnections(null, null, this));

	private final Map<SocketAddress, Long> lastClosed = new ConcurrentHashMap<>();

	private final AtomicLong closes = new AtomicLong();

	/**
	 * Create a new customizer that closes the connections to a server at most once per
	 * {@link #DEFAULT_INTERVAL}.
	 */
	public ReadOnlyReplyNettyCustomizer() {
		this(DEFAULT_INTERVAL);
	}

	/**
	 * Create a new customizer.
	 * @param interval shortest time between two closes of the connections to the same
	 * server
	 */
	public ReadOnlyReplyNettyCustomizer(Duration interval) {
		Assert.isTrue(!interval.isNegative(), "'interval' must not be negative");
		this.intervalNanos = interval.toNanos();
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		connections().afterChannelInitialized(channel);
	}

	void attach(RedisConnections connections) {
		this.connections.attach(connections);
	}

	private RedisConnections connections() {
		return this.connections.get();
	}

	/**
	 * A write on the given channel was answered with {@code READONLY}.
	 * @param channel the channel
	 */
	void readOnly(Channel channel) {
		SocketAddress server = channel.remoteAddress();
		if (server == null || !isDue(server)) {
			return;
		}
		List<Channel> connections = connections().connectionsTo(server);
		this.closes.incrementAndGet();
		logger.warn("Redis at " + server + " answered a write with READONLY: it was demoted to a replica; closing its "
				+ connections.size() + " connection(s) so that they reconnect and resolve the endpoint again");
		connections.forEach(Channel::close);
	}

	private boolean isDue(SocketAddress server) {
		long now = System.nanoTime();
		Long last = this.lastClosed.get(server);
		if (last != null && now - last < this.intervalNanos) {
			return false;
		}
		// One thread wins for this interval
		return (last != null) ? this.lastClosed.replace(server, last, now)
				: this.lastClosed.putIfAbsent(server, now) == null;
	}

	/**
	 * Return how many times the connections to a server were closed because it answered a
	 * write with {@code READONLY}.
	 * @return the number of closes
	 */
	public long getReadOnlyCloses() {
		return this.closes.get();
	}

}

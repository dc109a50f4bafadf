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

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Asks Lettuce's cluster client to refresh its topology when commands time out, at most
 * once per interval.
 * <p>
 * A master that stops answering without closing its connections (a dead host, a network
 * partition, a frozen process) escapes every adaptive refresh trigger of Lettuce: no
 * {@code MOVED} or {@code ASK} comes back, the connections stay open so no reconnect is
 * attempted, and its slots stay covered. Commands routed to it time out while its replica
 * has long been promoted, until the next periodic refresh. A refresh asked for on a
 * timeout sees the promotion as soon as the other nodes report it. A refresh that runs
 * before the promotion finds the old topology; the timeouts that follow ask again.
 * <p>
 * Does nothing for a client that is not a cluster client.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class ClusterTopologyRefreshOnTimeout {

	private static final Log logger = LogFactory.getLog(ClusterTopologyRefreshOnTimeout.class);

	private final Supplier<@Nullable AbstractRedisClient> client;

	private final long intervalNanos;

	private final AtomicLong lastRefresh;

	private final AtomicLong refreshes = new AtomicLong();

	/**
	 * Create a new trigger.
	 * @param client supplies the Lettuce client in use, {@code null} while there is none
	 * @param interval shortest time between two refreshes; timeouts within it are ignored
	 */
	public ClusterTopologyRefreshOnTimeout(Supplier<@Nullable AbstractRedisClient> client, Duration interval) {
		Assert.notNull(client, "'client' must not be null");
		Assert.isTrue(!interval.isNegative(), "'interval' must not be negative");
		this.client = client;
		this.intervalNanos = interval.toNanos();
		this.lastRefresh = new AtomicLong(System.nanoTime() - this.intervalNanos - 1);
	}

	/**
	 * A command timed out: ask for a topology refresh unless one was asked for within the
	 * interval.
	 */
	public void commandTimedOut() {
		if (!(this.client.get() instanceof RedisClusterClient cluster)) {
			return;
		}
		long now = System.nanoTime();
		long last = this.lastRefresh.get();
		if (now - last <= this.intervalNanos || !this.lastRefresh.compareAndSet(last, now)) {
			return;
		}
		this.refreshes.incrementAndGet();
		if (logger.isDebugEnabled()) {
			logger.debug("Redis cluster commands time out: refreshing the cluster topology, "
					+ "in case a master failed over without closing its connections");
		}
		cluster.refreshPartitionsAsync().whenComplete((done, ex) -> {
			if (ex != null && logger.isDebugEnabled()) {
				logger.debug("Redis cluster topology refresh after a timeout failed (" + ex.getClass().getSimpleName()
						+ "); the next timeout asks again");
			}
		});
	}

	/**
	 * Return how many topology refreshes timeouts have asked for.
	 * @return the number of refreshes
	 */
	public long getRefreshes() {
		return this.refreshes.get();
	}

}

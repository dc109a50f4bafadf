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
import java.util.List;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * The figures of the Redis server an operator looks at first, read from the reply to
 * {@code INFO}, and the advice that follows from them.
 *
 * @author resilient-redis contributors
 */
final class RedisServerStatistics {

	private static final long LOW_HIT_RATE_MIN_LOOKUPS = 1000;

	private final Properties info;

	RedisServerStatistics(Properties info) {
		this.info = info;
	}

	RedisServerDescriptor describe() {
		long hits = longValue("keyspace_hits");
		long misses = longValue("keyspace_misses");
		return new RedisServerDescriptor(text("redis_version"), text("redis_mode"), text("role"),
				number("uptime_in_seconds"), number("connected_clients"), number("blocked_clients"),
				number("rejected_connections"), text("used_memory_human"), number("maxmemory"), text("maxmemory_human"),
				text("maxmemory_policy"), number("total_commands_processed"), number("instantaneous_ops_per_sec"),
				number("keyspace_hits"), number("keyspace_misses"), number("evicted_keys"), number("expired_keys"),
				percent(hits, hits + misses));
	}

	List<String> advisories() {
		List<String> advisories = new ArrayList<>();
		String policy = this.info.getProperty("maxmemory_policy");
		if (this.info.getProperty("maxmemory") != null && longValue("maxmemory") == 0) {
			advisories.add("Redis has no maxmemory: cached data grows until the host runs out of memory. "
					+ "Set maxmemory and an allkeys-lru or allkeys-lfu maxmemory-policy for a cache.");
		}
		else if ("noeviction".equals(policy)) {
			advisories.add("maxmemory-policy is noeviction: once memory is full every cache write fails with OOM "
					+ "instead of evicting old entries. Use allkeys-lru or allkeys-lfu for a cache.");
		}
		else if (policy != null && policy.startsWith("volatile-")) {
			advisories.add("maxmemory-policy is " + policy + ": only keys with a time to live are evicted; "
					+ "cache entries without spring.cache.redis.time-to-live can fill memory.");
		}
		if (longValue("rejected_connections") > 0) {
			advisories.add("Redis rejected " + longValue("rejected_connections")
					+ " connections because maxclients was reached: lower spring.data.redis.lettuce.pool.max-active "
					+ "across instances or raise maxclients.");
		}
		if (longValue("evicted_keys") > 0) {
			advisories.add("Redis evicted " + longValue("evicted_keys")
					+ " keys to stay under maxmemory: a hit rate that drops with it calls for more memory.");
		}
		long hits = longValue("keyspace_hits");
		long lookups = hits + longValue("keyspace_misses");
		if (lookups >= LOW_HIT_RATE_MIN_LOOKUPS && hits * 2 < lookups) {
			advisories.add("The keyspace hit rate is " + percent(hits, lookups)
					+ "%: most reads miss; check cache keys and time to live.");
		}
		String role = this.info.getProperty("role");
		if ("slave".equals(role) || "replica".equals(role)) {
			advisories.add("The application is connected to a replica: writes fail with READONLY. "
					+ "Point it at the primary or use Sentinel.");
		}
		return advisories;
	}

	private long longValue(String field) {
		try {
			return Long.parseLong(this.info.getProperty(field, "0").trim());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private @Nullable String text(String field) {
		return this.info.getProperty(field);
	}

	private @Nullable Long number(String field) {
		String value = this.info.getProperty(field);
		try {
			return (value != null) ? Long.valueOf(value.trim()) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	static @Nullable Double percent(long part, long total) {
		return (total > 0) ? Math.round(part * 10_000.0 / total) / 100.0 : null;
	}

}

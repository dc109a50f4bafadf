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

import io.lettuce.core.ReadFrom;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Checks at startup that the near cache can be trusted with the configured Redis: its
 * tracking connection sees every write only on a standalone server or the master a
 * Sentinel names, and reads must go to that same server.
 *
 * @author resilient-redis contributors
 */
final class NearCacheTopology {

	private static final String PROPERTY = "resilient.redis.cache.near.enabled";

	private NearCacheTopology() {
	}

	/**
	 * Return the Lettuce connection factory of a topology the near cache supports.
	 * @param connectionFactory the connection factory
	 * @return the Lettuce connection factory
	 * @throws InvalidRedisConfigurationException naming the property otherwise
	 */
	static LettuceConnectionFactory requireSupported(RedisConnectionFactory connectionFactory) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw unsupported("needs Spring Boot's Lettuce connection factory (Jedis is not supported)");
		}
		if (lettuce.isClusterAware()) {
			throw unsupported("is not supported with Redis Cluster yet");
		}
		ReadFrom readFrom = lettuce.getClientConfiguration().getReadFrom().orElse(null);
		if (readFrom != null && readFrom != ReadFrom.UPSTREAM && readFrom != ReadFrom.valueOf("master")) {
			throw unsupported("needs reads from the master: a replica may answer with a value older than an "
					+ "invalidation already received (spring.data.redis.lettuce.read-from)");
		}
		return lettuce;
	}

	private static InvalidRedisConfigurationException unsupported(String reason) {
		return new InvalidRedisConfigurationException(PROPERTY, reason, PROPERTY + "=false",
				"Set " + PROPERTY + "=false, or connect to a standalone Redis or a Sentinel-managed master "
						+ "and read from the master.");
	}

}

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

package io.github.resilientredis.sample.status;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The outcome of a {@code PING} of Redis, sent outside the circuit breaker so that the
 * status page shows the server and the breaker separately.
 *
 * @param up whether Redis answered
 * @param pingMillis how long it took, or {@code null}
 * @param error the kind of failure, or {@code null}
 * @author resilient-redis contributors
 */
record RedisProbe(boolean up, @Nullable Double pingMillis, @Nullable String error) {

	static RedisProbe ping(StringRedisTemplate redis) {
		long start = System.nanoTime();
		try {
			redis.execute(RedisConnection::ping);
			return new RedisProbe(true, (System.nanoTime() - start) / 1_000_000.0, null);
		}
		catch (RuntimeException ex) {
			return new RedisProbe(false, null, ex.getClass().getSimpleName());
		}
	}

}

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

package io.github.resilientredis.cache;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.resilientredis.execution.RedisErrorCategory;
import io.github.resilientredis.execution.RedisErrorClassifier;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;

/**
 * The call that tells {@link CacheRecovery} whether Redis can take the cache's writes
 * again: a {@code PING} and, except for a cluster (whose client routes writes to the
 * masters itself), {@code ROLE}, which must answer {@code master}. A demoted primary
 * behind a stable endpoint answers the {@code PING} but refuses every write with
 * {@code READONLY}; closing the breaker against it would only open it again.
 * <p>
 * {@code ROLE} is sent the way Lettuce routes writes, so with a read-from setting it
 * reaches the primary, not a replica. Where it cannot tell (a user that may not run
 * {@code ROLE}, a proxy that does not know it, a connection that is not Lettuce's), the
 * {@code PING} decides alone, as before.
 *
 * @author resilient-redis contributors
 */
final class CacheRecoveryProbe {

	private static final String MASTER = "master";

	private final RedisErrorClassifier classifier;

	CacheRecoveryProbe(RedisErrorClassifier classifier) {
		this.classifier = classifier;
	}

	/**
	 * Probe Redis on the given connection.
	 * @param connection the connection
	 * @return the reply to the {@code PING}
	 * @throws RedisReadOnlyException if the server is a replica
	 */
	String probe(RedisConnection connection) {
		String pong = connection.ping();
		if (connection instanceof RedisClusterConnection || !(connection instanceof LettuceConnection lettuce)) {
			return pong;
		}
		@Nullable Object reply;
		try {
			reply = lettuce.execute("ROLE", new ArrayOutput<>(ByteArrayCodec.INSTANCE));
		}
		catch (RuntimeException ex) {
			if (this.classifier.classify(ex) == RedisErrorCategory.TRANSIENT) {
				throw ex;
			}
			// NOPERM, or an unknown command behind a proxy: the PING is all there is
			return pong;
		}
		String role = role(reply);
		if (role != null && !MASTER.equals(role)) {
			throw new RedisReadOnlyException("READONLY the server answers ROLE with '" + role
					+ "': it is not a primary and would refuse the cache's writes");
		}
		return pong;
	}

	private static @Nullable String role(@Nullable Object reply) {
		if (reply instanceof List<?> elements && !elements.isEmpty()) {
			Object first = elements.get(0);
			if (first instanceof byte[] bytes) {
				return new String(bytes, StandardCharsets.US_ASCII);
			}
			if (first instanceof String text) {
				return text;
			}
		}
		return null;
	}

}

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), sent whole ({@code EVAL}) only when
 * the server has not cached it yet (a restart, a failover, another cluster node): the
 * script's text crosses the network and is hashed by Redis once per server, not at every
 * call.
 *
 * @param source the script's text
 * @param sha its SHA-1, in hex
 * @author resilient-redis contributors
 */
record LuaScript(byte[] source, String sha) {

	LuaScript(String source) {
		this(source.getBytes(StandardCharsets.UTF_8), sha1(source));
	}

	/**
	 * Run the script.
	 * @param <T> the reply type
	 * @param connectionFactory where to run it
	 * @param type the reply type
	 * @param numKeys how many of the arguments are keys
	 * @param keysAndArgs the keys, then the arguments
	 * @return the reply
	 */
	<T> T eval(RedisConnectionFactory connectionFactory, ReturnType type, int numKeys, byte[]... keysAndArgs) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			try {
				return connection.scriptingCommands().evalSha(this.sha, type, numKeys, keysAndArgs);
			}
			catch (RuntimeException ex) {
				String message = NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
				if (message == null || !message.contains("NOSCRIPT")) {
					throw ex;
				}
				return connection.scriptingCommands().eval(this.source, type, numKeys, keysAndArgs);
			}
		}
	}

	private static String sha1(String source) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

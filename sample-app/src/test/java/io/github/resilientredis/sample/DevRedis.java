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

package io.github.resilientredis.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import io.github.resilientredis.test.RedisServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A Redis for development: a container where Docker is reachable, else
 * {@code redis-server} from the {@code PATH} (both through the project's
 * {@link RedisServer}), else the Redis binary shipped in the
 * {@code com.github.codemonstur:embedded-redis} jar. When none starts, one log line says
 * so and the application runs on its local fallback.
 *
 * @author resilient-redis contributors
 */
final class DevRedis implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(DevRedis.class);

	private static final String FALLBACK_HOST = "localhost";

	private static final int FALLBACK_PORT = 6379;

	private final @Nullable RedisServer server;

	private final redis.embedded.@Nullable RedisServer embedded;

	private final String description;

	private DevRedis(@Nullable RedisServer server, redis.embedded.@Nullable RedisServer embedded, String description) {
		this.server = server;
		this.embedded = embedded;
		this.description = description;
	}

	static DevRedis launch() {
		return launch(!"embedded".equals(System.getProperty("sample.dev-redis")));
	}

	/**
	 * Start a Redis for development.
	 * @param tryRedisServer whether to try a container or {@code redis-server} before the
	 * embedded binary
	 * @return the Redis, which may be none
	 */
	static DevRedis launch(boolean tryRedisServer) {
		List<String> failures = new ArrayList<>();
		if (tryRedisServer) {
			try {
				RedisServer server = RedisServer.start();
				return started(new DevRedis(server, null, server.toString()));
			}
			catch (RuntimeException ex) {
				failures.add("Docker or redis-server: " + ex.getMessage());
			}
		}
		try {
			int port = freePort();
			redis.embedded.RedisServer embedded = redis.embedded.RedisServer.newRedisServer()
				.bind("127.0.0.1")
				.port(port)
				.setting("save \"\"")
				.setting("appendonly no")
				.build();
			embedded.start();
			return started(new DevRedis(null, embedded, "embedded-redis 127.0.0.1:" + port));
		}
		catch (IOException | RuntimeException ex) {
			failures.add("embedded-redis: " + ex.getMessage());
		}
		logger.warn("Could not start a Redis for development (" + String.join("; ", failures)
				+ "): the sample app runs on its local fallback until Redis answers at " + FALLBACK_HOST + ":"
				+ FALLBACK_PORT + "; set REDIS_URL to use another Redis");
		return new DevRedis(null, null, "none");
	}

	private static DevRedis started(DevRedis devRedis) {
		logger.info("Started a Redis for development (" + devRedis.description + "); POST /dev/redis/stop and "
				+ "/dev/redis/start, or the buttons on the status page, stop and start it");
		return devRedis;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	String host() {
		if (this.server != null) {
			return this.server.host();
		}
		return (this.embedded != null) ? "127.0.0.1" : FALLBACK_HOST;
	}

	int port() {
		if (this.server != null) {
			return this.server.port();
		}
		return (this.embedded != null) ? this.embedded.ports().get(0) : FALLBACK_PORT;
	}

	boolean isControllable() {
		return this.server != null || this.embedded != null;
	}

	String description() {
		return this.description;
	}

	synchronized void stop() {
		if (this.server != null) {
			this.server.kill();
		}
		else if (this.embedded != null) {
			try {
				this.embedded.stop();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	synchronized void start() {
		if (this.server != null) {
			this.server.restart();
		}
		else if (this.embedded != null) {
			try {
				this.embedded.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	@Override
	public synchronized void close() throws IOException {
		if (this.server != null) {
			this.server.close();
		}
		else if (this.embedded != null && this.embedded.isActive()) {
			this.embedded.stop();
		}
	}

}

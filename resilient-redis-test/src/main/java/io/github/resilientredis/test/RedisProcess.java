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

package io.github.resilientredis.test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * A Redis server process managed by a backend: a local {@code redis-server} or a
 * container.
 *
 * @author resilient-redis contributors
 */
interface RedisProcess {

	/**
	 * How long a server may take to answer its first PING.
	 */
	Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

	/**
	 * Return the host clients connect to.
	 * @return the host
	 */
	String host();

	/**
	 * Return the port clients connect to; stable across restarts.
	 * @return the port
	 */
	int port();

	/**
	 * Start the server, on the port of the previous start if any, and return once it
	 * answers PING.
	 * @param launch the settings
	 */
	void start(Launch launch);

	/**
	 * Suspend the server process.
	 */
	void freeze();

	/**
	 * Resume the server process.
	 */
	void thaw();

	/**
	 * Kill the server process at once and wait until it is gone.
	 */
	void kill();

	/**
	 * Return whether the server process runs.
	 * @return whether the server is alive
	 */
	boolean isAlive();

	/**
	 * Open an unauthenticated control connection, which must not be affected by network
	 * faults where the backend can avoid it.
	 * @param timeout the deadline of each command
	 * @return the connection
	 * @throws IOException if the server cannot be reached
	 */
	RespConnection connect(Duration timeout) throws IOException;

	/**
	 * Return the end of the server log, to explain a failure.
	 * @return the last lines of the log
	 */
	String logTail();

	/**
	 * Return the network namespace the server runs in, if any.
	 * @return the namespace or {@code null}
	 */
	default @Nullable NetworkNamespace network() {
		return null;
	}

	/**
	 * Stop the server and release everything it holds.
	 */
	void close();

	/**
	 * Wait until the server answers PING as the control user.
	 * @param controlPassword the password of the control user
	 * @throws IllegalStateException with the end of the log if the server exits or does
	 * not answer in time
	 */
	default void awaitReady(String controlPassword) {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		Exception lastFailure = null;
		while (System.nanoTime() - deadline < 0) {
			if (!isAlive()) {
				throw new IllegalStateException("Redis exited during startup. End of its log:\n" + logTail(),
						lastFailure);
			}
			try (RespConnection connection = connect(Duration.ofSeconds(2))) {
				connection.command("AUTH", RedisConfigFile.CONTROL_USER, controlPassword);
				if ("PONG".equals(connection.command("PING"))) {
					return;
				}
			}
			catch (IOException | RuntimeException ex) {
				lastFailure = ex;
			}
			// Polling interval while the server starts, not a guess at readiness
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
		}
		throw new IllegalStateException(
				"Redis did not answer PING within " + STARTUP_TIMEOUT.toSeconds() + "s. End of its log:\n" + logTail(),
				lastFailure);
	}

}

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
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The connection a {@link RedisServer} is controlled over, authenticated as the dedicated
 * ACL user, so that test control depends neither on the client under test nor on the
 * users and passwords the test configures. Opened on first use, and again once if the
 * server closed it while idle.
 *
 * @author resilient-redis contributors
 */
final class ControlConnection implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final RedisProcess process;

	private final String password;

	private @Nullable RespConnection connection;

	ControlConnection(RedisProcess process, String password) {
		this.process = process;
		this.password = password;
	}

	/**
	 * Run a command and return its reply as text: simple and bulk strings as they are,
	 * integers in decimal, arrays one element per line.
	 * @param command the command and its arguments
	 * @return the reply, or {@code null} for a nil reply
	 */
	@Nullable String execute(String... command) {
		return toText(command(command));
	}

	private static @Nullable String toText(@Nullable Object reply) {
		if (reply instanceof List<?> elements) {
			List<String> lines = new ArrayList<>();
			elements.forEach((element) -> lines.add(String.valueOf(toText(element))));
			return String.join("\n", lines);
		}
		return (reply != null) ? reply.toString() : null;
	}

	/**
	 * Run a command and return its reply as {@link RespConnection#command} does.
	 * @param command the command and its arguments
	 * @return the reply
	 */
	synchronized @Nullable Object command(String... command) {
		RespConnection current = this.connection;
		boolean reused = current != null;
		if (current == null) {
			current = open(TIMEOUT);
			this.connection = current;
		}
		try {
			return current.command(command);
		}
		catch (RespConnection.RedisErrorReplyException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			close();
			if (reused && this.process.isAlive()) {
				// The server closed an idle control connection, as Sentinel does to
				// every client of a replica it promotes: try once on a new one
				return command(command);
			}
			throw ex;
		}
	}

	/**
	 * Open another connection authenticated as the control user, for a command that
	 * blocks the server ({@code DEBUG SLEEP}, {@code DEBUG RELOAD}) or a probe.
	 * @param timeout the deadline of the connection and of each command
	 * @return the connection, for the caller to close
	 */
	RespConnection open(Duration timeout) {
		RespConnection opened;
		try {
			opened = this.process.connect(timeout);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not open a control connection to Redis; is it running?", ex);
		}
		try {
			opened.command("AUTH", RedisConfigFile.CONTROL_USER, this.password);
			return opened;
		}
		catch (RuntimeException ex) {
			opened.close();
			throw ex;
		}
	}

	/**
	 * Close the connection; the next command opens a new one.
	 */
	@Override
	public synchronized void close() {
		RespConnection current = this.connection;
		this.connection = null;
		if (current != null) {
			current.close();
		}
	}

}

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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLContext;

/**
 * Plain socket a test talks RESP over, with a read timeout, to observe faults the way a
 * client does.
 *
 * @author resilient-redis contributors
 */
final class RawConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RawConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
		this.out = socket.getOutputStream();
	}

	static RawConnection open(RedisServer server, Duration readTimeout) throws IOException {
		return open(server, readTimeout, null);
	}

	static RawConnection open(RedisServer server, Duration readTimeout, SSLContext sslContext) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(server.host(), server.port()), (int) readTimeout.toMillis());
			socket.setSoTimeout((int) readTimeout.toMillis());
			if (sslContext != null) {
				socket = sslContext.getSocketFactory().createSocket(socket, server.host(), server.port(), true);
			}
			return new RawConnection(socket);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Send an inline command and return the first line of the reply.
	 * @param command the command, for example {@code "PING"}
	 * @return the first line of the reply, for example {@code "+PONG"}
	 * @throws IOException on a timeout or a closed connection
	 */
	String command(String command) throws IOException {
		this.out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
		this.out.flush();
		return readLine();
	}

	String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		while (true) {
			int next = this.in.read();
			if (next == -1) {
				throw new IOException("Connection closed by Redis");
			}
			if (next == '\n') {
				return line.toString().stripTrailing();
			}
			line.append((char) next);
		}
	}

	int read() throws IOException {
		return this.in.read();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}

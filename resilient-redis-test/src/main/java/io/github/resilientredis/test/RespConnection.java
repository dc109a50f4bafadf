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

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

/**
 * Minimal RESP2 client used to control a test server, so that test control does not
 * depend on the Redis client under test. Every command has a deadline: a frozen or
 * partitioned server makes the command fail instead of hanging the test.
 *
 * @author resilient-redis contributors
 */
final class RespConnection implements Closeable {

	private static final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "resilient-redis-test-watchdog");
		thread.setDaemon(true);
		return thread;
	});

	private final Closeable resource;

	private final InputStream in;

	private final OutputStream out;

	private final Duration timeout;

	private volatile boolean timedOut;

	private RespConnection(Closeable resource, InputStream in, OutputStream out, Duration timeout) {
		this.resource = resource;
		this.in = new BufferedInputStream(in);
		this.out = new BufferedOutputStream(out);
		this.timeout = timeout;
	}

	/**
	 * Connect to a Unix domain socket.
	 * @param socket the socket file
	 * @param timeout the deadline of each command
	 * @return the connection
	 * @throws IOException if the connection fails
	 */
	static RespConnection unix(Path socket, Duration timeout) throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			channel.connect(UnixDomainSocketAddress.of(socket));
			return new RespConnection(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel),
					timeout);
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
	}

	/**
	 * Connect over TCP, optionally with TLS.
	 * @param host the host
	 * @param port the port
	 * @param sslContext the TLS context, or {@code null} for plain TCP
	 * @param timeout the deadline of the connection and of each command
	 * @return the connection
	 * @throws IOException if the connection fails
	 */
	static RespConnection tcp(String host, int port, @Nullable SSLContext sslContext, Duration timeout)
			throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
			if (sslContext != null) {
				socket = sslContext.getSocketFactory().createSocket(socket, host, port, true);
			}
			return new RespConnection(socket, socket.getInputStream(), socket.getOutputStream(), timeout);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Send a command and wait for its reply.
	 * @param command the command and its arguments
	 * @return the reply: a {@link String}, a {@link Long}, a {@link List} or {@code null}
	 * @throws RedisErrorReplyException if Redis replies with an error
	 * @throws IllegalStateException if Redis does not answer in time
	 */
	@Nullable Object command(String... command) {
		ScheduledFuture<?> deadline = watchdog.schedule(this::expire, this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		try {
			send(command);
			return read();
		}
		catch (IOException ex) {
			if (this.timedOut) {
				throw new IllegalStateException("Redis did not answer " + command[0] + " within "
						+ this.timeout.toMillis() + "ms; it may be frozen, sleeping or partitioned");
			}
			throw new UncheckedIOException("Redis connection failed during " + command[0], ex);
		}
		finally {
			deadline.cancel(false);
		}
	}

	/**
	 * Send a command without waiting for its reply.
	 * @param command the command and its arguments
	 * @throws IOException if writing fails
	 */
	void send(String... command) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		buffer.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
		for (String argument : command) {
			byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
			buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
			buffer.writeBytes(bytes);
			buffer.writeBytes(new byte[] { '\r', '\n' });
		}
		this.out.write(buffer.toByteArray());
		this.out.flush();
	}

	/**
	 * Read one reply, without a deadline.
	 * @return the reply
	 * @throws IOException if reading fails
	 */
	@Nullable Object read() throws IOException {
		int type = this.in.read();
		if (type == -1) {
			throw new EOFException("Redis closed the connection");
		}
		String line = readLine();
		switch (type) {
			case '+':
				return line;
			case '-':
				throw new RedisErrorReplyException(line);
			case ':':
				return Long.parseLong(line);
			case '$':
				int length = Integer.parseInt(line);
				if (length < 0) {
					return null;
				}
				byte[] bytes = this.in.readNBytes(length + 2);
				if (bytes.length < length + 2) {
					throw new EOFException("Redis closed the connection");
				}
				return new String(bytes, 0, length, StandardCharsets.UTF_8);
			case '*':
				int count = Integer.parseInt(line);
				if (count < 0) {
					return null;
				}
				List<@Nullable Object> elements = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					elements.add(read());
				}
				return elements;
			default:
				throw new IOException("Unexpected RESP type '" + (char) type + "'");
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int next = this.in.read();
			if (next == -1) {
				throw new EOFException("Redis closed the connection");
			}
			if (previous == '\r' && next == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(next);
			previous = next;
		}
	}

	private void expire() {
		this.timedOut = true;
		close();
	}

	@Override
	public void close() {
		try {
			this.resource.close();
		}
		catch (IOException ex) {
			// Closing a broken connection is not a failure of the test
		}
	}

	/**
	 * Error reply from Redis, such as {@code NOAUTH} or {@code ERR}.
	 */
	static final class RedisErrorReplyException extends IllegalStateException {

		RedisErrorReplyException(String message) {
			super(message);
		}

	}

}

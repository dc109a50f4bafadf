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
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.springframework.util.Assert;

/**
 * A TCP proxy in front of a Redis server, on a free loopback port, that injects network
 * faults no {@code redis-server} fault can: latency in either direction, a bandwidth
 * limit, a reset of every connection (RST), and a blackhole that stops forwarding while
 * the sockets stay open. Clients connect to {@link #host()}:{@link #port()} instead of
 * the server: <pre class="code">
 * try (RedisServer redis = RedisServer.start(); FaultProxy proxy = FaultProxy.to(redis)) {
 *     contextRunner.withPropertyValues(proxy.springProperties(redis)).run((context) -&gt; {
 *         proxy.latency(FaultProxy.Direction.DOWNSTREAM, Duration.ofMillis(200));
 *         proxy.resetAll();
 *         proxy.heal();
 *     });
 * }
 * </pre>
 * <p>
 * Each connection is forwarded by four threads: one reads and one writes in each
 * direction, so that a latency delays every chunk by the same time without limiting the
 * throughput. What is read during a blackhole is held, and delivered on {@link #heal()},
 * as TCP retransmits once a partition ends. Not for TLS servers' certificates naming
 * another host: the proxy forwards bytes and does not terminate TLS.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class FaultProxy implements AutoCloseable {

	private static final int CHUNK = 16 * 1024;

	private final InetSocketAddress target;

	private final ServerSocket listener;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final Object gate = new Object();

	private volatile long upstreamLatency;

	private volatile long downstreamLatency;

	private volatile long bytesPerSecond;

	private volatile boolean blackholed;

	private volatile boolean closed;

	private FaultProxy(String host, int port) {
		this.target = new InetSocketAddress(host, port);
		try {
			this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not listen on a loopback port", ex);
		}
		Thread acceptor = new Thread(this::accept, "fault-proxy-accept-" + this.listener.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy to the given address.
	 * @param host the host of the server
	 * @param port the port of the server
	 * @return the running proxy
	 */
	public static FaultProxy to(String host, int port) {
		Assert.hasText(host, "A host is required");
		return new FaultProxy(host, port);
	}

	/**
	 * Start a proxy to the given server.
	 * @param server the server
	 * @return the running proxy
	 */
	public static FaultProxy to(RedisServer server) {
		return to(server.host(), server.port());
	}

	/**
	 * Return the host clients connect to.
	 * @return the loopback address
	 */
	public String host() {
		return this.listener.getInetAddress().getHostAddress();
	}

	/**
	 * Return the port clients connect to.
	 * @return the port
	 */
	public int port() {
		return this.listener.getLocalPort();
	}

	/**
	 * Return the server's {@link RedisServer#springProperties()} with the host and port
	 * of this proxy.
	 * @param server the server behind this proxy
	 * @return the properties, as {@code name=value}
	 */
	public String[] springProperties(RedisServer server) {
		String[] properties = server.springProperties();
		return Arrays.stream(properties).map((property) -> {
			if (property.startsWith("spring.data.redis.host=")) {
				return "spring.data.redis.host=" + host();
			}
			if (property.startsWith("spring.data.redis.port=")) {
				return "spring.data.redis.port=" + port();
			}
			return property;
		}).toArray(String[]::new);
	}

	/**
	 * Delay every byte in both directions by the given time.
	 * @param latency the latency, zero for none
	 * @return this proxy
	 */
	public FaultProxy latency(Duration latency) {
		return latency(Direction.UPSTREAM, latency).latency(Direction.DOWNSTREAM, latency);
	}

	/**
	 * Delay every byte in one direction by the given time, from now on.
	 * @param direction the direction
	 * @param latency the latency, zero for none
	 * @return this proxy
	 */
	public FaultProxy latency(Direction direction, Duration latency) {
		Assert.isTrue(latency != null && !latency.isNegative(), "The latency must not be negative");
		if (direction == Direction.UPSTREAM) {
			this.upstreamLatency = latency.toNanos();
		}
		else {
			this.downstreamLatency = latency.toNanos();
		}
		return this;
	}

	/**
	 * Limit the throughput of each connection in each direction.
	 * @param bytesPerSecond the limit in bytes per second, zero for none
	 * @return this proxy
	 */
	public FaultProxy bandwidth(long bytesPerSecond) {
		Assert.isTrue(bytesPerSecond >= 0, "The bandwidth must not be negative");
		this.bytesPerSecond = bytesPerSecond;
		return this;
	}

	/**
	 * Stop forwarding in both directions, keeping every socket open and accepting new
	 * connections, as a silent partition does; what is read meanwhile is held until
	 * {@link #heal()}.
	 */
	public void blackhole() {
		this.blackholed = true;
	}

	/**
	 * Reset every open connection: the client and the server each receive a TCP RST. New
	 * connections are accepted as before.
	 * @return the number of connections reset
	 */
	public int resetAll() {
		int reset = 0;
		for (Link link : this.links) {
			link.close(true);
			reset++;
		}
		return reset;
	}

	/**
	 * End every fault: no latency, no bandwidth limit, and forwarding again after a
	 * {@link #blackhole()}, starting with what was held.
	 */
	public void heal() {
		this.upstreamLatency = 0;
		this.downstreamLatency = 0;
		this.bytesPerSecond = 0;
		synchronized (this.gate) {
			this.blackholed = false;
			this.gate.notifyAll();
		}
	}

	/**
	 * Return the number of connections open through this proxy.
	 * @return the number of connections
	 */
	public int connections() {
		return this.links.size();
	}

	private void accept() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.listener.accept();
			}
			catch (IOException ex) {
				return;
			}
			Socket server = new Socket();
			try {
				client.setTcpNoDelay(true);
				server.setTcpNoDelay(true);
				server.connect(this.target, 2000);
			}
			catch (IOException ex) {
				// The server refuses: so does the proxy
				reset(client);
				reset(server);
				continue;
			}
			Link link = new Link(client, server);
			this.links.add(link);
			link.start();
		}
	}

	private static void reset(Socket socket) {
		try {
			if (!socket.isClosed() && socket.isConnected()) {
				socket.setSoLinger(true, 0);
			}
			socket.close();
		}
		catch (IOException ex) {
			// Already gone
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already gone
		}
	}

	private static void awaitDue(long due) {
		long wait;
		while ((wait = due - System.nanoTime()) > 0) {
			LockSupport.parkNanos(wait);
		}
	}

	private void awaitForwarding() throws InterruptedException {
		synchronized (this.gate) {
			while (this.blackholed && !this.closed) {
				this.gate.wait();
			}
		}
	}

	/**
	 * Stop the proxy and close every connection.
	 */
	@Override
	public void close() {
		this.closed = true;
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// Nothing to release
		}
		this.links.forEach((link) -> link.close(false));
		heal();
	}

	@Override
	public String toString() {
		return "FaultProxy[" + host() + ":" + port() + " -> " + this.target.getHostString() + ":"
				+ this.target.getPort() + "]";
	}

	/**
	 * The direction of the bytes a fault applies to.
	 */
	public enum Direction {

		/**
		 * From the client to the server: commands.
		 */
		UPSTREAM,

		/**
		 * From the server to the client: replies and pushes.
		 */
		DOWNSTREAM

	}

	private final class Link {

		private final Socket client;

		private final Socket server;

		private final AtomicInteger ended = new AtomicInteger();

		private volatile boolean closed;

		Link(Socket client, Socket server) {
			this.client = client;
			this.server = server;
		}

		void start() {
			pipe(this.client, this.server, Direction.UPSTREAM);
			pipe(this.server, this.client, Direction.DOWNSTREAM);
		}

		private void pipe(Socket from, Socket to, Direction direction) {
			BlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
			String name = "fault-proxy-" + from.getPort() + "-" + direction.name().toLowerCase(Locale.ROOT);
			Thread reader = new Thread(() -> read(from, chunks, direction), name + "-read");
			Thread writer = new Thread(() -> write(to, chunks), name + "-write");
			reader.setDaemon(true);
			writer.setDaemon(true);
			reader.start();
			writer.start();
		}

		private void read(Socket from, BlockingQueue<Chunk> chunks, Direction direction) {
			try {
				InputStream in = from.getInputStream();
				byte[] buffer = new byte[CHUNK];
				int read;
				while ((read = in.read(buffer)) != -1) {
					long latency = (direction == Direction.UPSTREAM) ? FaultProxy.this.upstreamLatency
							: FaultProxy.this.downstreamLatency;
					chunks.add(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime() + latency));
				}
				chunks.add(Chunk.END);
			}
			catch (IOException ex) {
				// A reset or a closed socket: reset the other side too
				close(true);
				chunks.add(Chunk.END);
			}
		}

		private void write(Socket to, BlockingQueue<Chunk> chunks) {
			long nextSlot = System.nanoTime();
			try {
				OutputStream out = to.getOutputStream();
				while (!this.closed) {
					Chunk chunk = chunks.take();
					if (chunk == Chunk.END) {
						end(to);
						return;
					}
					awaitDue(chunk.due());
					awaitForwarding();
					long rate = FaultProxy.this.bytesPerSecond;
					if (rate > 0) {
						nextSlot = Math.max(nextSlot, System.nanoTime());
						awaitDue(nextSlot);
						nextSlot += chunk.bytes().length * TimeUnit.SECONDS.toNanos(1) / rate;
					}
					out.write(chunk.bytes());
					out.flush();
				}
			}
			catch (IOException ex) {
				close(true);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private void end(Socket to) throws IOException {
			if (!to.isClosed()) {
				to.shutdownOutput();
			}
			if (this.ended.incrementAndGet() == 2) {
				close(false);
			}
		}

		void close(boolean reset) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			FaultProxy.this.links.remove(this);
			if (reset) {
				reset(this.client);
				reset(this.server);
			}
			else {
				closeQuietly(this.client);
				closeQuietly(this.server);
			}
		}

	}

	private record Chunk(byte[] bytes, long due) {

		static final Chunk END = new Chunk(new byte[0], 0);

	}

}

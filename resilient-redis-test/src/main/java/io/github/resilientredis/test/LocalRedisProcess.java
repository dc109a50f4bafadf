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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * {@code redis-server} run from the {@code PATH}, with its configuration, log and data in
 * a temporary directory. Test control goes through a Unix domain socket, so it keeps
 * working while the TCP network is partitioned. With an isolated network the server runs
 * in its own network namespace and binds the namespace address.
 *
 * @author resilient-redis contributors
 */
final class LocalRedisProcess implements RedisProcess {

	private static final int NAMESPACE_PORT = 6379;

	private static final int START_ATTEMPTS = 5;

	private final Path directory;

	private final @Nullable NetworkNamespace network;

	private int port;

	private @Nullable Process process;

	private long pid;

	LocalRedisProcess(Path directory, boolean isolatedNetwork) {
		this.directory = directory;
		this.network = isolatedNetwork ? NetworkNamespace.create() : null;
		// A namespace of our own has every port free
		this.port = (this.network != null) ? NAMESPACE_PORT : 0;
	}

	@Override
	public String host() {
		return (this.network != null) ? this.network.namespaceAddress() : "127.0.0.1";
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public @Nullable NetworkNamespace network() {
		return this.network;
	}

	@Override
	public synchronized void start(Launch launch) {
		boolean choosePort = this.port == 0;
		for (int attempt = 1;; attempt++) {
			if (choosePort) {
				this.port = freePort();
			}
			launch(launch);
			try {
				awaitReady(launch.controlPassword());
				this.pid = readPid();
				return;
			}
			catch (IllegalStateException ex) {
				kill();
				// Another process may take the port between choosing and binding it
				if (choosePort && attempt < START_ATTEMPTS && logTail().contains("Address already in use")) {
					continue;
				}
				throw ex;
			}
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port", ex);
		}
	}

	private void launch(Launch launch) {
		try {
			Path data = this.directory.resolve("data");
			if (!launch.settings().keepsData()) {
				deleteRecursively(data);
			}
			Files.createDirectories(data);
			Files.deleteIfExists(this.directory.resolve("redis.log"));
			Files.deleteIfExists(this.directory.resolve("redis.pid"));
			Map<String, String> directives = new LinkedHashMap<>();
			directives.put("dir", RedisConfigFile.quote(data.toString()));
			directives.put("logfile", RedisConfigFile.quote(this.directory.resolve("redis.log").toString()));
			directives.put("pidfile", RedisConfigFile.quote(this.directory.resolve("redis.pid").toString()));
			directives.put("unixsocket", RedisConfigFile.quote(socket().toString()));
			directives.put("unixsocketperm", "700");
			Path config = this.directory.resolve("redis.conf");
			Files.writeString(config, RedisConfigFile.render(launch, host(), this.port, null, directives));
			List<String> command = new ArrayList<>();
			if (this.network != null) {
				command.addAll(this.network.command("redis-server", config.toString()));
			}
			else {
				command.addAll(List.of("redis-server", config.toString()));
			}
			if (launch.settings().isSentinel()) {
				command.add("--sentinel");
			}
			Path output = this.directory.resolve("process.log");
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			this.pid = this.process.pid();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start redis-server in " + this.directory, ex);
		}
	}

	private long readPid() {
		try {
			// 'ip netns exec' replaces itself with redis-server, but trust what Redis
			// says
			Path file = this.directory.resolve("redis.pid");
			if (Files.exists(file)) {
				return Long.parseLong(Files.readString(file).strip());
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Fall back to the process we started
		}
		return this.pid;
	}

	private Path socket() {
		return this.directory.resolve("redis.sock");
	}

	@Override
	public synchronized void freeze() {
		signal("STOP");
	}

	@Override
	public synchronized void thaw() {
		signal("CONT");
	}

	private void signal(String signal) {
		if (!isAlive()) {
			throw new IllegalStateException("Redis is not running; cannot send SIG" + signal);
		}
		SystemCommand.run("kill", "-" + signal, String.valueOf(this.pid));
	}

	@Override
	public synchronized void kill() {
		Optional<ProcessHandle> handle = ProcessHandle.of(this.pid);
		if (handle.isPresent() && handle.get().isAlive()) {
			SystemCommand.runQuietly("kill", "-KILL", String.valueOf(this.pid));
			awaitExit(handle.get());
		}
		Process started = this.process;
		if (started != null && started.isAlive()) {
			started.destroyForcibly();
			awaitExit(started.toHandle());
		}
	}

	private void awaitExit(ProcessHandle handle) {
		try {
			handle.onExit().get(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Redis process " + handle.pid() + " did not exit after SIGKILL", ex);
		}
	}

	@Override
	public boolean isAlive() {
		return this.pid != 0 && ProcessHandle.of(this.pid).map(ProcessHandle::isAlive).orElse(false);
	}

	@Override
	public RespConnection connect(Duration timeout) throws IOException {
		return RespConnection.unix(socket(), timeout);
	}

	@Override
	public String logTail() {
		StringBuilder tail = new StringBuilder();
		for (String name : List.of("process.log", "redis.log")) {
			Path file = this.directory.resolve(name);
			try {
				if (Files.exists(file)) {
					List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
					lines.subList(Math.max(0, lines.size() - 20), lines.size())
						.forEach((line) -> tail.append(line).append('\n'));
				}
			}
			catch (IOException ex) {
				tail.append("(could not read ").append(file).append(")\n");
			}
		}
		return tail.toString();
	}

	@Override
	public synchronized void close() {
		try {
			kill();
		}
		finally {
			if (this.network != null) {
				this.network.close();
			}
		}
	}

	static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(path)) {
			for (Path each : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
				Files.deleteIfExists(each);
			}
		}
	}

}

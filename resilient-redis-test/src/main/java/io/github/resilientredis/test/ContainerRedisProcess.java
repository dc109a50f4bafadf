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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Redis in a {@code redis:7.0-alpine} container started with Testcontainers, published on
 * a fixed host port so that a restart keeps the port. Freeze and thaw pause and unpause
 * the container; a restart starts a new container. Silent partitions are not supported.
 * <p>
 * This backend compiles and is kept small, but it is not exercised by this module's
 * tests, which run where no Docker engine is available.
 *
 * @author resilient-redis contributors
 */
final class ContainerRedisProcess implements RedisProcess {

	private static final DockerImageName IMAGE = DockerImageName.parse("redis:7.0-alpine");

	private static final int CONTAINER_PORT = 6379;

	private static final String CONFIG_DIRECTORY = "/usr/local/etc/redis";

	private static @Nullable Boolean dockerAvailable;

	private final Path directory;

	private final int port;

	private @Nullable GenericContainer<?> container;

	private @Nullable Launch launch;

	ContainerRedisProcess(Path directory) {
		this.directory = directory;
		this.port = freePort();
	}

	/**
	 * Return whether a Docker engine is reachable, checking once per JVM.
	 * @return whether Docker is available
	 */
	static synchronized boolean isDockerAvailable() {
		if (dockerAvailable == null) {
			try {
				dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
			}
			catch (Throwable ex) {
				dockerAvailable = false;
			}
		}
		return dockerAvailable;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port", ex);
		}
	}

	@Override
	public String host() {
		GenericContainer<?> current = this.container;
		return (current != null) ? current.getHost() : DockerClientFactory.instance().dockerHostIpAddress();
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public synchronized void start(Launch launch) {
		try {
			Path config = this.directory.resolve("redis.conf");
			Files.writeString(config, RedisConfigFile.render(launch, "* -::*", CONTAINER_PORT, CONFIG_DIRECTORY,
					Map.of("dir", "/data", "logfile", "\"\"")));
			GenericContainer<?> container = new GenericContainer<>(IMAGE)
				.withCopyFileToContainer(MountableFile.forHostPath(config), CONFIG_DIRECTORY + "/redis.conf")
				.withCommand("redis-server", CONFIG_DIRECTORY + "/redis.conf")
				.withCreateContainerCmdModifier((command) -> {
					HostConfig hostConfig = (command.getHostConfig() != null) ? command.getHostConfig()
							: HostConfig.newHostConfig();
					command.withExposedPorts(ExposedPort.tcp(CONTAINER_PORT))
						.withHostConfig(hostConfig.withPortBindings(
								new PortBinding(Ports.Binding.bindPort(this.port), ExposedPort.tcp(CONTAINER_PORT))));
				});
			TlsCertificates tls = launch.tls();
			if (launch.settings().isTls() && tls != null) {
				for (Path file : new Path[] { tls.caCertificate(), tls.serverCertificate(), tls.serverKey() }) {
					container.withCopyFileToContainer(MountableFile.forHostPath(file, 0644),
							CONFIG_DIRECTORY + "/" + file.getFileName());
				}
			}
			this.container = container;
			this.launch = launch;
			container.start();
			awaitReady(launch.controlPassword());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the Redis configuration in " + this.directory, ex);
		}
	}

	@Override
	public void freeze() {
		DockerClientFactory.instance().client().pauseContainerCmd(containerId()).exec();
	}

	@Override
	public void thaw() {
		DockerClientFactory.instance().client().unpauseContainerCmd(containerId()).exec();
	}

	@Override
	public synchronized void kill() {
		GenericContainer<?> current = this.container;
		if (current != null && current.isRunning()) {
			DockerClientFactory.instance().client().killContainerCmd(current.getContainerId()).exec();
		}
		if (current != null) {
			current.stop();
		}
	}

	private String containerId() {
		GenericContainer<?> current = this.container;
		if (current == null || !current.isRunning()) {
			throw new IllegalStateException("The Redis container is not running");
		}
		return current.getContainerId();
	}

	@Override
	public boolean isAlive() {
		GenericContainer<?> current = this.container;
		return current != null && current.isRunning();
	}

	@Override
	public RespConnection connect(Duration timeout) throws IOException {
		Launch current = this.launch;
		TlsCertificates tls = (current != null && current.settings().isTls()) ? current.tls() : null;
		return RespConnection.tcp(host(), this.port, (tls != null) ? tls.sslContext() : null, timeout);
	}

	@Override
	public String logTail() {
		GenericContainer<?> current = this.container;
		if (current == null || current.getContainerId() == null) {
			return "(no container)";
		}
		String logs = current.getLogs();
		return logs.substring(Math.max(0, logs.length() - 4000));
	}

	@Override
	public synchronized void close() {
		GenericContainer<?> current = this.container;
		if (current != null) {
			current.stop();
		}
	}

}

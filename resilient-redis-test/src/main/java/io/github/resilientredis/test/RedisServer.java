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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.Assert;

/**
 * A real Redis server for a test, started on a free port, with faults on demand.
 * <p>
 * Typical use: <pre class="code">
 * try (RedisServer redis = RedisServer.builder().password("secret").start()) {
 *     contextRunner.withPropertyValues(redis.springProperties()).run((context) -&gt; {
 *         redis.freeze();
 *         // assert that the application degrades gracefully
 *         redis.thaw();
 *     });
 * }
 * </pre>
 * <p>
 * By default the server is a local {@code redis-server} from the {@code PATH}; if a
 * Docker engine is reachable, a {@code redis:7.0-alpine} container is used instead unless
 * {@link Builder#backend(Backend)}, the {@code resilient.redis.test.backend} system
 * property or the {@code RESILIENT_REDIS_TEST_BACKEND} environment variable choose
 * otherwise. Fault controls go over a separate control connection authenticated as a
 * dedicated ACL user, so they do not depend on the Redis client under test nor on the
 * users and passwords the test configures.
 * <p>
 * Servers still running when the JVM exits are closed by a shutdown hook.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class RedisServer implements AutoCloseable {

	/**
	 * Name of the SSL bundle that {@link #springProperties()} and
	 * {@link #applyTo(DynamicPropertyRegistry)} define for a TLS server.
	 */
	public static final String SSL_BUNDLE = "resilient-redis-test";

	private static final String BACKEND_PROPERTY = "resilient.redis.test.backend";

	private static final String BACKEND_VARIABLE = "RESILIENT_REDIS_TEST_BACKEND";

	private static final Set<RedisServer> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> running.forEach(RedisServer::close), "resilient-redis-test-shutdown"));
	}

	private final Backend backend;

	private final Path directory;

	private final String controlPassword;

	private final RedisProcess process;

	private volatile Builder settings;

	private volatile @Nullable TlsCertificates tls;

	private final ControlConnection control;

	private final RedisFaults faults;

	private final RedisReplication replication;

	private boolean closed;

	private RedisServer(Builder settings, Backend backend) {
		this.settings = settings.copy();
		this.backend = backend;
		this.controlPassword = HexFormat.of().formatHex(randomBytes());
		try {
			this.directory = Files.createTempDirectory("resilient-redis-test-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a temporary directory for Redis", ex);
		}
		try {
			this.process = (backend == Backend.CONTAINER) ? new ContainerRedisProcess(this.directory)
					: new LocalRedisProcess(this.directory, settings.isolatedNetwork);
		}
		catch (RuntimeException ex) {
			deleteDirectory();
			throw ex;
		}
		this.control = new ControlConnection(this.process, this.controlPassword);
		this.faults = new RedisFaults(this.process, this.control, backend == Backend.CONTAINER);
		this.replication = new RedisReplication(this, this.control);
		running.add(this);
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[16];
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

	/**
	 * Return a builder to configure and start a server.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Start a server with default settings: no password, no TLS, loopback network.
	 * @return the running server
	 */
	public static RedisServer start() {
		return builder().start();
	}

	/**
	 * Return whether {@link #blackhole()} can be used here: it needs Linux, root, the
	 * {@code ip} command, network namespaces and a local {@code redis-server}. Tests use
	 * this in an assumption, for example
	 * {@code assumeTrue(RedisServer.isBlackholeSupported(), "needs root and ip netns")}.
	 * @return whether silent partitions are supported
	 */
	public static boolean isBlackholeSupported() {
		return NetworkNamespace.isSupported() && SystemCommand.isOnPath("redis-server");
	}

	private void startProcess() {
		Builder current = this.settings;
		if (current.tls && this.tls == null) {
			this.tls = TlsCertificates.generate(this.directory.resolve("tls"), this.process.host());
		}
		this.process.start(new Launch(current, this.controlPassword, this.tls));
	}

	/**
	 * Return the host clients connect to: {@code 127.0.0.1}, the address inside the
	 * isolated network, or the Docker host.
	 * @return the host
	 */
	public String host() {
		return this.process.host();
	}

	/**
	 * Return the port clients connect to (the TLS port when TLS is enabled). The port
	 * does not change on restart.
	 * @return the port
	 */
	public int port() {
		return this.process.port();
	}

	/**
	 * Return the user name clients authenticate with: the first user declared with
	 * {@link Builder#user} or {@link Builder#aclUser}, or {@code null} when clients use
	 * the default user.
	 * @return the user name or {@code null}
	 */
	public @Nullable String username() {
		List<AclUser> users = this.settings.users;
		return users.isEmpty() ? null : users.get(0).name();
	}

	/**
	 * Return the password clients authenticate with: that of {@link #username()} if any,
	 * otherwise that of {@link Builder#password(String)}.
	 * @return the password or {@code null}
	 */
	public @Nullable String password() {
		List<AclUser> users = this.settings.users;
		return users.isEmpty() ? this.settings.password : users.get(0).password();
	}

	/**
	 * Return whether the server only accepts TLS connections.
	 * @return whether TLS is enabled
	 */
	public boolean isTls() {
		return this.settings.tls;
	}

	/**
	 * Return a Redis URL with the credentials of {@link #username()} and
	 * {@link #password()}, URL-encoded: {@code redis://[[user]:password@]host:port}, or
	 * {@code rediss://...} with TLS.
	 * @return the URL
	 */
	public String url() {
		return RedisConnectionProperties.url(this);
	}

	/**
	 * Return the {@code spring.data.redis.*} properties (and the {@code spring.ssl}
	 * bundle trusting the generated CA, for TLS) that connect a Spring Boot application
	 * to this server, as {@code name=value} pairs for
	 * {@code ApplicationContextRunner.withPropertyValues}.
	 * @return the properties
	 */
	public String[] springProperties() {
		return RedisConnectionProperties.spring(this)
			.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
	}

	/**
	 * Add the properties of {@link #springProperties()} to a registry, for
	 * {@code @DynamicPropertySource} methods. Values are read when the properties are
	 * resolved, so a restart with another password is picked up by a later context.
	 * @param registry the registry
	 */
	public void applyTo(DynamicPropertyRegistry registry) {
		for (String name : RedisConnectionProperties.spring(this).keySet()) {
			registry.add(name, () -> RedisConnectionProperties.spring(this).get(name));
		}
	}

	/**
	 * Return the PEM file of the CA that signed the server certificate, when TLS is
	 * enabled.
	 * @return the CA certificate, or {@code null} without TLS
	 */
	public @Nullable Path caCertificate() {
		TlsCertificates certificates = this.tls;
		return (isTls() && certificates != null) ? certificates.caCertificate() : null;
	}

	/**
	 * Return an {@link SSLContext} that trusts only the CA of this server, for raw TLS
	 * sockets or a client under test.
	 * @return the SSL context
	 * @throws IllegalStateException if TLS is not enabled
	 */
	public SSLContext sslContext() {
		TlsCertificates certificates = this.tls;
		Assert.state(isTls() && certificates != null, "TLS is not enabled on this server");
		return certificates.sslContext();
	}

	/**
	 * Suspend the server process (SIGSTOP, or a paused container). Connections stay open
	 * and the kernel keeps acknowledging TCP, but no command is answered until
	 * {@link #thaw()}: this tests command timeouts, not dead-connection detection.
	 */
	public void freeze() {
		this.faults.freeze();
	}

	/**
	 * Resume a frozen server (SIGCONT); commands sent meanwhile are answered.
	 */
	public void thaw() {
		this.faults.thaw();
	}

	/**
	 * Return whether the server is frozen: {@link #freeze()} was called and neither
	 * {@link #thaw()} nor a kill or restart since.
	 * @return whether the server is frozen
	 */
	public boolean isFrozen() {
		return this.faults.isFrozen();
	}

	/**
	 * Kill the server at once (SIGKILL). Open connections are reset and new ones are
	 * refused until {@link #restart()}.
	 */
	public void kill() {
		this.faults.kill();
	}

	/**
	 * Start the server again on the same port with the same settings, killing it first if
	 * it runs, and return once it answers PING. The data set is empty, unless the server
	 * was built with {@link Builder#keepData()}: then it loads what it last persisted.
	 */
	public void restart() {
		restartWith((builder) -> {
		});
	}

	/**
	 * Restart with changed settings, for example another password or TLS, on the same
	 * port, with an empty data set unless the server keeps its data
	 * ({@link Builder#keepData()}). The network and the backend cannot change.
	 * @param changes the changes to apply to a copy of the current settings
	 */
	public synchronized void restartWith(Consumer<Builder> changes) {
		Builder changed = this.settings.copy();
		changes.accept(changed);
		Assert.isTrue(changed.isolatedNetwork == this.settings.isolatedNetwork,
				"The isolated network of a server cannot change on restart");
		kill();
		this.settings = changed;
		startProcess();
	}

	/**
	 * Make the server busy for the given duration with {@code DEBUG SLEEP}, sent on a
	 * separate connection. Returns once the server is busy, without waiting for the end
	 * of the sleep; every other client is delayed meanwhile.
	 * @param duration how long the server sleeps
	 */
	public void slow(Duration duration) {
		this.faults.slow(duration);
	}

	/**
	 * Save the data set and load it again with {@code DEBUG RELOAD}, sent on a separate
	 * connection, as a restart with a large data set does: while the server loads, it
	 * answers every other client's data commands with {@code LOADING}. Returns once
	 * loading has started (or has already ended), without waiting for its end. To make
	 * loading last, start the server with
	 * {@code config("key-load-delay", microsecondsPerKey)} and a data set (for example
	 * {@code DEBUG POPULATE}), and with
	 * {@code config("loading-process-events-interval-bytes", "1024")} so that it answers
	 * clients often while it loads.
	 * @return a future completed when loading has ended
	 */
	public CompletableFuture<Void> reload() {
		return this.faults.reload();
	}

	/**
	 * Close every client connection (normal and Pub/Sub) except the control connection,
	 * with {@code CLIENT KILL}.
	 * @return how many connections were closed
	 */
	public int killClients() {
		return this.faults.killClients();
	}

	/**
	 * Make this server a replica of the given one with {@code REPLICAOF}, authenticating
	 * as the primary's {@link #username()} with its {@link #password()} when it has them,
	 * and return once the replication link is up and the data set is in sync. A primary
	 * demoted this way keeps its client connections open, and answers their writes with
	 * {@code READONLY}, as a cloud primary endpoint does after a failover.
	 * @param primary the server to replicate
	 * @see #promote()
	 */
	public void replicaOf(RedisServer primary) {
		this.replication.replicaOf(primary);
	}

	/**
	 * Make this server a primary again with {@code REPLICAOF NO ONE}: it keeps its data
	 * set and accepts writes at once.
	 * @see #replicaOf(RedisServer)
	 */
	public void promote() {
		this.replication.promote();
	}

	/**
	 * Return the role this server reports with {@code ROLE}.
	 * @return {@code master}, {@code slave} or {@code sentinel}
	 */
	public String role() {
		return this.replication.role();
	}

	/**
	 * Partition the server silently: every packet from the server to the host is dropped,
	 * without any RST, so clients see connects and reads time out. Test control
	 * ({@link #execute}, {@link #killClients()}, ...) keeps working. Needs
	 * {@link Builder#isolatedNetwork()}.
	 * @throws UnsupportedOperationException if the server does not run in an isolated
	 * network
	 * @see #isBlackholeSupported()
	 */
	public void blackhole() {
		this.faults.blackhole();
	}

	/**
	 * Partition one client connection silently: every packet from the server to that
	 * connection is dropped, without any RST, while every other connection keeps working.
	 * Needs {@link Builder#isolatedNetwork()}.
	 * @param clientAddress the client's address as {@code CLIENT LIST} shows it in
	 * {@code addr}, for example {@code 10.213.4.1:41234}
	 * @throws UnsupportedOperationException if the server does not run in an isolated
	 * network
	 * @see #isBlackholeSupported()
	 */
	public void blackholeConnection(String clientAddress) {
		this.faults.blackholeConnection(clientAddress);
	}

	/**
	 * End a partition started with {@link #blackhole()}, and those of
	 * {@link #blackholeConnection(String)}.
	 */
	public void heal() {
		this.faults.heal();
	}

	/**
	 * Run a command on the control connection and return its reply as text: simple and
	 * bulk strings as they are, integers in decimal, arrays one element per line.
	 * @param command the command and its arguments, for example {@code "CONFIG", "GET",
	 * "maxmemory"}
	 * @return the reply, or {@code null} for a nil reply
	 * @throws IllegalStateException with the error message if Redis replies with an
	 * error, or if it does not answer within 2 seconds
	 */
	public @Nullable String execute(String... command) {
		Assert.notEmpty(command, "A command is required");
		return this.control.execute(command);
	}

	/**
	 * Return the directory holding the configuration, log and data of this server.
	 * @return the directory
	 */
	Path directory() {
		return this.directory;
	}

	/**
	 * Return the process of this server.
	 * @return the process
	 */
	RedisProcess process() {
		return this.process;
	}

	/**
	 * Kill the server and remove everything it created: the process, the network
	 * namespace and its veth pair, and the temporary directory.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.control.close();
			this.process.close();
		}
		finally {
			deleteDirectory();
			running.remove(this);
		}
	}

	private void deleteDirectory() {
		try {
			LocalRedisProcess.deleteRecursively(this.directory);
		}
		catch (IOException ex) {
			// A leftover temporary directory does not break later tests
		}
	}

	@Override
	public String toString() {
		return "RedisServer[" + this.backend.name().toLowerCase(Locale.ROOT) + " " + host() + ":" + port()
				+ (isTls() ? " tls" : "") + "]";
	}

	/**
	 * Where the server runs.
	 */
	public enum Backend {

		/**
		 * A container if a Docker engine is reachable and neither an isolated network nor
		 * kept data is requested, otherwise a local {@code redis-server}.
		 */
		AUTO,

		/**
		 * {@code redis-server} from the {@code PATH}, in a temporary directory.
		 */
		LOCAL,

		/**
		 * A {@code redis:7.0-alpine} container started with Testcontainers. Silent
		 * partitions are not supported.
		 */
		CONTAINER

	}

	/**
	 * Settings of a {@link RedisServer}.
	 */
	public static final class Builder {

		private @Nullable String password;

		private List<AclUser> users = new ArrayList<>();

		private boolean tls;

		private Map<String, String> directives = new LinkedHashMap<>();

		private boolean isolatedNetwork;

		private Backend backend = Backend.AUTO;

		private boolean sentinel;

		private boolean keepData;

		private Builder() {
		}

		/**
		 * Require a password for the default user ({@code requirepass}).
		 * @param password the password, or {@code null} for none
		 * @return this builder
		 */
		public Builder password(@Nullable String password) {
			this.password = password;
			return this;
		}

		/**
		 * Add an ACL user with access to every command, key and channel. Once a user is
		 * declared, the default user is disabled unless a {@link #password(String)} is
		 * set.
		 * @param name the user name
		 * @param password the password
		 * @return this builder
		 */
		public Builder user(String name, String password) {
			return aclUser(name, password, "+@all");
		}

		/**
		 * Add an ACL user with the given rules, for example
		 * {@code "+@all", "-info", "-config", "-debug"}. The rules follow
		 * {@code on >password ~* &*}, so add {@code resetkeys} to restrict keys.
		 * @param name the user name
		 * @param password the password
		 * @param rules the ACL rules
		 * @return this builder
		 */
		public Builder aclUser(String name, String password, String... rules) {
			Assert.hasText(name, "A user name is required");
			Assert.isTrue(!name.contains(" ") && !name.equals("default") && !name.equals(RedisConfigFile.CONTROL_USER),
					() -> "Invalid user name '" + name + "'");
			Assert.notNull(password, "A password is required");
			this.users.removeIf((user) -> user.name().equals(name));
			this.users.add(new AclUser(name, password, List.of(rules)));
			return this;
		}

		/**
		 * Remove the ACL users declared so far, typically in
		 * {@link RedisServer#restartWith(Consumer)}.
		 * @return this builder
		 */
		public Builder withoutUsers() {
			this.users.clear();
			return this;
		}

		/**
		 * Accept only TLS connections, with a server certificate signed by a CA generated
		 * for this server.
		 * @return this builder
		 * @see RedisServer#caCertificate()
		 * @see RedisServer#sslContext()
		 */
		public Builder tls() {
			return tls(true);
		}

		/**
		 * Set whether the server accepts only TLS connections.
		 * @param tls whether to enable TLS
		 * @return this builder
		 */
		public Builder tls(boolean tls) {
			this.tls = tls;
			return this;
		}

		/**
		 * Limit memory, for example {@code maxmemory("2mb", "noeviction")}.
		 * @param size the {@code maxmemory} value
		 * @param policy the {@code maxmemory-policy} value
		 * @return this builder
		 */
		public Builder maxmemory(String size, String policy) {
			return config("maxmemory", size).config("maxmemory-policy", policy);
		}

		/**
		 * Add a {@code redis.conf} directive, written after those of this class so it
		 * wins for single-valued directives. The value is written as given, so quote it
		 * where {@code redis.conf} needs quotes.
		 * @param directive the directive
		 * @param value the value
		 * @return this builder
		 */
		public Builder config(String directive, String value) {
			Assert.hasText(directive, "A directive is required");
			this.directives.put(directive, value);
			return this;
		}

		/**
		 * Run the server in a network namespace of its own, reached over a veth pair, so
		 * that {@link RedisServer#blackhole()} can partition it silently. Needs the
		 * {@link Backend#LOCAL local} backend, Linux and root.
		 * @return this builder
		 * @see RedisServer#isBlackholeSupported()
		 */
		public Builder isolatedNetwork() {
			this.isolatedNetwork = true;
			return this;
		}

		/**
		 * Keep the data directory across {@link RedisServer#restart() restarts}, so that
		 * a restarted server loads what it persisted before it stopped: the RDB file of
		 * the last {@code SAVE} or {@code BGSAVE} (automatic snapshots stay off), or the
		 * append-only file when one is enabled with {@link #config(String, String)}. With
		 * {@link RedisServer#kill()} first, this is a crash that loses every write made
		 * since. Needs the {@link Backend#LOCAL local} backend.
		 * @return this builder
		 */
		public Builder keepData() {
			this.keepData = true;
			return this;
		}

		/**
		 * Choose where the server runs.
		 * @param backend the backend
		 * @return this builder
		 */
		public Builder backend(Backend backend) {
			Assert.notNull(backend, "A backend is required");
			this.backend = backend;
			return this;
		}

		/**
		 * Start the server and return once it answers PING.
		 * @return the running server
		 */
		public RedisServer start() {
			Backend resolved = resolveBackend();
			if (resolved == Backend.CONTAINER && this.isolatedNetwork) {
				throw new UnsupportedOperationException(
						"isolatedNetwork() needs the LOCAL backend; containers cannot be partitioned silently");
			}
			if (resolved == Backend.CONTAINER && this.keepData) {
				throw new UnsupportedOperationException(
						"keepData() needs the LOCAL backend; a restarted container starts with an empty data set");
			}
			RedisServer server = new RedisServer(this, resolved);
			try {
				server.startProcess();
				return server;
			}
			catch (RuntimeException ex) {
				server.close();
				throw ex;
			}
		}

		private Backend resolveBackend() {
			Backend requested = this.backend;
			if (requested == Backend.AUTO) {
				String configured = System.getProperty(BACKEND_PROPERTY, System.getenv(BACKEND_VARIABLE));
				if (configured != null && !configured.isBlank()) {
					requested = Backend.valueOf(configured.strip().toUpperCase(Locale.ROOT));
				}
			}
			boolean local = SystemCommand.isOnPath("redis-server");
			if (requested == Backend.LOCAL && !local) {
				throw new IllegalStateException(
						"The LOCAL backend needs 'redis-server' on the PATH; install it (apt-get install -y redis-server)");
			}
			if (requested != Backend.AUTO) {
				return requested;
			}
			if (!this.isolatedNetwork && !this.keepData && ContainerRedisProcess.isDockerAvailable()) {
				return Backend.CONTAINER;
			}
			if (local) {
				return Backend.LOCAL;
			}
			throw new IllegalStateException("No Redis for tests: install redis-server (apt-get install -y redis-server)"
					+ " or start a Docker engine for Testcontainers");
		}

		/**
		 * Run the server in Sentinel mode ({@code --sentinel}); the {@code sentinel}
		 * directives are given with {@link #config(String, String)}.
		 * @return this builder
		 */
		Builder sentinel() {
			this.sentinel = true;
			return this;
		}

		boolean isSentinel() {
			return this.sentinel;
		}

		boolean keepsData() {
			return this.keepData;
		}

		@Nullable String password() {
			return this.password;
		}

		List<AclUser> users() {
			return Collections.unmodifiableList(this.users);
		}

		boolean isTls() {
			return this.tls;
		}

		Map<String, String> directives() {
			return Collections.unmodifiableMap(this.directives);
		}

		Builder copy() {
			Builder copy = new Builder();
			copy.password = this.password;
			copy.users = new ArrayList<>(this.users);
			copy.tls = this.tls;
			copy.directives = new LinkedHashMap<>(this.directives);
			copy.isolatedNetwork = this.isolatedNetwork;
			copy.backend = this.backend;
			copy.sentinel = this.sentinel;
			copy.keepData = this.keepData;
			return copy;
		}

	}

}

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
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.springframework.util.Assert;

/**
 * The faults of one {@link RedisServer}, which delegates to it: the process frozen or
 * killed, the server busy or loading, its clients dropped, its network partitioned.
 *
 * @author resilient-redis contributors
 */
final class RedisFaults {

	private final RedisProcess process;

	private final ControlConnection control;

	private final boolean container;

	private volatile boolean frozen;

	RedisFaults(RedisProcess process, ControlConnection control, boolean container) {
		this.process = process;
		this.control = control;
		this.container = container;
	}

	void freeze() {
		this.control.close();
		this.process.freeze();
		this.frozen = true;
	}

	void thaw() {
		this.process.thaw();
		this.frozen = false;
	}

	boolean isFrozen() {
		return this.frozen;
	}

	void kill() {
		this.control.close();
		this.process.kill();
		this.frozen = false;
	}

	void slow(Duration duration) {
		RespConnection sleeper = this.control.open(duration.plus(ControlConnection.TIMEOUT));
		try {
			sleeper.send("DEBUG", "SLEEP", String.format(Locale.ROOT, "%.3f", duration.toMillis() / 1000.0));
		}
		catch (IOException ex) {
			sleeper.close();
			throw new UncheckedIOException("Could not send DEBUG SLEEP", ex);
		}
		Thread reader = new Thread(() -> {
			try (sleeper) {
				sleeper.read();
			}
			catch (IOException | RuntimeException ex) {
				// The sleep is over, or the server was killed meanwhile
			}
		}, "resilient-redis-test-slow");
		reader.setDaemon(true);
		reader.start();
		awaitBusy(duration);
	}

	private void awaitBusy(Duration duration) {
		// A PING that gets no quick answer shows that DEBUG SLEEP has started
		long deadline = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() - deadline < 0) {
			try (RespConnection probe = this.control.open(Duration.ofMillis(20))) {
				probe.command("PING");
			}
			catch (RuntimeException ex) {
				return;
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
	}

	CompletableFuture<Void> reload() {
		RespConnection reloader = this.control.open(Duration.ofMinutes(1));
		try {
			reloader.send("DEBUG", "RELOAD");
		}
		catch (IOException ex) {
			reloader.close();
			throw new UncheckedIOException("Could not send DEBUG RELOAD", ex);
		}
		CompletableFuture<Void> loaded = new CompletableFuture<>();
		Thread reader = new Thread(() -> {
			try (reloader) {
				reloader.read();
				loaded.complete(null);
			}
			catch (IOException | RuntimeException ex) {
				loaded.completeExceptionally(ex);
			}
		}, "resilient-redis-test-reload");
		reader.setDaemon(true);
		reader.start();
		awaitLoading(loaded);
		return loaded;
	}

	private void awaitLoading(CompletableFuture<Void> loaded) {
		// DEBUG RELOAD saves first, answering nobody; a PING answered LOADING shows that
		// the load has started
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!loaded.isDone() && System.nanoTime() - deadline < 0) {
			try (RespConnection probe = this.control.open(Duration.ofMillis(200))) {
				probe.command("PING");
			}
			catch (RespConnection.RedisErrorReplyException ex) {
				if (String.valueOf(ex.getMessage()).startsWith("LOADING")) {
					return;
				}
				throw ex;
			}
			catch (RuntimeException ex) {
				// Still saving: no answer yet
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
	}

	int killClients() {
		long normal = (Long) this.control.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
		long pubsub = (Long) this.control.command("CLIENT", "KILL", "TYPE", "pubsub", "SKIPME", "yes");
		return (int) (normal + pubsub);
	}

	void blackhole() {
		network("blackhole()").blackhole();
	}

	void blackholeConnection(String clientAddress) {
		Assert.hasText(clientAddress, "A client address is required");
		int port = Integer.parseInt(clientAddress.substring(clientAddress.lastIndexOf(':') + 1));
		network("blackholeConnection()").blackholeConnection(port);
	}

	void heal() {
		NetworkNamespace network = network("heal()");
		network.heal();
		network.healConnections();
	}

	private NetworkNamespace network(String operation) {
		NetworkNamespace network = this.process.network();
		if (network == null) {
			throw new UnsupportedOperationException(operation + " needs a server started with isolatedNetwork()"
					+ (this.container ? " and the LOCAL backend; containers are not supported" : ""));
		}
		return network;
	}

}

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

package io.github.resilientredis.connection;

import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.IOUringProvider;
import io.lettuce.core.resource.KqueueProvider;

/**
 * The network transport Lettuce uses for Redis connections, which decides the socket
 * options that can apply.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public enum RedisTransport {

	/**
	 * Linux native epoll transport: keep-alive tuning and {@code TCP_USER_TIMEOUT}.
	 */
	EPOLL("epoll", true, true),

	/**
	 * Linux native io_uring transport: keep-alive tuning and {@code TCP_USER_TIMEOUT}.
	 */
	IO_URING("io_uring", true, true),

	/**
	 * BSD and macOS native kqueue transport: keep-alive on, without tuning.
	 */
	KQUEUE("kqueue", false, false),

	/**
	 * JDK NIO transport: keep-alive tuning through the JDK's extended socket options, no
	 * {@code TCP_USER_TIMEOUT}.
	 */
	NIO("nio", true, false);

	private final String displayName;

	private final boolean keepAliveTuning;

	private final boolean tcpUserTimeout;

	RedisTransport(String displayName, boolean keepAliveTuning, boolean tcpUserTimeout) {
		this.displayName = displayName;
		this.keepAliveTuning = keepAliveTuning;
		this.tcpUserTimeout = tcpUserTimeout;
	}

	/**
	 * Return the transport Lettuce uses in this JVM, in Lettuce's own order of
	 * preference.
	 * @return the transport in force
	 */
	public static RedisTransport current() {
		if (EpollProvider.isAvailable()) {
			return EPOLL;
		}
		if (KqueueProvider.isAvailable()) {
			return KQUEUE;
		}
		if (IOUringProvider.isAvailable()) {
			return IO_URING;
		}
		return NIO;
	}

	/**
	 * Return whether keep-alive idle time, interval and count can be set.
	 * @return whether keep-alive tuning applies
	 */
	public boolean supportsKeepAliveTuning() {
		return this.keepAliveTuning;
	}

	/**
	 * Return whether {@code TCP_USER_TIMEOUT} can be set.
	 * @return whether {@code TCP_USER_TIMEOUT} applies
	 */
	public boolean supportsTcpUserTimeout() {
		return this.tcpUserTimeout;
	}

	@Override
	public String toString() {
		return this.displayName;
	}

}

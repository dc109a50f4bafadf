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

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link NetworkNamespace}.
 *
 * @author resilient-redis contributors
 */
class NetworkNamespaceTests {

	@BeforeEach
	void assumeNamespacesAreSupported() {
		assumeTrue(NetworkNamespace.isSupported(), "needs Linux, root and iproute2 'ip netns'");
	}

	@Test
	void createRemovesNamespacesOfDeadJvms() throws Exception {
		Process exited = new ProcessBuilder("true").start();
		assertThat(exited.waitFor(10, TimeUnit.SECONDS)).isTrue();
		String stale = "rrt-" + exited.pid() + "-1";
		SystemCommand.run("ip", "netns", "add", stale);
		try (NetworkNamespace namespace = NetworkNamespace.create()) {
			assertThat(SystemCommand.run("ip", "netns", "list")).contains(namespace.name()).doesNotContain(stale);
		}
		finally {
			SystemCommand.runQuietly("ip", "netns", "delete", stale);
		}
	}

	@Test
	void namespacesGetDistinctSubnets() {
		try (NetworkNamespace first = NetworkNamespace.create(); NetworkNamespace second = NetworkNamespace.create()) {
			assertThat(first.namespaceAddress()).isNotEqualTo(second.namespaceAddress());
			assertThat(SystemCommand.run("ip", "route")).contains(subnet(first)).contains(subnet(second));
		}
	}

	private static String subnet(NetworkNamespace namespace) {
		String address = namespace.namespaceAddress();
		int lastDot = address.lastIndexOf('.');
		return address.substring(0, lastDot + 1) + (Integer.parseInt(address.substring(lastDot + 1)) - 2) + "/30";
	}

}

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

package io.github.resilientredis.autoconfigure;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResilientClientOptionsCustomizer}'s advice when
 * {@code TCP_USER_TIMEOUT} cannot apply. The platforms are given, not run: only
 * linux-x86_64 runs here.
 *
 * @author resilient-redis contributors
 */
class ResilientClientOptionsCustomizerTests {

	private static final String AARCH_64_LIBRARY = "META-INF/native/libnetty_transport_native_epoll_aarch_64.so";

	@Test
	void whenArmLinuxLacksTheEpollLibraryThenAdviceNamesTheArtifactToAdd() {
		assertThat(ResilientClientOptionsCustomizer.tcpUserTimeoutAdvice("Linux", "aarch64", (resource) -> false))
			.contains("io.netty:netty-transport-native-epoll with classifier linux-aarch_64")
			.contains("not on the class path")
			.contains("the starter brings it unless it is excluded");
	}

	@Test
	void whenArmLinuxHasTheEpollLibraryButItDidNotLoadThenAdviceSaysHowToSeeWhy() {
		assertThat(ResilientClientOptionsCustomizer.tcpUserTimeoutAdvice("Linux", "aarch64",
				Set.of(AARCH_64_LIBRARY)::contains))
			.contains("linux-aarch_64) is on the class path but did not load")
			.contains("logging.level.io.netty=debug");
	}

	@Test
	void whenLinuxRunsOnAnotherArchitectureThenAdviceSaysTheStarterDoesNotBringIt() {
		assertThat(ResilientClientOptionsCustomizer.tcpUserTimeoutAdvice("Linux", "riscv64", (resource) -> false))
			.contains("classifier linux-riscv64")
			.contains("the starter brings linux-x86_64 and linux-aarch_64 only");
	}

	@Test
	void whenNotOnLinuxThenAdviceSaysItIsALinuxOption() {
		assertThat(ResilientClientOptionsCustomizer.tcpUserTimeoutAdvice("Mac OS X", "aarch64", (resource) -> false))
			.isEqualTo(
					"it is a Linux socket option, set through the epoll or io_uring transport, and this is Mac OS X");
	}

}

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

package io.github.resilientredis.starter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the starter brings Netty's native epoll transport, which
 * {@code TCP_USER_TIMEOUT} needs, for both Linux server architectures. ARM itself is not
 * available here: what is proven is that the library for it is on an application's class
 * path, where Netty picks the one matching the machine.
 *
 * @author resilient-redis contributors
 */
class NativeTransportDependencyTests {

	@ParameterizedTest
	@ValueSource(strings = { "x86_64", "aarch_64" })
	void starterDeclaresTheEpollTransportFor(String architecture) throws IOException {
		String pom = Files.readString(Path.of("pom.xml"));
		assertThat(pom).contains("<artifactId>netty-transport-native-epoll</artifactId>\n\t\t\t<classifier>linux-"
				+ architecture + "</classifier>");
	}

	@ParameterizedTest
	@ValueSource(strings = { "x86_64", "aarch_64" })
	void applicationClassPathCarriesTheEpollLibraryFor(String architecture) {
		assertThat(getClass().getClassLoader()
			.getResource("META-INF/native/libnetty_transport_native_epoll_" + architecture + ".so")).isNotNull();
	}

}

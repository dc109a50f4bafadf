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

import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.github.resilientredis.connection.RedisConnections;
import io.github.resilientredis.test.RedisServer;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the starter costs an application without Actuator no observation: it brings
 * neither Actuator nor Spring Boot's Micrometer auto-configuration, so that there is no
 * {@code ObservationRegistry} and Spring Boot does not observe every Lettuce command,
 * while the starter's own features are all there. The test class path is the starter's
 * (and the test kit's, which brings none of them either).
 *
 * @author resilient-redis contributors
 */
class ObservationFreeDependencyTests {

	@Test
	void starterBringsNeitherActuatorNorMicrometerAutoConfiguration() {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(ClassUtils.isPresent("org.springframework.boot.actuate.endpoint.annotation.Endpoint", classLoader))
			.isFalse();
		assertThat(ClassUtils.isPresent(
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				classLoader))
			.isFalse();
		assertThat(ClassUtils.isPresent(
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration", classLoader))
			.isFalse();
	}

	@Test
	void applicationWithTheStarterDoesNotObserveLettuceCommands() {
		try (RedisServer server = RedisServer.start();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(CachingApplication.class)
					.web(WebApplicationType.NONE)
					.properties(server.springProperties())
					.run()) {
			assertThat(context.getBean(ClientResources.class).tracing().isEnabled()).isFalse();
			assertThat(context.getBeanNamesForType(ObservationRegistry.class)).isEmpty();
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(ResilientRedisCacheManager.class);
			assertThat(context.getBean(ClientResources.class).nettyCustomizer())
				.isSameAs(context.getBean(RedisConnections.class));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class CachingApplication {

	}

}

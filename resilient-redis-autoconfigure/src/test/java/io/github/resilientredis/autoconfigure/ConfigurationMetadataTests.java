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

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata the build generates from
 * {@link ResilientRedisProperties} merged with
 * {@code META-INF/additional-spring-configuration-metadata.json}: the keys Spring Boot's
 * own keys replace are marked deprecated with their replacement, and every key the
 * starter contributes a default to, or points to, is one Spring Boot has.
 *
 * @author resilient-redis contributors
 */
class ConfigurationMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	@Test
	void everyDeprecatedKeyIsDeclaredWithItsReplacement() throws IOException {
		Map<String, JsonNode> starter = properties("resilient-redis-autoconfigure");
		ResilientRedisEnvironmentPostProcessor.DEPRECATED_KEYS.forEach((deprecated, replacement) -> {
			assertThat(starter).as(deprecated).containsKey(deprecated);
			JsonNode deprecation = starter.get(deprecated).get("deprecation");
			assertThat(deprecation).as(deprecated).isNotNull();
			assertThat(deprecation.get("replacement").asString()).as(deprecated).isEqualTo(replacement);
			assertThat(deprecation.get("level").asString()).as(deprecated).isEqualTo("warning");
			assertThat(deprecation.get("reason").asString()).as(deprecated).isNotBlank();
		});
	}

	@Test
	void everyDeprecatedKeyInTheMetadataIsStillApplied() throws IOException {
		properties("resilient-redis-autoconfigure").forEach((name, property) -> {
			if (property.has("deprecation")) {
				assertThat(ResilientRedisEnvironmentPostProcessor.DEPRECATED_KEYS).as(name).containsKey(name);
			}
		});
	}

	@Test
	void deprecatedKeysAreNoLongerBoundByTheStarter() throws IOException {
		Map<String, JsonNode> starter = properties("resilient-redis-autoconfigure");
		ResilientRedisEnvironmentPostProcessor.DEPRECATED_KEYS.keySet()
			.forEach((deprecated) -> assertThat(starter.get(deprecated).has("sourceType")).as(deprecated).isFalse());
	}

	@Test
	void everyReplacementIsASpringBootKeyInForce() throws IOException {
		Map<String, JsonNode> boot = properties("spring-boot-data-redis");
		ResilientRedisEnvironmentPostProcessor.DEPRECATED_KEYS.values().forEach((replacement) -> {
			assertThat(boot).as(replacement).containsKey(replacement);
			assertThat(boot.get(replacement).has("deprecation")).as(replacement).isFalse();
		});
	}

	@Test
	void everyStarterDefaultIsForASpringBootKeyInForce() throws IOException {
		Map<String, JsonNode> boot = properties("spring-boot-data-redis");
		ResilientRedisEnvironmentPostProcessor.DEFAULTS.keySet().forEach((key) -> {
			assertThat(boot).as(key).containsKey(key);
			assertThat(boot.get(key).has("deprecation")).as(key).isFalse();
		});
	}

	@Test
	void starterDoesNotDeclareASpringBootKey() throws IOException {
		Map<String, JsonNode> boot = properties("spring-boot-data-redis");
		assertThat(properties("resilient-redis-autoconfigure").keySet())
			.allSatisfy((name) -> assertThat(name).doesNotStartWith("spring.").isNotIn(boot.keySet()));
	}

	private static Map<String, JsonNode> properties(String module) throws IOException {
		for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader().getResources(METADATA))) {
			if (url.toString().contains(module)) {
				try (InputStream content = url.openStream()) {
					Map<String, JsonNode> properties = new LinkedHashMap<>();
					JsonMapper.shared()
						.readTree(content)
						.get("properties")
						.forEach((property) -> properties.put(property.get("name").asString(), property));
					return properties;
				}
			}
		}
		throw new IllegalStateException("No " + METADATA + " of " + module + " on the class path");
	}

}

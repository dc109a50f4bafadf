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

import java.lang.reflect.Method;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.lettuce.core.RedisURI;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Property-based tests for the handling of {@code REDIS_URL}: whatever the string, it
 * either becomes a URL that Spring Boot and Lettuce accept, or startup fails with an
 * {@link InvalidRedisConfigurationException} that never shows the password.
 *
 * @author resilient-redis contributors
 */
class RedisUrlValidatorPropertyTests {

	private static final Method BOOT_URL_PARSER = bootUrlParser();

	@Property(tries = 1000)
	void anyStringEitherParsesOrFailsWithTheClearError(@ForAll String url) {
		handle(url, null);
	}

	@Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
	void urlWithAPasswordEitherParsesOrFailsWithoutShowingIt(@ForAll("urlsWithPassword") UrlWithPassword url) {
		handle(url.url(), url.password());
	}

	@Provide
	Arbitrary<UrlWithPassword> urlsWithPassword() {
		Arbitrary<String> scheme = Arbitraries.oneOf(Arbitraries.of("redis://", "rediss://", "REDIS://", "http://",
				"redis:/", "redis:", "//", "", "redis:///"),
				Arbitraries.strings().ofMaxLength(8).map((s) -> s + "://"));
		Arbitrary<String> user = Arbitraries.oneOf(Arbitraries.of("", "app", "%zz", "us er", "a@b", "%41"),
				Arbitraries.strings().ofMaxLength(6));
		// "Pw" never appears in a message, so finding the password there means it leaked.
		Arbitrary<String> password = Arbitraries.strings()
			.withCharRange('a', 'z')
			.withCharRange('0', '9')
			.withChars("@:%/?#[]! ~|\"'\\")
			.ofMinLength(4)
			.ofMaxLength(16)
			.map((s) -> "Pw" + s);
		Arbitrary<String> separator = Arbitraries.of(":", "", "::");
		Arbitrary<String> host = Arbitraries.oneOf(
				Arbitraries.of("", "redis", "redis.example.com", "10.0.0.1", "[::1]", "[::1", "h_st", "a,b", "ü"),
				Arbitraries.strings().ofMaxLength(10));
		Arbitrary<String> port = Arbitraries.oneOf(Arbitraries.of("", ":", ":6379", ":0", ":65536", ":-1", ":abc"),
				Arbitraries.integers().between(-10, 100_000).map((n) -> ":" + n));
		Arbitrary<String> rest = Arbitraries.of("", "/", "/0", "/15", "/x", "?a=b", "#f", "/0/1", "/ ");
		return Combinators.combine(scheme, user, separator, password, host, port, rest)
			.as((s, u, sep, p, h, po, r) -> new UrlWithPassword(s + u + sep + p + "@" + h + po + r, p));
	}

	private static void handle(String url, String password) {
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("REDIS_URL", url);
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		try {
			new ResilientRedisEnvironmentPostProcessor((destination) -> destination.get())
				.postProcessEnvironment(environment, new SpringApplication());
		}
		catch (InvalidRedisConfigurationException ex) {
			assertThat(ex.getMessage()).startsWith("REDIS_URL is invalid: ");
			assertThat(ex.getCause()).isNull();
			if (password != null) {
				assertThat(ex.getMessage() + ex.getExample()).doesNotContain(password);
			}
			return;
		}
		String springUrl = environment.getProperty("spring.data.redis.url");
		if (springUrl == null) {
			// A list of hosts is a topology: each node must be usable on its own.
			String nodes = environment.getProperty("spring.data.redis.cluster.nodes",
					environment.getProperty("spring.data.redis.sentinel.nodes", ""));
			assertThat(nodes).as("either a URL or the nodes of a topology").isNotEmpty();
			for (String node : nodes.split(",")) {
				assertThatNoException().as("Lettuce parses the node")
					.isThrownBy(() -> RedisURI.create("redis://" + node));
			}
			if (password != null) {
				assertThat(nodes).doesNotContain(password);
			}
			return;
		}
		assertThat(URI.create(springUrl).getHost()).isNotNull();
		assertThatNoException().as("Spring Boot parses the URL")
			.isThrownBy(() -> ReflectionUtils.invokeMethod(BOOT_URL_PARSER, null, springUrl));
		assertThatNoException().as("Lettuce parses the URL").isThrownBy(() -> RedisURI.create(springUrl));
	}

	private static Method bootUrlParser() {
		try {
			// Package-private: what spring.data.redis.url goes through in Spring Boot.
			Method of = Class.forName("org.springframework.boot.data.redis.autoconfigure.DataRedisUrl")
				.getDeclaredMethod("of", String.class);
			ReflectionUtils.makeAccessible(of);
			return of;
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record UrlWithPassword(String url, String password) {

	}

}

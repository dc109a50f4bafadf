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

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.util.Assert;

/**
 * JUnit Jupiter extension that starts a {@link RedisServer} before the tests of a class
 * and closes it after them. The server is injected into constructors, lifecycle and test
 * methods that declare a {@link RedisServer} parameter.
 * <p>
 * Default settings: <pre class="code">
 * &#64;ExtendWith(RedisServerExtension.class)
 * class MyTests {
 *
 *     &#64;Test
 *     void survivesRestart(RedisServer redis) { ... }
 *
 * }
 * </pre> Custom settings: <pre class="code">
 * &#64;RegisterExtension
 * static final RedisServerExtension redis = RedisServerExtension.with((server) -&gt; server.password("secret"));
 * </pre>
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private final Consumer<RedisServer.Builder> customizer;

	private @Nullable RedisServer server;

	/**
	 * Create an extension that starts a server with default settings.
	 */
	public RedisServerExtension() {
		this((builder) -> {
		});
	}

	private RedisServerExtension(Consumer<RedisServer.Builder> customizer) {
		this.customizer = customizer;
	}

	/**
	 * Create an extension that starts a server with custom settings.
	 * @param customizer the customizer of the server settings
	 * @return the extension, to register in a static field with
	 * {@code @RegisterExtension}
	 */
	public static RedisServerExtension with(Consumer<RedisServer.Builder> customizer) {
		Assert.notNull(customizer, "A customizer is required");
		return new RedisServerExtension(customizer);
	}

	/**
	 * Return the running server.
	 * @return the server
	 * @throws IllegalStateException if the server is not running
	 */
	public RedisServer server() {
		RedisServer current = this.server;
		Assert.state(current != null, "The Redis server is only available while the tests of a class run");
		return current;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		// Nested classes share the server of their enclosing class
		if (this.server == null) {
			RedisServer.Builder builder = RedisServer.builder();
			this.customizer.accept(builder);
			this.server = builder.start();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		RedisServer current = this.server;
		if (current != null && context.getParent().map((parent) -> parent.getTestClass().isEmpty()).orElse(true)) {
			this.server = null;
			current.close();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == RedisServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return server();
	}

}

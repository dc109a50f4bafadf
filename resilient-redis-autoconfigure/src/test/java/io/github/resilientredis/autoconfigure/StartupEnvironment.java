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

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Prepares a test context's environment the way {@link SpringApplication} does for an
 * application with this starter: the given environment variables replace the machine's,
 * and {@link ResilientRedisEnvironmentPostProcessor} runs, which
 * {@code ApplicationContextRunner} does not do by itself.
 *
 * @author resilient-redis contributors
 */
final class StartupEnvironment implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private final Map<String, Object> variables;

	private StartupEnvironment(Map<String, Object> variables) {
		this.variables = variables;
	}

	/**
	 * Return an initializer for an environment without environment variables.
	 * @return the initializer
	 */
	static StartupEnvironment withoutVariables() {
		return new StartupEnvironment(Map.of());
	}

	/**
	 * Return an initializer for an environment with the given environment variables.
	 * @param variables the variables
	 * @return the initializer
	 */
	static StartupEnvironment withVariables(Map<String, Object> variables) {
		return new StartupEnvironment(new LinkedHashMap<>(variables));
	}

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, this.variables));
		ConfigurationPropertySources.attach(environment);
		new ResilientRedisEnvironmentPostProcessor((destination) -> destination.get())
			.postProcessEnvironment(environment, new SpringApplication());
	}

}

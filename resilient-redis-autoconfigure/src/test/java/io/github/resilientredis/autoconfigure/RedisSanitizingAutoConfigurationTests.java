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

import io.github.resilientredis.actuate.endpoint.RedisSanitizingFunction;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisSanitizingAutoConfiguration}.
 *
 * @author resilient-redis contributors
 */
class RedisSanitizingAutoConfigurationTests {

	private static final String PASSWORD = "s3cr3t-Pa55";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisSanitizingAutoConfiguration.class,
				ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
				EndpointAutoConfiguration.class, EnvironmentEndpointAutoConfiguration.class,
				ConfigurationPropertiesReportEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.jmx.exposure.include=*",
				"management.endpoints.web.exposure.include=*", "management.endpoint.env.show-values=always",
				"management.endpoint.configprops.show-values=always");

	@Test
	void whenRedisUrlHasAPasswordThenEnvEndpointMasksItInEverySource() {
		this.contextRunner.withInitializer((context) -> redisUrlVariable(context.getEnvironment()))
			.withPropertyValues("spring.data.redis.password=" + PASSWORD,
					"resilient.redis.url=redis://app:" + PASSWORD + "@from-property:6379")
			.run((context) -> {
				String env = describe(context.getBean(EnvironmentEndpoint.class).environment(null));
				assertThat(env).contains("redis://app:****@from-variable:6379/2")
					.contains("redis://app:****@from-property:6379")
					.doesNotContain(PASSWORD);
				assertThat(context.getBean(EnvironmentEndpoint.class)
					.environmentEntry("spring.data.redis.url")
					.getProperty()
					.getValue()).isEqualTo("redis://app:****@from-property:6379");
			});
	}

	@Test
	void whenRedisUrlHasAPasswordThenConfigpropsEndpointMasksIt() {
		this.contextRunner.withInitializer((context) -> redisUrlVariable(context.getEnvironment()))
			.withPropertyValues("spring.data.redis.password=" + PASSWORD)
			.run((context) -> {
				String configprops = describe(
						context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties());
				assertThat(configprops).contains("redis://app:****@from-variable:6379/2")
					.contains("password=******")
					.doesNotContain(PASSWORD);
			});
	}

	@Test
	void whenUserDefinesTheFunctionThenAutoConfiguredOneBacksOff() {
		this.contextRunner.withBean("custom", RedisSanitizingFunction.class, RedisSanitizingFunction::new)
			.run((context) -> assertThat(context).getBeans(RedisSanitizingFunction.class).containsOnlyKeys("custom"));
	}

	@Test
	void whenActuatorIsAbsentThenNoFunctionIsDefined() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisSanitizingFunction.class));
	}

	private static void redisUrlVariable(ConfigurableEnvironment environment) {
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("REDIS_URL", "redis://app:" + PASSWORD + "@from-variable:6379/2");
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		new ResilientRedisEnvironmentPostProcessor((destination) -> destination.get())
			.postProcessEnvironment(environment, new SpringApplication());
	}

	private static String describe(EnvironmentEndpoint.EnvironmentDescriptor environment) {
		StringBuilder description = new StringBuilder();
		environment.getPropertySources()
			.forEach((source) -> source.getProperties()
				.forEach((name, value) -> description.append(source.getName())
					.append(' ')
					.append(name)
					.append('=')
					.append(value.getValue())
					.append(" (")
					.append(value.getOrigin())
					.append(")\n")));
		return description.toString();
	}

	private static String describe(ConfigurationPropertiesReportEndpoint.ConfigurationPropertiesDescriptor report) {
		StringBuilder description = new StringBuilder();
		report.getContexts()
			.forEach((id, context) -> context.getBeans()
				.forEach((name, bean) -> description.append(name)
					.append(' ')
					.append(bean.getProperties())
					.append(' ')
					.append(bean.getInputs())
					.append('\n')));
		return description.toString();
	}

}

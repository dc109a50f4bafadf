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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link InvalidRedisConfigurationFailureAnalyzer}: every bad setting fails at
 * startup with a message that names it, says what is wrong and gives a valid example, and
 * never shows a password.
 *
 * @author resilient-redis contributors
 */
class InvalidRedisConfigurationFailureAnalyzerTests {

	private static final String PASSWORD = "hunter2";

	private final InvalidRedisConfigurationFailureAnalyzer analyzer = new InvalidRedisConfigurationFailureAnalyzer();

	@ParameterizedTest(name = "{0} {1}=''{2}''")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
							variable | REDIS_URL                                 | ""                                       | REDIS_URL                                        | is empty
							variable | REDIS_URL                                 | " redis://host:6379"                     | REDIS_URL                                        | contains whitespace
							variable | REDIS_URL                                 | "redis://host:6379 "                     | REDIS_URL                                        | contains whitespace
							variable | REDIS_URL                                 | "redis://user:hun ter2@host"             | REDIS_URL                                        | contains whitespace
							variable | REDIS_URL                                 | http://user:hunter2@host:6379            | REDIS_URL                                        | scheme 'http'
							variable | REDIS_URL                                 | tcp://host:6379                          | REDIS_URL                                        | scheme 'tcp'
							variable | REDIS_URL                                 | localhost:6379                           | REDIS_URL                                        | scheme 'localhost'
							variable | REDIS_URL                                 | //host:6379                              | REDIS_URL                                        | has no scheme
							variable | REDIS_URL                                 | redis://                                 | REDIS_URL                                        | has no host
							variable | REDIS_URL                                 | redis://user:hunter2@:6379               | REDIS_URL                                        | has no host
							variable | REDIS_URL                                 | redis:host                               | REDIS_URL                                        | has no host
							variable | REDIS_URL                                 | redis://host:0                           | REDIS_URL                                        | port outside 1-65535
							variable | REDIS_URL                                 | redis://user:hunter2@host:65536          | REDIS_URL                                        | port outside 1-65535
							variable | REDIS_URL                                 | redis://host:99999999999                 | REDIS_URL                                        | port outside 1-65535
							variable | REDIS_URL                                 | redis://user:hunter2@host:abc            | REDIS_URL                                        | port that is not a number
							variable | REDIS_URL                                 | redis://host:                            | REDIS_URL                                        | port that is not a number
							variable | REDIS_URL                                 | redis://host:6379:6380                   | REDIS_URL                                        | not a valid host name
							variable | REDIS_URL                                 | redis://user:hunter2@redis_cache:6379    | REDIS_URL                                        | not a valid host name
					variable | REDIS_URL                                 | redis://-host:6379                       | REDIS_URL                                        | not a valid host name
					variable | REDIS_URL                                 | redis://user:hunter2@host/db1            | REDIS_URL                                        | database index
							variable | REDIS_URL                                 | redis://host/-1                          | REDIS_URL                                        | database index
							variable | REDIS_URL                                 | redis://host:6379?timeout=1              | REDIS_URL                                        | query or fragment
							variable | REDIS_URL                                 | redis://host:6379#main                   | REDIS_URL                                        | query or fragment
							variable | REDIS_URL                                 | redis://us%zzer:hunter2@host             | REDIS_URL                                        | user name or password
							variable | REDIS_URL                                 | redis://user:hunter2%@host               | REDIS_URL                                        | user name or password
							variable | REDIS_URL                                 | redis://user:hunter2@x@host              | REDIS_URL                                        | user name or password
							variable | REDIS_URL                                 | "redis://user:hunter2|x@host"            | REDIS_URL                                        | user name or password
							variable | REDIS_URL                                 | redis://[::1                             | REDIS_URL                                        | closing bracket
							variable | CACHE_SOCKET_TIMEOUT_MS                   | 2s                                       | CACHE_SOCKET_TIMEOUT_MS                          | must be a number
							variable | CACHE_SOCKET_TIMEOUT_MS                   | ""                                       | CACHE_SOCKET_TIMEOUT_MS                          | must be a number
							variable | CACHE_SOCKET_TIMEOUT_MS                   | -5                                       | CACHE_SOCKET_TIMEOUT_MS                          | greater than zero
							variable | CACHE_SOCKET_TIMEOUT_MS                   | 1e400                                    | CACHE_SOCKET_TIMEOUT_MS                          | at most 86400000
							variable | CACHE_SOCKET_CONNECT_TIMEOUT_MS           | 0                                        | CACHE_SOCKET_CONNECT_TIMEOUT_MS                  | greater than zero
							variable | CACHE_SOCKET_CONNECT_TIMEOUT_MS           | 0.5                                      | CACHE_SOCKET_CONNECT_TIMEOUT_MS                  | at least one millisecond
							variable | CACHE_HEALTH_CHECK_INTERVAL               | abc                                      | CACHE_HEALTH_CHECK_INTERVAL                      | must be a number
							variable | CACHE_HEALTH_CHECK_INTERVAL               | 0                                        | CACHE_HEALTH_CHECK_INTERVAL                      | greater than zero
							variable | CACHE_HEALTH_CHECK_INTERVAL               | 100000                                   | CACHE_HEALTH_CHECK_INTERVAL                      | at most 86400
							variable | CACHE_MAX_CONNECTIONS                     | 0                                        | CACHE_MAX_CONNECTIONS                            | from 1 to 10000
							variable | CACHE_MAX_CONNECTIONS                     | 2.5                                      | CACHE_MAX_CONNECTIONS                            | whole number
							variable | CACHE_MAX_CONNECTIONS                     | twenty                                   | CACHE_MAX_CONNECTIONS                            | must be a number
							variable | CACHE_MAX_RETRIES                         | 11                                       | CACHE_MAX_RETRIES                                | from 0 to 10
							variable | CACHE_MAX_RETRIES                         | -1                                       | CACHE_MAX_RETRIES                                | must not be negative
							variable | CACHE_RETRY_DELAY                         | 0                                        | CACHE_RETRY_DELAY                                | greater than zero
							variable | CACHE_RETRY_DELAY                         | 100ms                                    | CACHE_RETRY_DELAY                                | must be a number
							variable | REDIS_SSL_CERT_REQS                       | optional                                 | REDIS_SSL_CERT_REQS                              | 'required' or 'none'
							variable | CACHE_CIRCUIT_FAILURE_RATE_THRESHOLD      | 150                                      | CACHE_CIRCUIT_FAILURE_RATE_THRESHOLD             | percentage between 1 and 100
							variable | CACHE_CIRCUIT_SLIDING_WINDOW_SIZE         | 0                                        | CACHE_CIRCUIT_SLIDING_WINDOW_SIZE                | from 1 to 10000
							variable | CACHE_CIRCUIT_MINIMUM_CALLS               | x                                        | CACHE_CIRCUIT_MINIMUM_CALLS                      | must be a number
							variable | CACHE_CIRCUIT_SLOW_CALL_THRESHOLD_MS      | -1                                       | CACHE_CIRCUIT_SLOW_CALL_THRESHOLD_MS             | greater than zero
							variable | CACHE_CIRCUIT_WAIT_IN_OPEN_MS             | 0                                        | CACHE_CIRCUIT_WAIT_IN_OPEN_MS                    | greater than zero
							variable | CACHE_CIRCUIT_HALF_OPEN_CALLS             | 0                                        | CACHE_CIRCUIT_HALF_OPEN_CALLS                    | from 1 to 1000
							property | resilient.redis.url                       | ftp://user:hunter2@host                  | resilient.redis.url                              | scheme 'ftp'
							property | spring.data.redis.url                     | redis://user:hunter2@host:0              | spring.data.redis.url                            | port outside 1-65535
							property | spring.data.redis.url                     | REDIS://user:hunter2@host:6379           | spring.data.redis.url                            | lower case only
							property | spring.data.redis.url                     | redis-sentinel://:hunter2@s1,s2/0#cache  | spring.data.redis.url                            | Redis Sentinel URL
							property | spring.data.redis.url                     | redis://:hunter2@n1:7000,n2:7001         | spring.data.redis.url                            | Redis Cluster URL
							property | resilient.redis.connection.request-queue-size | 0                                    | resilient.redis.connection.request-queue-size    | at least 1
							property | resilient.redis.keep-alive.count          | 0                                        | resilient.redis.keep-alive.count                 | at least 1
							property | resilient.redis.keep-alive.tcp-user-timeout | -1s                                    | resilient.redis.keep-alive.tcp-user-timeout      | must not be negative
							property | resilient.redis.reconnect.min-delay       | 1s                                       | resilient.redis.reconnect.min-delay              | not be longer than resilient.redis.reconnect.max-delay
							property | resilient.redis.heartbeat.interval        | 0s                                       | resilient.redis.heartbeat.interval               | greater than zero
							property | resilient.redis.heartbeat.timeout         | -2s                                      | resilient.redis.heartbeat.timeout                | greater than zero
							property | resilient.redis.retry.max-retries         | 50                                       | resilient.redis.retry.max-retries                | from 0 to 10
							property | resilient.redis.retry.delay               | 0ms                                      | resilient.redis.retry.delay                      | greater than zero
							property | resilient.redis.retry.delay               | 5s                                       | resilient.redis.retry.delay                      | not be longer than resilient.redis.retry.max-delay
							property | resilient.redis.retry.budget              | 0s                                       | resilient.redis.retry.budget                     | greater than zero
							property | resilient.redis.circuit-breaker.name      | " "                                      | resilient.redis.circuit-breaker.name             | must not be empty
							property | resilient.redis.circuit-breaker.failure-rate-threshold | 0                           | resilient.redis.circuit-breaker.failure-rate-threshold | percentage
							property | resilient.redis.circuit-breaker.slow-call-rate-threshold | 101                       | resilient.redis.circuit-breaker.slow-call-rate-threshold | percentage
							property | resilient.redis.circuit-breaker.wait-duration-in-open-state | 0s                     | resilient.redis.circuit-breaker.wait-duration-in-open-state | greater than zero
							property | resilient.redis.circuit-breaker.permitted-number-of-calls-in-half-open-state | 0     | resilient.redis.circuit-breaker.permitted-number-of-calls-in-half-open-state | from 1 to 1000
							property | resilient.redis.cache.fallback.maximum-size | -1                                     | resilient.redis.cache.fallback.maximum-size      | must not be negative
							property | resilient.redis.cache.fallback.time-to-live | 0s                                     | resilient.redis.cache.fallback.time-to-live      | greater than zero
							property | resilient.redis.cache.journal.max-size    | 0                                        | resilient.redis.cache.journal.max-size           | at least 1
							property | resilient.redis.startup.wait-budget       | 0s                                       | resilient.redis.startup.wait-budget              | greater than zero
							property | resilient.redis.startup.wait-initial-delay | 10s                                     | resilient.redis.startup.wait-initial-delay       | not be longer than resilient.redis.startup.wait-max-delay
							""")
	void whenSettingIsInvalidThenFailureNamesItSaysWhyAndGivesAnExampleWithoutThePassword(String kind, String name,
			String value, String setting, String reason) {
		StandardEnvironment environment = environment(kind, name, value);
		InvalidRedisConfigurationException failure = failure(environment);
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis.getDescription()).startsWith("Invalid Redis configuration: ")
			.contains(setting)
			.contains(reason);
		assertThat(analysis.getAction()).contains(setting).contains("for example " + failure.getExample());
		assertThat(analysis.getDescription() + analysis.getAction() + failure.getMessage()).doesNotContain(PASSWORD);
		String example = failure.getExample();
		if (example.startsWith(name + "=")) {
			String exampleValue = example.substring(name.length() + 1);
			assertThatNoException().as("example %s", example)
				.isThrownBy(() -> start(environment(kind, name, exampleValue)));
		}
	}

	@Test
	void whenSslBundleDoesNotExistThenFailureNamesTheSetting() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
					DataRedisAutoConfiguration.class, SslAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.ssl.bundle=nope")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure().rootCause().isInstanceOf(InvalidRedisConfigurationException.class);
				FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).isEqualTo("Invalid Redis configuration: "
						+ "spring.data.redis.ssl.bundle names the SSL bundle 'nope', which is not defined under "
						+ "spring.ssl.bundle.");
				assertThat(analysis.getAction()).contains("spring.ssl.bundle.pem.redis");
			});
	}

	@Test
	void whenPropertyIsInvalidThenContextFailsWithTheAnalyzableException() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class))
			.withPropertyValues("resilient.redis.heartbeat.timeout=0s")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).isEqualTo("Invalid Redis configuration: "
						+ "resilient.redis.heartbeat.timeout must be greater than zero.");
			});
	}

	private static StandardEnvironment environment(String kind, String name, String value) {
		StandardEnvironment environment = new StandardEnvironment();
		Map<String, Object> variables = new LinkedHashMap<>();
		if (kind.equals("variable")) {
			variables.put(name, value);
		}
		else {
			environment.getPropertySources().addFirst(new MapPropertySource("application", Map.of(name, value)));
		}
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		return environment;
	}

	private static InvalidRedisConfigurationException failure(StandardEnvironment environment) {
		return assertThatExceptionOfType(InvalidRedisConfigurationException.class).isThrownBy(() -> start(environment))
			.actual();
	}

	/**
	 * Run what startup runs on the environment: the environment post-processor, then the
	 * binding and validation of the properties.
	 */
	private static void start(StandardEnvironment environment) {
		new ResilientRedisEnvironmentPostProcessor((destination) -> destination.get())
			.postProcessEnvironment(environment, new SpringApplication());
		Binder.get(environment)
			.bind("resilient.redis", Bindable.of(ResilientRedisProperties.class))
			.orElseGet(ResilientRedisProperties::new)
			.afterPropertiesSet();
	}

}

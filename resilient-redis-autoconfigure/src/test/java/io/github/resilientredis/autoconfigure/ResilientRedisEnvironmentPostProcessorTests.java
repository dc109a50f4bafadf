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

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ResilientRedisEnvironmentPostProcessor}: which value each setting
 * takes from the starter's defaults, the seed environment variables, the deprecated keys
 * and the keys the user sets.
 *
 * @author resilient-redis contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class ResilientRedisEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	private final Map<String, Object> variables = new LinkedHashMap<>();

	private final ResilientRedisEnvironmentPostProcessor postProcessor = new ResilientRedisEnvironmentPostProcessor(
			(destination) -> destination.get());

	ResilientRedisEnvironmentPostProcessorTests() {
		this.environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, this.variables));
		// As SpringApplication does, so that relaxed names resolve.
		ConfigurationPropertySources.attach(this.environment);
	}

	@Test
	void whenNothingIsSetThenStartersDefaultsAreSpringBootsValues() {
		postProcess();
		DataRedisProperties redis = bindSpringBoot();
		assertThat(redis.getTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(redis.getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(redis.getLettuce().getPool().getMaxActive()).isEqualTo(20);
		assertThat(redis.getLettuce().getPool().getMaxWait()).isEqualTo(Duration.ofSeconds(2));
		assertThat(redis.getLettuce().getCluster().getRefresh().getPeriod()).isEqualTo(Duration.ofSeconds(30));
		assertThat(redis.getLettuce().getReadFrom()).isNull();
		assertThat(redis.getUrl()).isNull();
		assertThat(bind().getRetry().getDelay()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void startersDefaultsHaveTheLowestPrecedence() {
		postProcess();
		assertThat(this.environment.getPropertySources().stream().reduce((first, second) -> second))
			.hasValueSatisfying((source) -> assertThat(source.getName())
				.isEqualTo(ResilientRedisEnvironmentPostProcessor.PROPERTY_SOURCE_NAME));
	}

	@Test
	void whenUserSetsSpringBootKeysThenTheyWinOverTheVariablesAndTheDefaults() {
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2500");
		this.variables.put("CACHE_SOCKET_CONNECT_TIMEOUT_MS", "1500");
		this.variables.put("CACHE_MAX_CONNECTIONS", "12");
		addApplicationProperties(Map.of("spring.data.redis.timeout", "300ms", "spring.data.redis.connect-timeout",
				"100ms", "spring.data.redis.lettuce.pool.max-active", "4",
				"spring.data.redis.lettuce.cluster.refresh.period", "5s"));
		postProcess();
		DataRedisProperties redis = bindSpringBoot();
		assertThat(redis.getTimeout()).isEqualTo(Duration.ofMillis(300));
		assertThat(redis.getConnectTimeout()).isEqualTo(Duration.ofMillis(100));
		assertThat(redis.getLettuce().getPool().getMaxActive()).isEqualTo(4);
		assertThat(redis.getLettuce().getCluster().getRefresh().getPeriod()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void whenUserSetsTheTimeoutThenAnExhaustedPoolWaitsAsLongAsACommand() {
		addApplicationProperties(Map.of("spring.data.redis.timeout", "300ms"));
		postProcess();
		assertThat(bindSpringBoot().getLettuce().getPool().getMaxWait()).isEqualTo(Duration.ofMillis(300));
	}

	@Test
	void whenUserSetsThePoolMaxWaitThenItWins() {
		addApplicationProperties(Map.of("spring.data.redis.lettuce.pool.max-wait", "-1ms"));
		postProcess();
		assertThat(bindSpringBoot().getLettuce().getPool().getMaxWait()).isEqualTo(Duration.ofMillis(-1));
	}

	@Test
	void whenSpringBootsOwnVariableIsSetThenItWinsOverTheSeedVariable() {
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2500");
		this.variables.put("SPRING_DATA_REDIS_TIMEOUT", "400ms");
		postProcess();
		assertThat(bindSpringBoot().getTimeout()).isEqualTo(Duration.ofMillis(400));
	}

	@Test
	void whenApplicationDefaultPropertiesSetSpringBootKeysThenTheyWin() {
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2500");
		this.environment.getPropertySources()
			.addLast(new MapPropertySource(DefaultPropertiesPropertySource.NAME,
					Map.of("spring.data.redis.timeout", "700ms")));
		postProcess();
		// What SpringApplication does once post-processing is done.
		DefaultPropertiesPropertySource.moveToEnd(this.environment);
		assertThat(bindSpringBoot().getTimeout()).isEqualTo(Duration.ofMillis(700));
		assertThat(bindSpringBoot().getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void whenResilientRedisIsDisabledThenSpringBootsDefaultsApplyAndRedisUrlStillDoes() {
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2500");
		this.variables.put("REDIS_URL", "redis://redis.internal:6390");
		addApplicationProperties(Map.of("resilient.redis.enabled", "false"));
		postProcess();
		DataRedisProperties redis = bindSpringBoot();
		assertThat(redis.getTimeout()).isNull();
		assertThat(redis.getLettuce().getPool().getMaxActive()).isEqualTo(8);
		assertThat(redis.getUrl()).isEqualTo("redis://redis.internal:6390");
	}

	@Test
	void whenSeedVariablesAreSetThenTheyBindWithTheirUnits() {
		this.variables.put("CACHE_SOCKET_CONNECT_TIMEOUT_MS", "1500");
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2500");
		this.variables.put("CACHE_HEALTH_CHECK_INTERVAL", "15");
		this.variables.put("CACHE_MAX_CONNECTIONS", "12");
		this.variables.put("CACHE_MAX_RETRIES", "4");
		this.variables.put("CACHE_RETRY_DELAY", "0.25");
		this.variables.put("REDIS_SSL_CERT_REQS", "NONE");
		postProcess();
		DataRedisProperties redis = bindSpringBoot();
		assertThat(redis.getConnectTimeout()).isEqualTo(Duration.ofMillis(1500));
		assertThat(redis.getTimeout()).isEqualTo(Duration.ofMillis(2500));
		assertThat(redis.getLettuce().getPool().getMaxActive()).isEqualTo(12);
		assertThat(redis.getLettuce().getPool().getMaxWait()).isEqualTo(Duration.ofMillis(2500));
		ResilientRedisProperties properties = bind();
		assertThat(properties.getHeartbeat().getInterval()).isEqualTo(Duration.ofSeconds(15));
		assertThat(properties.getRetry().getMaxRetries()).isEqualTo(4);
		assertThat(properties.getRetry().getDelay()).isEqualTo(Duration.ofMillis(250));
		assertThat(properties.getSsl().getCertReqs()).isEqualTo(ResilientRedisProperties.CertificateRequirement.NONE);
	}

	@Test
	@SuppressWarnings("unchecked")
	void whenSeedVariableIsSetThenItsOriginIsTheVariable() {
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2500");
		postProcess();
		PropertySource<?> source = this.environment.getPropertySources()
			.get(ResilientRedisEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
		assertThat(((OriginLookup<String>) source).getOrigin("spring.data.redis.timeout"))
			.hasToString("System Environment Property \"CACHE_SOCKET_TIMEOUT_MS\"");
	}

	@Test
	void whenCircuitVariablesAreSetThenTheyBind() {
		this.variables.put("CACHE_CIRCUIT_FAILURE_RATE_THRESHOLD", "25");
		this.variables.put("CACHE_CIRCUIT_SLIDING_WINDOW_SIZE", "50");
		this.variables.put("CACHE_CIRCUIT_MINIMUM_CALLS", "10");
		this.variables.put("CACHE_CIRCUIT_SLOW_CALL_THRESHOLD_MS", "800");
		this.variables.put("CACHE_CIRCUIT_WAIT_IN_OPEN_MS", "5000");
		this.variables.put("CACHE_CIRCUIT_HALF_OPEN_CALLS", "2");
		postProcess();
		ResilientRedisProperties.CircuitBreaker breaker = bind().getCircuitBreaker();
		assertThat(breaker.getFailureRateThreshold()).isEqualTo(25f);
		assertThat(breaker.getSlidingWindowSize()).isEqualTo(50);
		assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(10);
		assertThat(breaker.getSlowCallDurationThreshold()).isEqualTo(Duration.ofMillis(800));
		assertThat(breaker.getWaitDurationInOpenState()).isEqualTo(Duration.ofSeconds(5));
		assertThat(breaker.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(2);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					resilient.redis.connection.command-timeout      | 900ms             | spring.data.redis.timeout
					resilient.redis.connection.connect-timeout      | 300ms             | spring.data.redis.connect-timeout
					resilient.redis.connection.max-connections      | 7                 | spring.data.redis.lettuce.pool.max-active
					resilient.redis.read-from                       | replica-preferred | spring.data.redis.lettuce.read-from
					resilient.redis.cluster.topology-refresh-period | 5s                | spring.data.redis.lettuce.cluster.refresh.period
					""")
	void whenDeprecatedKeyIsSetThenItStillAppliesToSpringBootsKeyWithAWarning(String deprecated, String value,
			String replacement, CapturedOutput output) {
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2500");
		this.variables.put("CACHE_SOCKET_CONNECT_TIMEOUT_MS", "1500");
		this.variables.put("CACHE_MAX_CONNECTIONS", "12");
		addApplicationProperties(Map.of(deprecated, value));
		postProcess();
		assertThat(this.environment.getProperty(replacement)).isEqualTo(value);
		assertThat(ResilientRedisEnvironmentPostProcessor.DEPRECATED_KEYS).containsEntry(deprecated, replacement);
		assertThat(output).containsOnlyOnce("WARN")
			.contains("The property " + deprecated + " (from the application) is deprecated: set Spring Boot's "
					+ replacement + " instead");
	}

	@Test
	void whenDeprecatedKeyIsARelaxedEnvironmentVariableThenItStillApplies(CapturedOutput output) {
		this.variables.put("RESILIENT_REDIS_CONNECTION_COMMAND_TIMEOUT", "900ms");
		postProcess();
		assertThat(bindSpringBoot().getTimeout()).isEqualTo(Duration.ofMillis(900));
		assertThat(output).contains("The property resilient.redis.connection.command-timeout")
			.contains("RESILIENT_REDIS_CONNECTION_COMMAND_TIMEOUT")
			.contains("set Spring Boot's spring.data.redis.timeout instead");
	}

	@Test
	void whenDeprecatedKeyAndSpringBootsKeyAreBothSetThenSpringBootsWinsAndTheOtherIsReportedIgnored(
			CapturedOutput output) {
		addApplicationProperties(
				Map.of("resilient.redis.connection.command-timeout", "900ms", "spring.data.redis.timeout", "300ms"));
		postProcess();
		assertThat(bindSpringBoot().getTimeout()).isEqualTo(Duration.ofMillis(300));
		assertThat(output).contains("The deprecated property resilient.redis.connection.command-timeout "
				+ "(from the application) is ignored because spring.data.redis.timeout is set");
	}

	@Test
	void whenDeprecatedKeyAndVariableAreBothSetThenTheKeyWins() {
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2500");
		this.variables.put("REDIS_URL", "redis://from-variable:6379");
		addApplicationProperties(Map.of("resilient.redis.connection.command-timeout", "900ms", "resilient.redis.url",
				"redis://from-yaml:6379"));
		postProcess();
		assertThat(bindSpringBoot().getTimeout()).isEqualTo(Duration.ofMillis(900));
		assertThat(this.environment.getProperty("spring.data.redis.url")).isEqualTo("redis://from-yaml:6379");
	}

	@Test
	void whenNoDeprecatedKeyIsSetThenNothingIsWarned(CapturedOutput output) {
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2500");
		addApplicationProperties(Map.of("spring.data.redis.timeout", "300ms"));
		postProcess();
		assertThat(output).doesNotContain("WARN").doesNotContain("deprecated");
	}

	@Test
	void whenPostProcessedTwiceThenTheResultIsTheSame() {
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2500");
		postProcess();
		postProcess();
		assertThat(this.environment.getPropertySources()
			.stream()
			.filter((source) -> source.getName().equals(ResilientRedisEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)))
			.hasSize(1);
		assertThat(bindSpringBoot().getTimeout()).isEqualTo(Duration.ofMillis(2500));
	}

	@Test
	void whenRedisUrlIsSetThenSpringBootUsesIt() {
		this.variables.put("REDIS_URL", "redis://app:s3cret@redis.internal:6390/3");
		postProcess();
		assertThat(this.environment.getProperty("spring.data.redis.url"))
			.isEqualTo("redis://app:s3cret@redis.internal:6390/3");
		assertThat(bind().getUrl()).isEqualTo("redis://app:s3cret@redis.internal:6390/3");
	}

	@Test
	void whenRedisUrlIsASentinelUrlThenSpringBootUsesItsSentinelProperties() {
		this.variables.put("REDIS_URL", "redis-sentinel://app:s3cret@sentinel-1:26379,sentinel-2/2#cache");
		postProcess();
		assertThat(this.environment.getProperty("spring.data.redis.url")).isNull();
		assertThat(this.environment.getProperty("spring.data.redis.sentinel.master")).isEqualTo("cache");
		assertThat(this.environment.getProperty("spring.data.redis.sentinel.nodes"))
			.isEqualTo("sentinel-1:26379,sentinel-2:26379");
		assertThat(this.environment.getProperty("spring.data.redis.database")).isEqualTo("2");
		assertThat(this.environment.getProperty("spring.data.redis.username")).isEqualTo("app");
		assertThat(this.environment.getProperty("spring.data.redis.password")).isEqualTo("s3cret");
	}

	@Test
	void whenResilientUrlIsASentinelUrlThenSpringBootUsesItsSentinelProperties() {
		addApplicationProperties(
				Map.of("resilient.redis.url", "rediss-sentinel://:s3cret@sentinel-1,sentinel-2/1#cache"));
		postProcess();
		assertThat(this.environment.getProperty("spring.data.redis.sentinel.master")).isEqualTo("cache");
		assertThat(this.environment.getProperty("spring.data.redis.sentinel.nodes"))
			.isEqualTo("sentinel-1:26379,sentinel-2:26379");
		assertThat(this.environment.getProperty("spring.data.redis.ssl.enabled")).isEqualTo("true");
	}

	@Test
	void whenRedisUrlListsSeveralNodesThenSpringBootUsesThemAsClusterNodes() {
		this.variables.put("REDIS_URL", "rediss://:s3cret@node-1:7000,node-2:7001,node-3");
		postProcess();
		assertThat(this.environment.getProperty("spring.data.redis.url")).isNull();
		assertThat(this.environment.getProperty("spring.data.redis.cluster.nodes"))
			.isEqualTo("node-1:7000,node-2:7001,node-3:6379");
		assertThat(this.environment.getProperty("spring.data.redis.password")).isEqualTo("s3cret");
		assertThat(this.environment.getProperty("spring.data.redis.ssl.enabled")).isEqualTo("true");
	}

	@Test
	void whenSpringSentinelIsSetThenRedisUrlIsIgnored() {
		this.variables.put("REDIS_URL", "redis://node-1:7000,node-2:7001");
		addApplicationProperties(
				Map.of("spring.data.redis.sentinel.master", "cache", "spring.data.redis.sentinel.nodes", "s:1"));
		postProcess();
		assertThat(this.environment.getProperty("spring.data.redis.cluster.nodes")).isNull();
	}

	@Test
	void whenSpringHostIsSetThenRedisUrlIsIgnored() {
		this.variables.put("REDIS_URL", "redis://from-variable:6379");
		addApplicationProperties(Map.of("spring.data.redis.host", "from-spring"));
		postProcess();
		assertThat(this.environment.getProperty("spring.data.redis.url")).isNull();
	}

	@Test
	void whenSpringUrlIsSetThenItWinsOverRedisUrl() {
		this.variables.put("REDIS_URL", "redis://from-variable:6379");
		addApplicationProperties(Map.of("spring.data.redis.url", "redis://from-spring:6379"));
		postProcess();
		assertThat(this.environment.getProperty("spring.data.redis.url")).isEqualTo("redis://from-spring:6379");
	}

	@Test
	void whenSpringUrlIsASentinelUrlThenFailureSaysWhereItBelongsWithoutThePassword() {
		addApplicationProperties(
				Map.of("spring.data.redis.url", "redis-sentinel://app:hunter2@sentinel-1:26379,sentinel-2/2#cache"));
		assertThatExceptionOfType(InvalidRedisConfigurationException.class).isThrownBy(this::postProcess)
			.satisfies((ex) -> {
				FailureAnalysis analysis = new InvalidRedisConfigurationFailureAnalyzer().analyze(ex);
				assertThat(analysis.getDescription()).isEqualTo("Invalid Redis configuration: spring.data.redis.url "
						+ "is a Redis Sentinel URL, which Spring Boot's spring.data.redis.url does not accept: "
						+ "it takes the URL of one server.");
				assertThat(analysis.getAction()).contains("REDIS_URL or resilient.redis.url")
					.contains("spring.data.redis.sentinel.master=cache")
					.contains("spring.data.redis.sentinel.nodes=sentinel-1:26379,sentinel-2:26379")
					.contains("spring.data.redis.database=2")
					.contains("spring.data.redis.username=app")
					.contains("spring.data.redis.password=<password>");
				assertThat(analysis.getDescription() + analysis.getAction() + ex.getMessage())
					.doesNotContain("hunter2");
			});
	}

	@Test
	void whenSpringUrlIsAClusterUrlThenFailureSaysWhereItBelongsWithoutThePassword() {
		addApplicationProperties(Map.of("spring.data.redis.url", "redis://:hunter2@node-1:7000,node-2:7001"));
		assertThatExceptionOfType(InvalidRedisConfigurationException.class).isThrownBy(this::postProcess)
			.satisfies((ex) -> {
				FailureAnalysis analysis = new InvalidRedisConfigurationFailureAnalyzer().analyze(ex);
				assertThat(analysis.getDescription()).contains("spring.data.redis.url is a Redis Cluster URL");
				assertThat(analysis.getAction()).contains("REDIS_URL or resilient.redis.url")
					.contains("spring.data.redis.cluster.nodes=node-1:7000,node-2:7001");
				assertThat(analysis.getDescription() + analysis.getAction() + ex.getMessage())
					.doesNotContain("hunter2");
			});
	}

	@Test
	void whenSpringUrlIsAMalformedSentinelUrlThenFailureStillSaysWhereItBelongs() {
		addApplicationProperties(Map.of("spring.data.redis.url", "redis-sentinel://:hunter2@sentinel-1:26379"));
		assertThatExceptionOfType(InvalidRedisConfigurationException.class).isThrownBy(this::postProcess)
			.satisfies((ex) -> {
				assertThat(ex.getAction()).contains("REDIS_URL or resilient.redis.url")
					.contains("spring.data.redis.sentinel.master and spring.data.redis.sentinel.nodes");
				assertThat(ex.getAction() + ex.getMessage()).doesNotContain("hunter2");
			});
	}

	@Test
	void whenVariableIsNotANumberThenStartupFailsNamingTheVariable() {
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2s");
		assertThatExceptionOfType(InvalidRedisConfigurationException.class).isThrownBy(this::postProcess)
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).contains("CACHE_SOCKET_TIMEOUT_MS");
				assertThat(ex.getReason()).isEqualTo("must be a number");
				assertThat(ex.getExample()).isEqualTo("CACHE_SOCKET_TIMEOUT_MS=2000");
			});
	}

	@Test
	void whenTimeoutIsZeroThenStartupFails() {
		this.variables.put("CACHE_SOCKET_CONNECT_TIMEOUT_MS", "0");
		assertThatExceptionOfType(InvalidRedisConfigurationException.class).isThrownBy(this::postProcess)
			.withMessageContaining("must be greater than zero");
	}

	@Test
	void whenRetriesAreAboveTheBoundThenStartupFails() {
		this.variables.put("CACHE_MAX_RETRIES", "500");
		assertThatExceptionOfType(InvalidRedisConfigurationException.class).isThrownBy(this::postProcess)
			.withMessageContaining("from 0 to 10");
	}

	@Test
	void whenCertReqsIsUnknownThenStartupFails() {
		this.variables.put("REDIS_SSL_CERT_REQS", "optional");
		assertThatExceptionOfType(InvalidRedisConfigurationException.class).isThrownBy(this::postProcess)
			.withMessageContaining("'required' or 'none'");
	}

	@Test
	void whenRedisUrlIsMalformedThenFailureNamesTheVariableAndHidesThePassword() {
		this.variables.put("REDIS_URL", "redis://admin:hunter2@redis.internal:70000");
		assertThatExceptionOfType(InvalidRedisConfigurationException.class).isThrownBy(this::postProcess)
			.satisfies((ex) -> {
				FailureAnalysis analysis = new InvalidRedisConfigurationFailureAnalyzer().analyze(ex);
				assertThat(analysis.getDescription()).contains("REDIS_URL").contains("port outside 1-65535");
				assertThat(analysis.getAction()).contains("redis://user:password@redis.example.com:6379/0");
				assertThat(analysis.getDescription() + analysis.getAction() + ex.getMessage())
					.doesNotContain("hunter2");
			});
	}

	@Test
	void whenSpringUrlIsMalformedThenFailureHidesThePassword() {
		addApplicationProperties(Map.of("spring.data.redis.url", "http://admin:hunter2@redis.internal:6379"));
		assertThatExceptionOfType(InvalidRedisConfigurationException.class).isThrownBy(this::postProcess)
			.withMessageContaining("spring.data.redis.url")
			.withMessageNotContaining("hunter2");
	}

	private void addApplicationProperties(Map<String, Object> properties) {
		this.environment.getPropertySources().addFirst(new OriginTrackedApplicationProperties(properties));
	}

	private void postProcess() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
	}

	private ResilientRedisProperties bind() {
		return Binder.get(this.environment)
			.bind("resilient.redis", Bindable.of(ResilientRedisProperties.class))
			.orElseGet(ResilientRedisProperties::new);
	}

	private DataRedisProperties bindSpringBoot() {
		return Binder.get(this.environment).bind("spring.data.redis", DataRedisProperties.class).get();
	}

	/**
	 * Properties as if from {@code application.properties}, with an origin that says so.
	 */
	private static final class OriginTrackedApplicationProperties extends MapPropertySource
			implements OriginLookup<String> {

		OriginTrackedApplicationProperties(Map<String, Object> properties) {
			super("application", properties);
		}

		@Override
		public Origin getOrigin(String name) {
			return containsProperty(name) ? new DescribedOrigin("from the application") : null;
		}

	}

	private record DescribedOrigin(String description) implements Origin {

		@Override
		public String toString() {
			return this.description;
		}

	}

}

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

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ResilientRedisEnvironmentPostProcessor}.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	private final Map<String, Object> variables = new LinkedHashMap<>();

	private final ResilientRedisEnvironmentPostProcessor postProcessor = new ResilientRedisEnvironmentPostProcessor(
			(destination) -> destination.get());

	ResilientRedisEnvironmentPostProcessorTests() {
		this.environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, this.variables));
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
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application",
					Map.of("spring.data.redis.sentinel.master", "cache", "spring.data.redis.sentinel.nodes", "s:1")));
		postProcess();
		assertThat(this.environment.getProperty("spring.data.redis.cluster.nodes")).isNull();
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
		ResilientRedisProperties properties = bind();
		assertThat(properties.getConnection().getConnectTimeout()).isEqualTo(Duration.ofMillis(1500));
		assertThat(properties.getConnection().getCommandTimeout()).isEqualTo(Duration.ofMillis(2500));
		assertThat(properties.getHeartbeat().getInterval()).isEqualTo(Duration.ofSeconds(15));
		assertThat(properties.getConnection().getMaxConnections()).isEqualTo(12);
		assertThat(properties.getRetry().getMaxRetries()).isEqualTo(4);
		assertThat(properties.getRetry().getDelay()).isEqualTo(Duration.ofMillis(250));
		assertThat(properties.getSsl().getCertReqs()).isEqualTo(ResilientRedisProperties.CertificateRequirement.NONE);
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

	@Test
	void whenNoVariableIsSetThenDefaultsApply() {
		postProcess();
		ResilientRedisProperties properties = bind();
		assertThat(properties.getConnection().getCommandTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(properties.getRetry().getDelay()).isEqualTo(Duration.ofMillis(100));
		assertThat(this.environment.getProperty("spring.data.redis.url")).isNull();
	}

	@Test
	void whenPropertyIsSetExplicitlyThenItWinsOverTheVariable() {
		this.variables.put("CACHE_SOCKET_TIMEOUT_MS", "2500");
		this.variables.put("REDIS_URL", "redis://from-variable:6379");
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("resilient.redis.connection.command-timeout", "900ms",
					"resilient.redis.url", "redis://from-yaml:6379")));
		postProcess();
		assertThat(bind().getConnection().getCommandTimeout()).isEqualTo(Duration.ofMillis(900));
		assertThat(this.environment.getProperty("spring.data.redis.url")).isEqualTo("redis://from-yaml:6379");
	}

	@Test
	void whenSpringHostIsSetThenRedisUrlIsIgnored() {
		this.variables.put("REDIS_URL", "redis://from-variable:6379");
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("spring.data.redis.host", "from-spring")));
		postProcess();
		assertThat(this.environment.getProperty("spring.data.redis.url")).isNull();
	}

	@Test
	void whenSpringUrlIsSetThenItWinsOverRedisUrl() {
		this.variables.put("REDIS_URL", "redis://from-variable:6379");
		this.environment.getPropertySources()
			.addFirst(
					new MapPropertySource("application", Map.of("spring.data.redis.url", "redis://from-spring:6379")));
		postProcess();
		assertThat(this.environment.getProperty("spring.data.redis.url")).isEqualTo("redis://from-spring:6379");
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
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application",
					Map.of("spring.data.redis.url", "http://admin:hunter2@redis.internal:6379")));
		assertThatExceptionOfType(InvalidRedisConfigurationException.class).isThrownBy(this::postProcess)
			.withMessageContaining("spring.data.redis.url")
			.withMessageNotContaining("hunter2");
	}

	private void postProcess() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
	}

	private ResilientRedisProperties bind() {
		return Binder.get(this.environment)
			.bind("resilient.redis", Bindable.of(ResilientRedisProperties.class))
			.orElseGet(ResilientRedisProperties::new);
	}

}

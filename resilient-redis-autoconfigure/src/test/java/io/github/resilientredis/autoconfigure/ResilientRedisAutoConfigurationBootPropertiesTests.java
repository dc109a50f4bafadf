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
import java.util.Map;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.cluster.ClusterClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResilientRedisAutoConfiguration} with Spring Boot's own
 * {@code spring.data.redis.*} keys, the seed environment variables and the deprecated
 * {@code resilient.redis.*} keys: what reaches the Lettuce client Boot builds.
 *
 * @author resilient-redis contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class ResilientRedisAutoConfigurationBootPropertiesTests {

	private static final Map<String, Object> SEED_VARIABLES = Map.of("CACHE_SOCKET_TIMEOUT_MS", "2500",
			"CACHE_SOCKET_CONNECT_TIMEOUT_MS", "1500", "CACHE_MAX_CONNECTIONS", "12");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class));

	@Test
	void whenUserSetsSpringBootKeysThenTheyReachTheClientInsteadOfTheVariablesAndTheDefaults() {
		this.contextRunner.withInitializer(StartupEnvironment.withVariables(SEED_VARIABLES))
			.withPropertyValues("spring.data.redis.timeout=300ms", "spring.data.redis.connect-timeout=100ms",
					"spring.data.redis.lettuce.pool.max-active=4")
			.run((context) -> {
				assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(clientOptions(context).getSocketOptions().getConnectTimeout())
					.isEqualTo(Duration.ofMillis(100));
				var pool = ((LettucePoolingClientConfiguration) clientConfiguration(context)).getPoolConfig();
				assertThat(pool.getMaxTotal()).isEqualTo(4);
				assertThat(pool.getMaxWaitDuration()).isEqualTo(Duration.ofMillis(300));
			});
	}

	@Test
	void whenOnlySeedVariablesAreSetThenTheyReachTheClient() {
		this.contextRunner.withInitializer(StartupEnvironment.withVariables(SEED_VARIABLES)).run((context) -> {
			assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofMillis(2500));
			assertThat(clientOptions(context).getSocketOptions().getConnectTimeout())
				.isEqualTo(Duration.ofMillis(1500));
			assertThat(((LettucePoolingClientConfiguration) clientConfiguration(context)).getPoolConfig().getMaxTotal())
				.isEqualTo(12);
		});
	}

	@Test
	void whenStartersKeepAliveIsAppliedThenBootsConnectTimeoutIsKept() {
		this.contextRunner.withInitializer(StartupEnvironment.withoutVariables())
			.withPropertyValues("spring.data.redis.connect-timeout=700ms", "resilient.redis.keep-alive.idle=20s")
			.run((context) -> {
				assertThat(clientOptions(context).getSocketOptions().getConnectTimeout())
					.isEqualTo(Duration.ofMillis(700));
				assertThat(clientOptions(context).getSocketOptions().getKeepAlive().getIdle())
					.isEqualTo(Duration.ofSeconds(20));
			});
	}

	@Test
	void whenDeprecatedCommandTimeoutIsSetThenItReachesTheClientWithAWarning(CapturedOutput output) {
		this.contextRunner.withInitializer(StartupEnvironment.withVariables(SEED_VARIABLES))
			.withPropertyValues("resilient.redis.connection.command-timeout=900ms")
			.run((context) -> {
				assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofMillis(900));
				assertThat(output).contains("resilient.redis.connection.command-timeout")
					.contains("is deprecated: set Spring Boot's spring.data.redis.timeout instead");
			});
	}

	@Test
	void whenDeprecatedConnectTimeoutIsSetThenItReachesTheClientWithAWarning(CapturedOutput output) {
		this.contextRunner.withInitializer(StartupEnvironment.withVariables(SEED_VARIABLES))
			.withPropertyValues("resilient.redis.connection.connect-timeout=300ms")
			.run((context) -> {
				assertThat(clientOptions(context).getSocketOptions().getConnectTimeout())
					.isEqualTo(Duration.ofMillis(300));
				assertThat(output).contains("resilient.redis.connection.connect-timeout")
					.contains("is deprecated: set Spring Boot's spring.data.redis.connect-timeout instead");
			});
	}

	@Test
	void whenDeprecatedMaxConnectionsIsSetThenItBoundsThePoolWithAWarning(CapturedOutput output) {
		this.contextRunner.withInitializer(StartupEnvironment.withVariables(SEED_VARIABLES))
			.withPropertyValues("resilient.redis.connection.max-connections=7")
			.run((context) -> {
				assertThat(((LettucePoolingClientConfiguration) clientConfiguration(context)).getPoolConfig()
					.getMaxTotal()).isEqualTo(7);
				assertThat(output).contains("resilient.redis.connection.max-connections")
					.contains("is deprecated: set Spring Boot's spring.data.redis.lettuce.pool.max-active instead");
			});
	}

	@Test
	void whenDeprecatedReadFromIsSetThenReadsGoWhereItSaysWithAWarning(CapturedOutput output) {
		this.contextRunner.withInitializer(StartupEnvironment.withoutVariables())
			.withPropertyValues("spring.data.redis.masterreplica.nodes=127.0.0.1:1,127.0.0.1:2",
					"resilient.redis.read-from=replica-preferred")
			.run((context) -> {
				assertThat(clientConfiguration(context).getReadFrom()).contains(ReadFrom.REPLICA_PREFERRED);
				assertThat(output).contains("resilient.redis.read-from")
					.contains("is deprecated: set Spring Boot's spring.data.redis.lettuce.read-from instead");
			});
	}

	@Test
	void whenDeprecatedTopologyRefreshPeriodIsSetThenTheClusterRefreshesAtItWithAWarning(CapturedOutput output) {
		this.contextRunner.withInitializer(StartupEnvironment.withoutVariables())
			.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1,127.0.0.1:2",
					"resilient.redis.cluster.topology-refresh-period=5s")
			.run((context) -> {
				assertThat(
						((ClusterClientOptions) clientOptions(context)).getTopologyRefreshOptions().getRefreshPeriod())
					.isEqualTo(Duration.ofSeconds(5));
				assertThat(output).contains("resilient.redis.cluster.topology-refresh-period")
					.contains("is deprecated: set Spring Boot's spring.data.redis.lettuce.cluster.refresh.period");
			});
	}

	@Test
	void whenRedisUrlIsASentinelUrlThenTheConnectionFactoryUsesSentinel() {
		this.contextRunner
			.withInitializer(StartupEnvironment
				.withVariables(Map.of("REDIS_URL", "redis-sentinel://:s3cret@127.0.0.1:26379,127.0.0.1:26380/1#cache")))
			.run((context) -> {
				LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
				assertThat(factory.getSentinelConfiguration()).isNotNull();
				assertThat(factory.getSentinelConfiguration().getMaster().getName()).isEqualTo("cache");
				assertThat(factory.getSentinelConfiguration().getSentinels()).hasSize(2);
				assertThat(factory.getDatabase()).isEqualTo(1);
			});
	}

	@Test
	void whenSpringUrlIsASentinelUrlThenStartupFailsSayingWhereItBelongs() {
		this.contextRunner.withInitializer(StartupEnvironment.withoutVariables())
			.withPropertyValues("spring.data.redis.url=redis-sentinel://:hunter2@127.0.0.1:26379/1#cache")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new InvalidRedisConfigurationFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("spring.data.redis.url is a Redis Sentinel URL");
				assertThat(analysis.getAction()).contains("REDIS_URL or resilient.redis.url")
					.contains("spring.data.redis.sentinel.master=cache");
				assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("hunter2");
			});
	}

	private static LettuceClientConfiguration clientConfiguration(ApplicationContext context) {
		return context.getBean(LettuceConnectionFactory.class).getClientConfiguration();
	}

	private static ClientOptions clientOptions(ApplicationContext context) {
		return clientConfiguration(context).getClientOptions().orElseThrow();
	}

}

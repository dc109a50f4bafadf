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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilientredis.connection.ClusterTopologyRefreshOnTimeout;
import io.github.resilientredis.connection.HeartbeatNettyCustomizer;
import io.github.resilientredis.connection.ReadOnlyReplyNettyCustomizer;
import io.github.resilientredis.connection.RedisConnections;
import io.github.resilientredis.connection.RedisServerWatch;
import io.github.resilientredis.connection.RedisTransport;
import io.github.resilientredis.connection.SentinelMasterSwitchListener;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisErrorClassifier;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResilientRedisAutoConfiguration}.
 *
 * @author resilient-redis contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class ResilientRedisAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withInitializer(StartupEnvironment.withoutVariables());

	@Test
	void whenNothingIsConfiguredThenCommandsTimeOutAfterTwoSecondsInsteadOfSixty() {
		this.contextRunner.run((context) -> assertThat(clientConfiguration(context).getCommandTimeout())
			.isEqualTo(Duration.ofSeconds(2)));
	}

	@Test
	void whenNothingIsConfiguredThenCommandsAreRejectedWhileDisconnectedWithABoundedQueue() {
		this.contextRunner.run((context) -> {
			ClientOptions options = clientOptions(context);
			assertThat(options.getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.REJECT_COMMANDS);
			assertThat(options.getRequestQueueSize()).isEqualTo(10_000);
			assertThat(options.isAutoReconnect()).isTrue();
		});
	}

	@Test
	void whenNothingIsConfiguredThenSocketUsesSeedTimeoutsAndKeepAlive() {
		this.contextRunner.run((context) -> {
			SocketOptions socket = clientOptions(context).getSocketOptions();
			assertThat(socket.getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(socket.isKeepAlive()).isTrue();
			assertThat(socket.getKeepAlive().getIdle()).isEqualTo(Duration.ofSeconds(60));
			assertThat(socket.getKeepAlive().getInterval()).isEqualTo(Duration.ofSeconds(30));
			assertThat(socket.getKeepAlive().getCount()).isEqualTo(3);
		});
	}

	@Test
	void whenTransportSupportsItThenTcpUserTimeoutIsApplied() {
		this.contextRunner.withBean(RedisTransport.class, () -> RedisTransport.EPOLL).run((context) -> {
			SocketOptions socket = clientOptions(context).getSocketOptions();
			assertThat(socket.isEnableTcpUserTimeout()).isTrue();
			assertThat(socket.getTcpUserTimeout().getTcpUserTimeout()).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void whenTransportIsNioThenTcpUserTimeoutIsNotAppliedAndAWarningSaysWhatIsLost(CapturedOutput output) {
		this.contextRunner.withBean(RedisTransport.class, () -> RedisTransport.NIO).run((context) -> {
			assertThat(clientOptions(context).getSocketOptions().isEnableTcpUserTimeout()).isFalse();
			assertThat(output).contains("TCP_USER_TIMEOUT 30s cannot apply on the nio transport: ")
				.contains("io.netty:netty-transport-native-epoll with classifier linux-")
				.contains("is not dropped by the kernel after 30s; the heartbeat still detects it");
		});
	}

	@Test
	void whenTimeoutsAreSetThenTheyAreApplied() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.timeout=750ms", "spring.data.redis.connect-timeout=300ms",
					"resilient.redis.keep-alive.idle=20s", "resilient.redis.keep-alive.count=5")
			.run((context) -> {
				assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofMillis(750));
				SocketOptions socket = clientOptions(context).getSocketOptions();
				assertThat(socket.getConnectTimeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(socket.getKeepAlive().getIdle()).isEqualTo(Duration.ofSeconds(20));
				assertThat(socket.getKeepAlive().getCount()).isEqualTo(5);
			});
	}

	@Test
	void whenResilientRedisIsDisabledThenBootDefaultsApply() {
		this.contextRunner.withPropertyValues("resilient.redis.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ResilientClientOptionsCustomizer.class)
				.doesNotHaveBean(HeartbeatNettyCustomizer.class);
			assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofSeconds(60));
		});
	}

	@Test
	void whenNothingIsConfiguredThenOneRegistryOfConnectionsCarriesTheServerWatchTheHeartbeatAndTheReadOnlyReplyWatch() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HeartbeatNettyCustomizer.class)
				.hasSingleBean(RedisServerWatch.class)
				.hasSingleBean(ReadOnlyReplyNettyCustomizer.class)
				.hasSingleBean(RedisConnections.class);
			HeartbeatNettyCustomizer heartbeat = context.getBean(HeartbeatNettyCustomizer.class);
			assertThat(heartbeat.getInterval()).isEqualTo(Duration.ofSeconds(30));
			assertThat(context.getBean(ClientResources.class).nettyCustomizer())
				.isSameAs(context.getBean(RedisConnections.class));
			List<String> before = new EmbeddedChannel().pipeline().names();
			assertThat(pipelineOfANewConnection(context)).containsOnlyOnce("resilientRedis").hasSize(before.size() + 1);
		});
	}

	@Test
	void whenTheUserDefinesARedisServerWatchThenItIsUsed() {
		RedisServerWatch watch = new RedisServerWatch(() -> {
			throw new UnsupportedOperationException("not watched");
		}, (event) -> {
		});
		this.contextRunner.withBean("userWatch", RedisServerWatch.class, () -> watch).run((context) -> {
			assertThat(context).getBean(RedisServerWatch.class).isSameAs(watch);
			assertThat(context.getBean(ClientResources.class).nettyCustomizer())
				.isSameAs(context.getBean(RedisConnections.class));
		});
	}

	@Test
	void whenUserDefinesRedisConnectionsThenAutoConfiguredOneBacksOff() {
		RedisConnections custom = new RedisConnections(null, null, null);
		this.contextRunner.withBean("myConnections", RedisConnections.class, () -> custom).run((context) -> {
			assertThat(context).hasSingleBean(RedisConnections.class).hasBean("myConnections");
			assertThat(context.getBean(ClientResources.class).nettyCustomizer()).isSameAs(custom);
		});
	}

	@Test
	void whenHeartbeatIsDisabledThenNoHeartbeatIsInstalled() {
		this.contextRunner.withPropertyValues("resilient.redis.heartbeat.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(HeartbeatNettyCustomizer.class);
			EmbeddedChannel channel = new EmbeddedChannel();
			context.getBean(ClientResources.class).nettyCustomizer().afterChannelInitialized(channel);
			channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
			context.getBean(RedisConnections.class).checkNow();
			assertThat(channel.outboundMessages()).as("no heartbeat PING").isEmpty();
			channel.close();
		});
	}

	@Test
	void whenUserDefinesReadOnlyReplyWatchThenAutoConfiguredOneBacksOff() {
		ReadOnlyReplyNettyCustomizer custom = new ReadOnlyReplyNettyCustomizer(Duration.ofSeconds(5));
		this.contextRunner.withBean(ReadOnlyReplyNettyCustomizer.class, () -> custom).run((context) -> {
			assertThat(context).hasSingleBean(ReadOnlyReplyNettyCustomizer.class);
			assertThat(context.getBean(ReadOnlyReplyNettyCustomizer.class)).isSameAs(custom);
		});
	}

	private static List<String> pipelineOfANewConnection(ApplicationContext context) {
		EmbeddedChannel channel = new EmbeddedChannel();
		context.getBean(ClientResources.class).nettyCustomizer().afterChannelInitialized(channel);
		List<String> names = channel.pipeline().names();
		channel.close();
		return names;
	}

	@Test
	void whenNothingIsConfiguredThenCommandTimeoutsRefreshTheClusterTopology() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(ClusterTopologyRefreshOnTimeout.class));
	}

	@Test
	void whenAdaptiveRefreshIsDisabledThenCommandTimeoutsDoNotRefreshTheClusterTopology() {
		this.contextRunner.withPropertyValues("resilient.redis.cluster.adaptive-refresh=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterTopologyRefreshOnTimeout.class));
	}

	@Test
	void whenTheBreakerRecordsATimeoutThenTheClusterTopologyRefreshIsAskedFor() {
		AtomicInteger asked = new AtomicInteger();
		this.contextRunner.withBean("myRefresh", ClusterTopologyRefreshOnTimeout.class,
				() -> new ClusterTopologyRefreshOnTimeout(() -> {
					asked.incrementAndGet();
					return null;
				}, Duration.ZERO))
			.run((context) -> {
				assertThat(context).hasSingleBean(ClusterTopologyRefreshOnTimeout.class).hasBean("myRefresh");
				CircuitBreaker breaker = context.getBean(CircuitBreaker.class);
				breaker.onError(1, TimeUnit.MILLISECONDS, new RedisConnectionException("Connection refused"));
				assertThat(asked).hasValue(0);
				breaker.onError(1, TimeUnit.MILLISECONDS, new RedisCommandTimeoutException("Command timed out"));
				assertThat(asked).hasValue(1);
			});
	}

	@Test
	void whenNothingIsConfiguredThenTheSentinelMasterSwitchIsListenedTo() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SentinelMasterSwitchListener.class));
	}

	@Test
	void whenHeartbeatIsDisabledThenTheSentinelMasterSwitchIsStillListenedTo() {
		this.contextRunner.withPropertyValues("resilient.redis.heartbeat.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(SentinelMasterSwitchListener.class));
	}

	@Test
	void whenUserDefinesTheSentinelMasterSwitchListenerThenAutoConfiguredOneBacksOff() {
		this.contextRunner
			.withBean("myListener", SentinelMasterSwitchListener.class,
					() -> new SentinelMasterSwitchListener(() -> null, new RedisConnections(null, null, null)))
			.run((context) -> assertThat(context).hasSingleBean(SentinelMasterSwitchListener.class)
				.hasBean("myListener"));
	}

	@Test
	void whenUserDefinesHeartbeatThenAutoConfiguredOneBacksOff() {
		this.contextRunner.withUserConfiguration(CustomHeartbeatConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HeartbeatNettyCustomizer.class);
			assertThat(context.getBean(HeartbeatNettyCustomizer.class).getInterval()).isEqualTo(Duration.ofSeconds(5));
		});
	}

	@Test
	void whenUserDefinesCustomizersByNameThenAutoConfiguredOnesBackOff() {
		this.contextRunner.withUserConfiguration(CustomCustomizersConfiguration.class).run((context) -> {
			assertThat(context.getBean("resilientRedisClientOptionsCustomizer"))
				.isNotInstanceOf(ResilientClientOptionsCustomizer.class);
			assertThat(clientOptions(context).getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.DEFAULT);
		});
	}

	@Test
	void whenReconnectingThenDelaysAreJitteredWithinTheBounds() {
		this.contextRunner
			.withPropertyValues("resilient.redis.reconnect.min-delay=20ms", "resilient.redis.reconnect.max-delay=300ms")
			.run((context) -> {
				Delay delay = context.getBean(ClientResources.class).reconnectDelay();
				for (int attempt = 1; attempt <= 40; attempt++) {
					assertThat(delay.createDelay(attempt)).isBetween(Duration.ofMillis(20), Duration.ofMillis(300));
				}
				assertThat(java.util.stream.IntStream.range(0, 50).mapToObj((i) -> delay.createDelay(10)).distinct())
					.hasSizeGreaterThan(1);
			});
	}

	@Test
	void whenNothingIsConfiguredThenPoolIsBoundedAndWaitsNoLongerThanACommand() {
		this.contextRunner.run((context) -> {
			LettuceClientConfiguration configuration = clientConfiguration(context);
			assertThat(configuration).isInstanceOf(LettucePoolingClientConfiguration.class);
			var pool = ((LettucePoolingClientConfiguration) configuration).getPoolConfig();
			assertThat(pool.getMaxTotal()).isEqualTo(20);
			assertThat(pool.getMaxWaitDuration()).isEqualTo(Duration.ofSeconds(2));
		});
	}

	@Test
	void whenPoolIsDisabledThenSharedConnectionIsUsed() {
		this.contextRunner.withPropertyValues("spring.data.redis.lettuce.pool.enabled=false")
			.run((context) -> assertThat(clientConfiguration(context))
				.isNotInstanceOf(LettucePoolingClientConfiguration.class));
	}

	@Test
	void whenTlsUrlAndCertReqsNoneThenPeerIsNotVerified() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.url=rediss://localhost:6380", "resilient.redis.ssl.cert-reqs=none")
			.run((context) -> {
				LettuceClientConfiguration configuration = clientConfiguration(context);
				assertThat(configuration.isUseSsl()).isTrue();
				assertThat(configuration.getVerifyMode()).isEqualTo(SslVerifyMode.NONE);
			});
	}

	@Test
	void whenTlsUrlThenPeerIsVerifiedByDefault() {
		this.contextRunner.withPropertyValues("spring.data.redis.url=rediss://localhost:6380").run((context) -> {
			LettuceClientConfiguration configuration = clientConfiguration(context);
			assertThat(configuration.isUseSsl()).isTrue();
			assertThat(configuration.getVerifyMode()).isEqualTo(SslVerifyMode.FULL);
		});
	}

	@Test
	void whenPlainUrlAndCertReqsNoneThenTlsIsNotSwitchedOn() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.url=redis://localhost:6380", "resilient.redis.ssl.cert-reqs=none")
			.run((context) -> assertThat(clientConfiguration(context).isUseSsl()).isFalse());
	}

	@Test
	void whenWaitForRedisIsOffThenStartupDoesNotWait() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RedisStartupWaitPostProcessor.class));
	}

	@Test
	void whenWaitForRedisIsOnThenConnectionFactoryIsHeldBack() {
		this.contextRunner.withBean(LettuceConnectionFactory.class, () -> new LettuceConnectionFactory("localhost", 1))
			.withPropertyValues("resilient.redis.startup.wait-for-redis=true",
					"resilient.redis.startup.wait-budget=300ms", "resilient.redis.startup.wait-initial-delay=50ms")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(java.net.ConnectException.class)
					.rootCause()
					.isNotNull();
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(io.github.resilientredis.connection.RedisNotReadyException.class);
			});
	}

	@Test
	void whenNothingIsConfiguredThenExecutorSharesTheRedisBreaker() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RedisCommandExecutor.class).hasSingleBean(RedisErrorClassifier.class);
			CircuitBreaker breaker = context.getBean("redisCircuitBreaker", CircuitBreaker.class);
			assertThat(breaker.getName()).isEqualTo("redis");
			assertThat(breaker.getCircuitBreakerConfig().getMinimumNumberOfCalls()).isEqualTo(5);
		});
	}

	@Test
	void whenBreakerPropertiesAreSetThenTheBreakerUsesThem() {
		this.contextRunner
			.withPropertyValues("resilient.redis.circuit-breaker.name=cache",
					"resilient.redis.circuit-breaker.sliding-window-size=40",
					"resilient.redis.circuit-breaker.wait-duration-in-open-state=7s")
			.run((context) -> {
				CircuitBreaker breaker = context.getBean("redisCircuitBreaker", CircuitBreaker.class);
				assertThat(breaker.getName()).isEqualTo("cache");
				assertThat(breaker.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(40);
				assertThat(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1))
					.isEqualTo(7000L);
			});
	}

	@Test
	void whenResilience4jRegistriesExistThenBreakerAndRetryAreRegistered() {
		this.contextRunner.withBean(CircuitBreakerRegistry.class, CircuitBreakerRegistry::ofDefaults)
			.withBean(RetryRegistry.class, RetryRegistry::ofDefaults)
			.run((context) -> {
				assertThat(context.getBean(CircuitBreakerRegistry.class).find("redis"))
					.containsSame(context.getBean("redisCircuitBreaker", CircuitBreaker.class));
				assertThat(context.getBean(RetryRegistry.class).find("redis"))
					.containsSame(context.getBean("redisRetry", Retry.class));
			});
	}

	@Test
	void whenUserDefinesExecutorThenAutoConfiguredOneBacksOff() {
		this.contextRunner
			.withBean("myExecutor", RedisCommandExecutor.class,
					() -> new RedisCommandExecutor(CircuitBreaker.ofDefaults("mine"),
							Retry
								.of("mine",
										RedisCommandExecutor.retryConfig(1, Duration.ofMillis(10),
												Duration.ofMillis(20), Duration.ofSeconds(1))),
							new RedisErrorClassifier()))
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisCommandExecutor.class);
				assertThat(context).hasBean("myExecutor");
			});
	}

	private static LettuceClientConfiguration clientConfiguration(
			org.springframework.context.ApplicationContext context) {
		return context.getBean(LettuceConnectionFactory.class).getClientConfiguration();
	}

	private static ClientOptions clientOptions(org.springframework.context.ApplicationContext context) {
		return clientConfiguration(context).getClientOptions().orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomHeartbeatConfiguration {

		@Bean
		HeartbeatNettyCustomizer customHeartbeat() {
			return new HeartbeatNettyCustomizer(Duration.ofSeconds(5), Duration.ofSeconds(1));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomCustomizersConfiguration {

		@Bean
		org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer resilientRedisClientOptionsCustomizer() {
			return (builder) -> {
			};
		}

	}

}

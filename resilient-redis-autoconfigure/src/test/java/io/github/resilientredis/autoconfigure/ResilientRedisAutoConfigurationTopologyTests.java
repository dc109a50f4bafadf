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
import java.util.Iterator;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.models.role.RedisInstance;
import io.lettuce.core.models.role.RedisNodeDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResilientRedisAutoConfiguration} with Sentinel, Cluster and
 * master/replica configurations. Nothing connects: the client configuration Boot builds
 * is inspected.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisAutoConfigurationTopologyTests {

	private static final String CLUSTER_NODES = "spring.data.redis.cluster.nodes=127.0.0.1:1,127.0.0.1:2";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withInitializer(StartupEnvironment.withoutVariables());

	@Test
	void whenClusterIsConfiguredThenEveryNodeConnectionFailsFastWithKeepAlive() {
		this.contextRunner.withPropertyValues(CLUSTER_NODES).run((context) -> {
			ClientOptions options = clientOptions(context);
			assertThat(options).isInstanceOf(ClusterClientOptions.class);
			assertThat(options.getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.REJECT_COMMANDS);
			assertThat(options.getSocketOptions().getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(options.getSocketOptions().isKeepAlive()).isTrue();
			assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofSeconds(2));
		});
	}

	@Test
	void whenClusterIsConfiguredThenTopologyRefreshIsPeriodicAndAdaptive() {
		this.contextRunner.withPropertyValues(CLUSTER_NODES).run((context) -> {
			ClusterTopologyRefreshOptions refresh = topologyRefresh(context);
			assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
			assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(30));
			assertThat(refresh.getAdaptiveRefreshTriggers()).containsExactlyInAnyOrder(RefreshTrigger.values());
			assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(1));
			assertThat(refresh.useDynamicRefreshSources()).isTrue();
		});
	}

	@Test
	void whenBootsClusterRefreshIsConfiguredThenItIsKeptBesideTheAdaptiveRefresh() {
		this.contextRunner
			.withPropertyValues(CLUSTER_NODES, "spring.data.redis.lettuce.cluster.refresh.period=5s",
					"spring.data.redis.lettuce.cluster.refresh.dynamic-refresh-sources=false",
					"resilient.redis.cluster.adaptive-refresh-timeout=3s")
			.run((context) -> {
				ClusterTopologyRefreshOptions refresh = topologyRefresh(context);
				assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
				assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(5));
				assertThat(refresh.useDynamicRefreshSources()).isFalse();
				assertThat(refresh.getAdaptiveRefreshTriggers()).containsExactlyInAnyOrder(RefreshTrigger.values());
				assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void whenAdaptiveRefreshIsOffThenNoTriggerRefreshesTheTopology() {
		this.contextRunner.withPropertyValues(CLUSTER_NODES, "resilient.redis.cluster.adaptive-refresh=false")
			.run((context) -> {
				ClusterTopologyRefreshOptions refresh = topologyRefresh(context);
				assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
				assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	void whenSentinelIsConfiguredThenTheSameOptionsApplyToSentinelsAndMaster() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.sentinel.master=mymaster",
					"spring.data.redis.sentinel.nodes=127.0.0.1:26379")
			.run((context) -> {
				assertThat(context.getBean(LettuceConnectionFactory.class).getSentinelConfiguration()).isNotNull();
				ClientOptions options = clientOptions(context);
				assertThat(options).isNotInstanceOf(ClusterClientOptions.class);
				assertThat(options.getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.REJECT_COMMANDS);
				assertThat(options.getSocketOptions().isKeepAlive()).isTrue();
			});
	}

	@Test
	void whenBootsReadFromIsSetThenItApplies() {
		this.contextRunner.withPropertyValues(CLUSTER_NODES, "spring.data.redis.lettuce.read-from=any")
			.run((context) -> assertThat(clientConfiguration(context).getReadFrom()).contains(ReadFrom.ANY));
	}

	@Test
	void whenReadFromIsNotSetAnywhereThenReadsGoToTheMaster() {
		this.contextRunner.withPropertyValues(CLUSTER_NODES)
			.run((context) -> assertThat(clientConfiguration(context).getReadFrom()).isEmpty());
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "regex:replica-.*, replica-1, primary", "subnet:10.0.0.0/8, 10.1.2.3, 192.168.0.1" })
	void whenBootsReadFromSelectsByHostThenReadsGoToTheNodesItSelects(String readFrom, String selectedHost,
			String otherHost) {
		this.contextRunner
			.withPropertyValues("spring.data.redis.masterreplica.nodes=127.0.0.1:1,127.0.0.1:2",
					"spring.data.redis.lettuce.read-from=" + readFrom)
			.run((context) -> {
				ReadFrom configured = clientConfiguration(context).getReadFrom().orElseThrow();
				RedisNodeDescription other = node(otherHost, RedisInstance.Role.UPSTREAM);
				RedisNodeDescription selected = node(selectedHost, RedisInstance.Role.REPLICA);
				assertThat(configured.select(nodes(other, selected))).containsExactly(selected);
			});
	}

	private static ReadFrom.Nodes nodes(RedisNodeDescription... nodes) {
		return new ReadFrom.Nodes() {

			@Override
			public List<RedisNodeDescription> getNodes() {
				return List.of(nodes);
			}

			@Override
			public Iterator<RedisNodeDescription> iterator() {
				return getNodes().iterator();
			}

		};
	}

	private static RedisNodeDescription node(String host, RedisInstance.Role role) {
		return new RedisNodeDescription() {

			@Override
			public RedisURI getUri() {
				return RedisURI.create(host, 6379);
			}

			@Override
			public RedisInstance.Role getRole() {
				return role;
			}

		};
	}

	private static ClusterTopologyRefreshOptions topologyRefresh(ApplicationContext context) {
		return ((ClusterClientOptions) clientOptions(context)).getTopologyRefreshOptions();
	}

	private static LettuceClientConfiguration clientConfiguration(ApplicationContext context) {
		return context.getBean(LettuceConnectionFactory.class).getClientConfiguration();
	}

	private static ClientOptions clientOptions(ApplicationContext context) {
		return clientConfiguration(context).getClientOptions().orElseThrow();
	}

}

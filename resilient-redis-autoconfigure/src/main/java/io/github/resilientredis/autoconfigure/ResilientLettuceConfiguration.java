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

import io.github.resilientredis.connection.ClusterTopologyRefreshOnTimeout;
import io.github.resilientredis.connection.HeartbeatNettyCustomizer;
import io.github.resilientredis.connection.ReadOnlyReplyNettyCustomizer;
import io.github.resilientredis.connection.RedisConnections;
import io.github.resilientredis.connection.RedisServerWatch;
import io.github.resilientredis.connection.RedisTransport;
import io.github.resilientredis.connection.SentinelMasterSwitchListener;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Lettuce customizations, applied through Spring Boot's customizer beans so that Boot
 * still creates the connection factory.
 *
 * @author resilient-redis contributors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.data.redis.client-type", havingValue = "lettuce", matchIfMissing = true)
class ResilientLettuceConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisTransport redisTransport() {
		return RedisTransport.current();
	}

	@Bean
	@ConditionalOnMissingBean(name = "resilientRedisClientOptionsCustomizer")
	ResilientClientOptionsCustomizer resilientRedisClientOptionsCustomizer(ResilientRedisProperties properties,
			RedisTransport transport, ObjectProvider<DataRedisProperties> dataRedisProperties) {
		ResilientClientOptionsCustomizer customizer = new ResilientClientOptionsCustomizer(properties,
				dataRedisProperties.getIfAvailable(DataRedisProperties::new), transport);
		customizer.logTransport();
		return customizer;
	}

	@Bean
	@ConditionalOnMissingBean(name = "resilientRedisClientConfigurationCustomizer")
	ResilientClientConfigurationCustomizer resilientRedisClientConfigurationCustomizer(
			ResilientRedisProperties properties, ObjectProvider<DataRedisProperties> dataRedisProperties,
			ObjectProvider<DataRedisConnectionDetails> connectionDetails) {
		DataRedisProperties redis = dataRedisProperties.getIfAvailable(DataRedisProperties::new);
		return new ResilientClientConfigurationCustomizer(properties,
				sslInUse(redis, connectionDetails.getIfAvailable()));
	}

	@Bean
	@ConditionalOnMissingBean(name = "resilientRedisClientResourcesCustomizer")
	ResilientClientResourcesCustomizer resilientRedisClientResourcesCustomizer(ResilientRedisProperties properties,
			ObjectProvider<RedisConnections> connections) {
		return new ResilientClientResourcesCustomizer(properties.getReconnect(), connections.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	RedisConnections redisConnections(ObjectProvider<RedisServerWatch> serverWatch,
			ObjectProvider<HeartbeatNettyCustomizer> heartbeat,
			ObjectProvider<ReadOnlyReplyNettyCustomizer> readOnlyReply) {
		return new RedisConnections(serverWatch.getIfAvailable(), heartbeat.getIfAvailable(),
				readOnlyReply.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	RedisServerWatch redisServerWatch(ObjectProvider<RedisConnectionFactory> connectionFactory,
			ApplicationEventPublisher eventPublisher) {
		return new RedisServerWatch(() -> {
			RedisConnectionFactory factory = connectionFactory.getIfUnique();
			if (factory == null) {
				throw new UnsupportedOperationException("there is no single RedisConnectionFactory to read it from");
			}
			return factory;
		}, eventPublisher::publishEvent);
	}

	@Bean
	@ConditionalOnMissingBean
	ReadOnlyReplyNettyCustomizer redisReadOnlyReplyNettyCustomizer() {
		return new ReadOnlyReplyNettyCustomizer();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "resilient.redis.heartbeat.enabled", matchIfMissing = true)
	HeartbeatNettyCustomizer redisHeartbeatNettyCustomizer(ResilientRedisProperties properties,
			ObjectProvider<DataRedisProperties> dataRedisProperties) {
		ResilientRedisProperties.Heartbeat heartbeat = properties.getHeartbeat();
		Duration timeout = (heartbeat.getTimeout() != null) ? heartbeat.getTimeout() : ResilientClientOptionsCustomizer
			.commandTimeout(dataRedisProperties.getIfAvailable(DataRedisProperties::new));
		return new HeartbeatNettyCustomizer(heartbeat.getInterval(), timeout);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "resilient.redis.cluster.adaptive-refresh", matchIfMissing = true)
	ClusterTopologyRefreshOnTimeout redisClusterTopologyRefreshOnTimeout(ResilientRedisProperties properties,
			ObjectProvider<RedisConnectionFactory> connectionFactory) {
		// Looked up when a command times out: the connection factory is created later
		return new ClusterTopologyRefreshOnTimeout(
				() -> (connectionFactory.getIfAvailable() instanceof LettuceConnectionFactory lettuce)
						? lettuce.getNativeClient() : null,
				properties.getCluster().getAdaptiveRefreshTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	SentinelMasterSwitchListener redisSentinelMasterSwitchListener(RedisConnections connections,
			ObjectProvider<RedisConnectionFactory> connectionFactory) {
		return new SentinelMasterSwitchListener(connectionFactory::getIfAvailable, connections);
	}

	private static @Nullable SslBundle sslBundle(DataRedisProperties redis,
			DataRedisConnectionDetails connectionDetails) {
		try {
			return connectionDetails.getSslBundle();
		}
		catch (NoSuchSslBundleException ex) {
			String bundle = redis.getSsl().getBundle();
			if (bundle == null || !bundle.equals(ex.getBundleName())) {
				throw ex;
			}
			throw new InvalidRedisConfigurationException("spring.data.redis.ssl.bundle",
					"names the SSL bundle '" + bundle + "', which is not defined under spring.ssl.bundle",
					"spring.data.redis.ssl.bundle=redis with spring.ssl.bundle.pem.redis.truststore.certificate=classpath:redis-ca.pem");
		}
	}

	private static boolean sslInUse(DataRedisProperties redis, DataRedisConnectionDetails connectionDetails) {
		if (connectionDetails != null && sslBundle(redis, connectionDetails) != null) {
			return true;
		}
		String url = redis.getUrl();
		return redis.getSsl().isEnabled() || (url != null && url.regionMatches(true, 0, "rediss:", 0, 7));
	}

}

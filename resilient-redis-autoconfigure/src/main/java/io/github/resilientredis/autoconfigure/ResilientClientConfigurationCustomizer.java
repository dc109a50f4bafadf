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

import io.lettuce.core.ReadFrom;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration.LettucePoolingClientConfigurationBuilder;
import org.springframework.util.ClassUtils;

/**
 * Applies the command timeout, TLS peer verification, the connection bound and where
 * reads go to Boot's Lettuce client configuration.
 *
 * @author resilient-redis contributors
 */
class ResilientClientConfigurationCustomizer implements LettuceClientConfigurationBuilderCustomizer {

	private static final Log logger = LogFactory.getLog(ResilientClientConfigurationCustomizer.class);

	private static final boolean COMMONS_POOL2_PRESENT = ClassUtils
		.isPresent("org.apache.commons.pool2.impl.GenericObjectPoolConfig", null);

	private final ResilientRedisProperties properties;

	private final DataRedisProperties dataRedisProperties;

	private final boolean sslInUse;

	ResilientClientConfigurationCustomizer(ResilientRedisProperties properties, DataRedisProperties dataRedisProperties,
			boolean sslInUse) {
		this.properties = properties;
		this.dataRedisProperties = dataRedisProperties;
		this.sslInUse = sslInUse;
	}

	@Override
	public void customize(LettuceClientConfigurationBuilder builder) {
		builder.commandTimeout(this.properties.getConnection().getCommandTimeout());
		if (this.sslInUse
				&& this.properties.getSsl().getCertReqs() == ResilientRedisProperties.CertificateRequirement.NONE) {
			logger.warn("TLS peer verification is off (REDIS_SSL_CERT_REQS=none / resilient.redis.ssl.cert-reqs=none): "
					+ "traffic to Redis is encrypted but the server is not authenticated");
			builder.useSsl().verifyPeer(SslVerifyMode.NONE);
		}
		if (COMMONS_POOL2_PRESENT) {
			PoolBound.apply(builder, this.properties.getConnection(), this.dataRedisProperties.getLettuce().getPool());
		}
		ResilientRedisProperties.ReadFrom readFrom = this.properties.getReadFrom();
		if (readFrom != null) {
			builder.readFrom(readFrom(readFrom));
		}
	}

	static ReadFrom readFrom(ResilientRedisProperties.ReadFrom readFrom) {
		return switch (readFrom) {
			case UPSTREAM -> ReadFrom.UPSTREAM;
			case UPSTREAM_PREFERRED -> ReadFrom.UPSTREAM_PREFERRED;
			case REPLICA -> ReadFrom.REPLICA;
			case REPLICA_PREFERRED -> ReadFrom.REPLICA_PREFERRED;
			case LOWEST_LATENCY -> ReadFrom.LOWEST_LATENCY;
			case ANY -> ReadFrom.ANY;
			case ANY_REPLICA -> ReadFrom.ANY_REPLICA;
		};
	}

	/**
	 * Keeps commons-pool2 optional.
	 */
	private static final class PoolBound {

		static void apply(LettuceClientConfigurationBuilder builder, ResilientRedisProperties.Connection connection,
				DataRedisProperties.Pool pool) {
			int maxConnections = connection.getMaxConnections();
			if (builder instanceof LettucePoolingClientConfigurationBuilder pooling) {
				GenericObjectPoolConfig<StatefulConnection<?, ?>> config = new GenericObjectPoolConfig<>();
				config.setMaxTotal(maxConnections);
				config.setMaxIdle(Math.min(pool.getMaxIdle(), maxConnections));
				config.setMinIdle(Math.min(pool.getMinIdle(), maxConnections));
				if (pool.getTimeBetweenEvictionRuns() != null) {
					config.setTimeBetweenEvictionRuns(pool.getTimeBetweenEvictionRuns());
				}
				// An exhausted pool must not block a caller longer than a command may
				// take.
				config.setMaxWait((pool.getMaxWait() != null && !pool.getMaxWait().isNegative()) ? pool.getMaxWait()
						: connection.getCommandTimeout());
				pooling.poolConfig(config);
			}
		}

	}

}

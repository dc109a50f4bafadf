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

import io.lettuce.core.SslVerifyMode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;

/**
 * Applies TLS peer verification ({@code REDIS_SSL_CERT_REQS}) to Boot's Lettuce client
 * configuration. The command timeout, the pool and where reads go are Spring Boot's own
 * settings, to which the starter only contributes defaults
 * ({@link ResilientRedisEnvironmentPostProcessor}).
 *
 * @author resilient-redis contributors
 */
class ResilientClientConfigurationCustomizer implements LettuceClientConfigurationBuilderCustomizer {

	private static final Log logger = LogFactory.getLog(ResilientClientConfigurationCustomizer.class);

	private final ResilientRedisProperties properties;

	private final boolean sslInUse;

	ResilientClientConfigurationCustomizer(ResilientRedisProperties properties, boolean sslInUse) {
		this.properties = properties;
		this.sslInUse = sslInUse;
	}

	@Override
	public void customize(LettuceClientConfigurationBuilder builder) {
		if (this.sslInUse
				&& this.properties.getSsl().getCertReqs() == ResilientRedisProperties.CertificateRequirement.NONE) {
			logger.warn("TLS peer verification is off (REDIS_SSL_CERT_REQS=none / resilient.redis.ssl.cert-reqs=none): "
					+ "traffic to Redis is encrypted but the server is not authenticated");
			builder.useSsl().verifyPeer(SslVerifyMode.NONE);
		}
	}

}

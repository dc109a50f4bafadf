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

import io.lettuce.core.RedisClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} that tunes Spring Boot's Lettuce connection for failure: timeouts,
 * keep-alive, fail-fast while disconnected, a jittered reconnect, a heartbeat, TLS peer
 * verification, and an optional wait for Redis at startup.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ RedisClient.class, LettuceConnectionFactory.class })
@ConditionalOnBooleanProperty(name = "resilient.redis.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ResilientRedisProperties.class)
@Import({ ResilientLettuceConfiguration.class, RedisExecutionConfiguration.class, RedisStartupWaitConfiguration.class })
public final class ResilientRedisAutoConfiguration {

	ResilientRedisAutoConfiguration() {
	}

}

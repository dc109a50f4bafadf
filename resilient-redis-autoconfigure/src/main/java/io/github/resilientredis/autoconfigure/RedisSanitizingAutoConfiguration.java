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

import io.github.resilientredis.actuate.endpoint.RedisSanitizingFunction;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} that masks Redis passwords in the Actuator {@code env} and
 * {@code configprops} endpoints. It does not depend on {@code resilient.redis.enabled}:
 * the {@code REDIS_URL} mapping, and so the password it carries, is there either way.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class RedisSanitizingAutoConfiguration {

	RedisSanitizingAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	RedisSanitizingFunction redisSanitizingFunction() {
		return new RedisSanitizingFunction();
	}

}

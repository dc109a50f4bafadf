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

import io.github.resilientredis.connection.RedisStartupWait;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Opt-in wait for Redis at startup.
 *
 * @author resilient-redis contributors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "resilient.redis.startup.wait-for-redis")
class RedisStartupWaitConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static RedisStartupWaitPostProcessor redisStartupWaitPostProcessor(Environment environment) {
		// A BeanPostProcessor is created before configuration properties beans, so bind
		// directly.
		ResilientRedisProperties properties = Binder.get(environment)
			.bind("resilient.redis", Bindable.of(ResilientRedisProperties.class))
			.orElseGet(ResilientRedisProperties::new);
		ResilientRedisProperties.Startup startup = properties.getStartup();
		ResilientRedisPropertiesValidator.validate(startup);
		return new RedisStartupWaitPostProcessor(new RedisStartupWait(startup.getWaitBudget(),
				startup.getWaitInitialDelay(), startup.getWaitMaxDelay()));
	}

}

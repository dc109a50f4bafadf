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

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Holds back every {@link RedisConnectionFactory} until Redis answers, so that no bean
 * that depends on Redis is created before it is up.
 *
 * @author resilient-redis contributors
 */
class RedisStartupWaitPostProcessor implements BeanPostProcessor {

	private final RedisStartupWait startupWait;

	RedisStartupWaitPostProcessor(RedisStartupWait startupWait) {
		this.startupWait = startupWait;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof RedisConnectionFactory connectionFactory) {
			this.startupWait.await(connectionFactory, describe(connectionFactory));
		}
		return bean;
	}

	private static String describe(RedisConnectionFactory connectionFactory) {
		if (connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.getSentinelConfiguration() == null
				&& lettuce.getClusterConfiguration() == null) {
			return lettuce.getHostName() + ":" + lettuce.getPort();
		}
		return connectionFactory.getClass().getSimpleName();
	}

}

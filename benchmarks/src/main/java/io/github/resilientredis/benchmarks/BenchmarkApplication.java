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

package io.github.resilientredis.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.test.RedisServer;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Spring Boot applications the benchmarks measure: Boot's Redis auto-configuration,
 * with or without resilient-redis, connected to a {@link RedisServer}.
 *
 * @author resilient-redis contributors
 */
final class BenchmarkApplication {

	private BenchmarkApplication() {
	}

	/**
	 * Start an application connected to the given server.
	 * @param server the server
	 * @param resilient whether resilient-redis tunes the connection; {@code false} is
	 * plain Spring Boot
	 * @param dedicatedConnections whether every operation borrows a pooled connection
	 * instead of sharing the multiplexed one
	 * @return the running application context
	 */
	static ConfigurableApplicationContext start(RedisServer server, boolean resilient, boolean dedicatedConnections) {
		List<Class<?>> sources = new ArrayList<>();
		sources.add(resilient ? ResilientRedis.class : PlainBoot.class);
		List<String> properties = new ArrayList<>(List.of(server.springProperties()));
		properties.add("spring.main.banner-mode=off");
		properties.add("logging.level.root=WARN");
		if (!resilient) {
			// The starter's defaults for Spring Boot's keys come with its jar, not with
			// its
			// auto-configuration
			properties.add("resilient.redis.enabled=false");
		}
		if (dedicatedConnections) {
			sources.add(DedicatedConnections.class);
			properties.add("spring.data.redis.lettuce.pool.enabled=true");
		}
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class })
	static class ResilientRedis {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DataRedisAutoConfiguration.class)
	static class PlainBoot {

	}

	@Configuration(proxyBeanMethods = false)
	static class DedicatedConnections {

		// Without this, Spring Data Redis multiplexes plain commands over one shared
		// connection even when a pool is configured
		@Bean
		static BeanPostProcessor dedicatedConnectionsPostProcessor() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessBeforeInitialization(Object bean, String beanName) {
					if (bean instanceof LettuceConnectionFactory factory) {
						factory.setShareNativeConnection(false);
					}
					return bean;
				}

			};
		}

	}

}

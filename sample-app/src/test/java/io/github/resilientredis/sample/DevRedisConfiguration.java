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

package io.github.resilientredis.sample;

import java.util.Map;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Starts a Redis for development unless the application is told where Redis is, and
 * offers {@code /dev/redis/stop} and {@code /dev/redis/start} so that the status page can
 * break it.
 *
 * @author resilient-redis contributors
 */
@TestConfiguration(proxyBeanMethods = false)
@Conditional(DevRedisConfiguration.NoRedisConfiguredCondition.class)
class DevRedisConfiguration {

	@Bean(destroyMethod = "close")
	DevRedis devRedis() {
		return DevRedis.launch();
	}

	@Bean
	DataRedisConnectionDetails devRedisConnectionDetails(DevRedis devRedis) {
		return new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of(devRedis.host(), devRedis.port());
			}

		};
	}

	@Bean
	RouterFunction<ServerResponse> devRedisRoutes(DevRedis devRedis) {
		return RouterFunctions.route()
			.GET("/dev/redis", (request) -> describe(devRedis))
			.POST("/dev/redis/stop", (request) -> {
				devRedis.stop();
				return describe(devRedis);
			})
			.POST("/dev/redis/start", (request) -> {
				devRedis.start();
				return describe(devRedis);
			})
			.build();
	}

	private static ServerResponse describe(DevRedis devRedis) {
		return ServerResponse.ok()
			.body(Map.of("redis", devRedis.description(), "controllable", devRedis.isControllable()));
	}

	/**
	 * Matches when no setting says where Redis is.
	 */
	static class NoRedisConfiguredCondition implements Condition {

		private static final String[] SETTINGS = { "REDIS_URL", "resilient.redis.url", "spring.data.redis.url",
				"spring.data.redis.host", "spring.data.redis.sentinel.nodes", "spring.data.redis.cluster.nodes",
				"spring.data.redis.masterreplica.nodes" };

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Environment environment = context.getEnvironment();
			for (String setting : SETTINGS) {
				if (environment.containsProperty(setting)) {
					return false;
				}
			}
			return true;
		}

	}

}

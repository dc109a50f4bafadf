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

package io.github.resilientredis.autoconfigure.health;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Puts the {@code DEGRADED} status of the Redis health indicator into the default order
 * of health statuses, between {@code OUT_OF_SERVICE} and {@code UP}: an application whose
 * Redis cannot serve it but that serves from its fallback reports {@code DEGRADED}, with
 * HTTP 200 as for any status not mapped otherwise. The default is the lowest-precedence
 * property source, so that {@code management.endpoint.health.status.order} set anywhere
 * wins.
 *
 * @author resilient-redis contributors
 */
class RedisHealthStatusEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String STATUS_ORDER = "management.endpoint.health.status.order";

	static final String DEFAULT_ORDER = "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getProperty("resilient.redis.enabled", Boolean.class, true)
				&& !environment.containsProperty(STATUS_ORDER)) {
			DefaultPropertiesPropertySource.addOrMerge(Map.of(STATUS_ORDER, DEFAULT_ORDER),
					environment.getPropertySources());
		}
	}

}

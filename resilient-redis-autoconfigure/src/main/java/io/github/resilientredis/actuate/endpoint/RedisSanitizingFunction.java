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

package io.github.resilientredis.actuate.endpoint;

import java.util.List;

import io.github.resilientredis.execution.RedisRedaction;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * {@link SanitizingFunction} that keeps Redis credentials out of {@code /actuator/env}
 * and {@code /actuator/configprops} when they show values: it masks the password of every
 * Redis URL, whatever the key that holds it ({@code REDIS_URL},
 * {@code spring.data.redis.url}, {@code resilient.redis.url}, ...), and the whole value
 * of Redis password, secret and token settings such as
 * {@code spring.data.redis.password}.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisSanitizingFunction implements SanitizingFunction {

	private static final List<String> REDIS_KEY_PREFIXES = List.of("spring.data.redis.", "resilient.redis.",
			"spring_data_redis_", "resilient_redis_", "redis_");

	private static final List<String> SECRET_KEY_PARTS = List.of("password", "secret", "token");

	@Override
	public SanitizableData apply(SanitizableData data) {
		if (data.getValue() == null) {
			return data;
		}
		if (isRedisSecret(data.getLowerCaseKey())) {
			return data.withSanitizedValue();
		}
		if (data.getValue() instanceof CharSequence value) {
			String text = value.toString();
			String redacted = RedisRedaction.redact(text);
			return redacted.equals(text) ? data : data.withValue(redacted);
		}
		return data;
	}

	private static boolean isRedisSecret(String lowerCaseKey) {
		return REDIS_KEY_PREFIXES.stream().anyMatch(lowerCaseKey::startsWith)
				&& SECRET_KEY_PARTS.stream().anyMatch(lowerCaseKey::contains);
	}

}

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

package io.github.resilientredis.test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a client reaches one {@link RedisServer}: its Redis URL and the
 * {@code spring.data.redis.*} properties of a Spring Boot application, read from the
 * server each time, so that a restart with another password or TLS is picked up.
 *
 * @author resilient-redis contributors
 */
final class RedisConnectionProperties {

	private RedisConnectionProperties() {
	}

	static String url(RedisServer server) {
		StringBuilder url = new StringBuilder(server.isTls() ? "rediss://" : "redis://");
		String password = server.password();
		if (password != null) {
			String username = server.username();
			url.append((username != null) ? encode(username) : "").append(':').append(encode(password)).append('@');
		}
		return url.append(server.host()).append(':').append(server.port()).toString();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	static Map<String, String> spring(RedisServer server) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.host", server.host());
		properties.put("spring.data.redis.port", String.valueOf(server.port()));
		String username = server.username();
		if (username != null) {
			properties.put("spring.data.redis.username", username);
		}
		String password = server.password();
		if (password != null) {
			properties.put("spring.data.redis.password", password);
		}
		Path ca = server.caCertificate();
		if (server.isTls() && ca != null) {
			properties.put("spring.data.redis.ssl.enabled", "true");
			properties.put("spring.data.redis.ssl.bundle", RedisServer.SSL_BUNDLE);
			properties.put("spring.ssl.bundle.pem." + RedisServer.SSL_BUNDLE + ".truststore.certificate",
					ca.toUri().toString());
		}
		return properties;
	}

}

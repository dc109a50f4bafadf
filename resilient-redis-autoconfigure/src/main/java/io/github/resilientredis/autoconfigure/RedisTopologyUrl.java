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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Maps a Redis URL that names more than one server onto Spring Boot's
 * {@code spring.data.redis.*} properties, which Boot's own {@code spring.data.redis.url}
 * cannot express:
 * <ul>
 * <li>Lettuce's Sentinel form,
 * {@code redis-sentinel://[[user]:password@]host[:port][,host[:port]...][/database]#master}
 * ({@code rediss-sentinel://} for TLS, sentinel port 26379 by default), onto
 * {@code spring.data.redis.sentinel.master} and {@code .nodes};</li>
 * <li>a cluster, {@code redis://[[user]:password@]host:port,host:port[,...]} (two or more
 * nodes, {@code rediss://} for TLS), onto {@code spring.data.redis.cluster.nodes}.</li>
 * </ul>
 * Credentials go to {@code spring.data.redis.username} and {@code password}: they
 * authenticate to the data nodes. A failure names the setting and never the URL.
 *
 * @author resilient-redis contributors
 */
final class RedisTopologyUrl {

	static final String SENTINEL_EXAMPLE = "redis-sentinel://:password@sentinel-1:26379,sentinel-2:26379/0#mymaster";

	static final String CLUSTER_EXAMPLE = "redis://:password@node-1:6379,node-2:6379,node-3:6379";

	private static final int DEFAULT_SENTINEL_PORT = 26379;

	private static final int DEFAULT_PORT = 6379;

	private RedisTopologyUrl() {
	}

	/**
	 * Return the Spring Boot properties for a Sentinel or cluster URL.
	 * @param setting the name of the setting the URL came from, used in errors
	 * @param url the URL
	 * @return the properties, or {@code null} for a URL of a single server, which Boot
	 * handles as {@code spring.data.redis.url}
	 * @throws InvalidRedisConfigurationException if the URL is a Sentinel or cluster URL
	 * that cannot be used
	 */
	static @Nullable Map<String, String> springProperties(String setting, String url) {
		Kind kind = Kind.of(url);
		if (kind == null) {
			return null;
		}
		int schemeEnd = url.indexOf("://");
		String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
		boolean sentinel = kind == Kind.SENTINEL;
		String example = kind.example;
		if (url.chars().anyMatch(Character::isWhitespace)) {
			throw new InvalidRedisConfigurationException(setting, "contains whitespace", example);
		}
		// Reserved characters and broken escapes in the credentials fail here, with the
		// clear error, rather than when they are decoded.
		RedisUrlValidator.validateUserInfo(setting, url);
		Parts parts = Parts.parse(setting, url, schemeEnd, example);
		Map<String, String> properties = new LinkedHashMap<>();
		List<String> nodes = nodes(setting, parts.hosts(), sentinel ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT, example);
		if (sentinel) {
			if (!StringUtils.hasText(parts.fragment())) {
				throw new InvalidRedisConfigurationException(setting,
						"has no master name; add it after '#', as in the example", example);
			}
			properties.put("spring.data.redis.sentinel.master", parts.fragment());
			properties.put("spring.data.redis.sentinel.nodes", String.join(",", nodes));
		}
		else {
			if (parts.fragment() != null) {
				throw new InvalidRedisConfigurationException(setting, "has a fragment, which Redis URLs do not support",
						example);
			}
			if (parts.database() != null && !parts.database().equals("0")) {
				throw new InvalidRedisConfigurationException(setting,
						"lists several nodes, which makes it a cluster, and a cluster has only database 0", example);
			}
			properties.put("spring.data.redis.cluster.nodes", String.join(",", nodes));
		}
		if (parts.database() != null) {
			properties.put("spring.data.redis.database", parts.database());
		}
		credentials(parts.userInfo(), properties);
		if (scheme.startsWith("rediss")) {
			properties.put("spring.data.redis.ssl.enabled", "true");
		}
		return properties;
	}

	/**
	 * Reject a Sentinel or cluster URL in a setting that takes the URL of one server, as
	 * Spring Boot's {@code spring.data.redis.url} does, with an action that says where it
	 * belongs and which Spring Boot properties say the same. The password is never shown.
	 * @param setting the name of the setting the URL came from, used in the error
	 * @param url the URL
	 * @throws InvalidRedisConfigurationException if the URL is a Sentinel or cluster URL
	 */
	static void rejectInSpringBootUrl(String setting, String url) {
		Kind kind = Kind.of(url);
		if (kind == null) {
			return;
		}
		String equivalent;
		try {
			Map<String, String> properties = springProperties(setting, url);
			Assert.state(properties != null, "A Sentinel or cluster URL has properties");
			equivalent = properties.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + "="
						+ (entry.getKey().equals("spring.data.redis.password") ? "<password>" : entry.getValue()))
				.collect(Collectors.joining(", "));
		}
		catch (InvalidRedisConfigurationException ex) {
			equivalent = (kind == Kind.SENTINEL)
					? "spring.data.redis.sentinel.master and spring.data.redis.sentinel.nodes"
					: "spring.data.redis.cluster.nodes";
		}
		String example = "REDIS_URL=" + kind.example;
		throw new InvalidRedisConfigurationException(setting,
				"is " + kind.description + ", which Spring Boot's spring.data.redis.url does not accept: "
						+ "it takes the URL of one server",
				example, "Set the URL as REDIS_URL or resilient.redis.url, which accept it, for example " + example
						+ "; or replace " + setting + " with Spring Boot's own properties: " + equivalent + ".");
	}

	private static String authority(String url, int schemeEnd) {
		String rest = url.substring(schemeEnd + 3);
		int end = firstIndexOf(rest, '/', '?', '#');
		return (end < 0) ? rest : rest.substring(0, end);
	}

	private static int firstIndexOf(String value, char... characters) {
		int first = -1;
		for (char character : characters) {
			int index = value.indexOf(character);
			if (index >= 0 && (first < 0 || index < first)) {
				first = index;
			}
		}
		return first;
	}

	private static List<String> nodes(String setting, String hosts, int defaultPort, String example) {
		List<String> nodes = new ArrayList<>();
		for (String node : hosts.split(",", -1)) {
			String host = node;
			String port = null;
			int portSeparator = node.lastIndexOf(':');
			if (portSeparator >= 0 && portSeparator > node.lastIndexOf(']')) {
				host = node.substring(0, portSeparator);
				port = node.substring(portSeparator + 1);
			}
			if (host.isEmpty() || host.equals("[]")) {
				throw new InvalidRedisConfigurationException(setting, "has a node without a host", example);
			}
			if (port != null && (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
					|| Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
				throw new InvalidRedisConfigurationException(setting,
						"has a node whose port is not a number from 1 to 65535", example);
			}
			nodes.add(host + ":" + ((port != null) ? port : defaultPort));
		}
		return nodes;
	}

	private static void credentials(@Nullable String userInfo, Map<String, String> properties) {
		if (userInfo == null) {
			return;
		}
		int colon = userInfo.indexOf(':');
		String username = (colon >= 0) ? userInfo.substring(0, colon) : null;
		String password = (colon >= 0) ? userInfo.substring(colon + 1) : userInfo;
		if (StringUtils.hasLength(username)) {
			properties.put("spring.data.redis.username", StringUtils.uriDecode(username, StandardCharsets.UTF_8));
		}
		if (!password.isEmpty()) {
			properties.put("spring.data.redis.password", StringUtils.uriDecode(password, StandardCharsets.UTF_8));
		}
	}

	/**
	 * The kinds of URL that name more than one server.
	 */
	private enum Kind {

		SENTINEL("a Redis Sentinel URL", SENTINEL_EXAMPLE),

		CLUSTER("a Redis Cluster URL (it lists several nodes)", CLUSTER_EXAMPLE);

		private final String description;

		private final String example;

		Kind(String description, String example) {
			this.description = description;
			this.example = example;
		}

		static @Nullable Kind of(String url) {
			int schemeEnd = url.indexOf("://");
			if (schemeEnd < 0) {
				return null;
			}
			String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
			if (scheme.equals("redis-sentinel") || scheme.equals("rediss-sentinel")) {
				return SENTINEL;
			}
			boolean plain = scheme.equals("redis") || scheme.equals("rediss");
			return (plain && authority(url, schemeEnd).contains(",")) ? CLUSTER : null;
		}

	}

	/**
	 * The pieces of a URL with several hosts, which {@link java.net.URI} cannot parse.
	 *
	 * @param userInfo the raw user information, or {@code null}
	 * @param hosts the comma-separated hosts with their ports
	 * @param database the database index, or {@code null}
	 * @param fragment the fragment, or {@code null}
	 */
	private record Parts(@Nullable String userInfo, String hosts, @Nullable String database,
			@Nullable String fragment) {

		static Parts parse(String setting, String url, int schemeEnd, String example) {
			String rest = url.substring(schemeEnd + 3);
			String fragment = null;
			int hash = rest.indexOf('#');
			if (hash >= 0) {
				fragment = rest.substring(hash + 1);
				rest = rest.substring(0, hash);
			}
			if (rest.indexOf('?') >= 0) {
				throw new InvalidRedisConfigurationException(setting,
						"has a query, which is not supported; put the master name after '#'", example);
			}
			String database = null;
			int slash = rest.indexOf('/');
			if (slash >= 0) {
				database = rest.substring(slash + 1);
				rest = rest.substring(0, slash);
				if (database.isEmpty()) {
					database = null;
				}
				else if (database.length() > 9 || !database.chars().allMatch(Character::isDigit)) {
					throw new InvalidRedisConfigurationException(setting,
							"has a database index that is not a non-negative number", example);
				}
			}
			String userInfo = null;
			int at = rest.lastIndexOf('@');
			if (at >= 0) {
				userInfo = rest.substring(0, at);
				rest = rest.substring(at + 1);
			}
			if (rest.isEmpty()) {
				throw new InvalidRedisConfigurationException(setting, "has no host", example);
			}
			return new Parts(userInfo, rest, database, fragment);
		}

	}

}

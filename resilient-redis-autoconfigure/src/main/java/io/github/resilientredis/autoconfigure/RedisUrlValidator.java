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

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Checks a Redis URL before Spring Boot parses it, so that a bad URL fails with a message
 * that names the setting and never echoes a password.
 *
 * @author resilient-redis contributors
 */
final class RedisUrlValidator {

	static final String EXAMPLE = "redis://user:password@redis.example.com:6379/0 (or rediss://... for TLS)";

	private static final int DEFAULT_PORT = 6379;

	private RedisUrlValidator() {
	}

	/**
	 * Validate the given URL.
	 * @param setting the name of the setting the URL came from, used in the error
	 * @param url the URL
	 * @throws InvalidRedisConfigurationException if the URL is not a usable Redis URL
	 */
	static void validate(String setting, String url) {
		if (url.isBlank()) {
			throw invalid(setting, "is empty");
		}
		if (!url.strip().equals(url) || url.chars().anyMatch(Character::isWhitespace)) {
			throw invalid(setting, "contains whitespace");
		}
		validateUserInfo(setting, url);
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			if (ex.getReason().startsWith("Expected authority")) {
				throw invalid(setting, "has no host");
			}
			throw invalid(setting, "is not a valid URL (" + describe(ex) + ")");
		}
		String scheme = uri.getScheme();
		if (scheme == null) {
			throw invalid(setting, "has no scheme; it must start with redis:// or rediss://");
		}
		String lowerScheme = scheme.toLowerCase(Locale.ROOT);
		if (!lowerScheme.equals("redis") && !lowerScheme.equals("rediss")) {
			throw invalid(setting, "has the scheme '" + scheme + "'; it must be redis or rediss");
		}
		String authority = uri.getRawAuthority();
		if (authority == null || authority.isEmpty()) {
			throw invalid(setting, "has no host");
		}
		String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
		validateHostAndPort(setting, hostAndPort);
		if (uri.getHost() == null) {
			throw invalidHost(setting);
		}
		validateDatabase(setting, uri.getRawPath());
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw invalid(setting, "has a query or fragment, which Redis URLs do not support");
		}
	}

	/**
	 * Return the given valid URL as Spring Boot's URL handling requires it: with the
	 * scheme in lower case and the default port 6379 made explicit when it has none.
	 * @param url a URL that passed {@link #validate(String, String)}
	 * @return the URL with a port
	 */
	static String withDefaultPort(String url) {
		// Spring Boot accepts the scheme in lower case only.
		int schemeEnd = url.indexOf(':');
		url = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT) + url.substring(schemeEnd);
		URI uri = URI.create(url);
		if (uri.getPort() != -1) {
			return url;
		}
		String authority = uri.getRawAuthority();
		// The authority follows "scheme://"; searching for it could match inside the
		// scheme, as in redis://redis.
		int authorityEnd = url.indexOf("//") + 2 + authority.length();
		return url.substring(0, authorityEnd) + ":" + DEFAULT_PORT + url.substring(authorityEnd);
	}

	/**
	 * Validate a URL that Spring Boot parses itself, which accepts only a lower-case
	 * scheme and, when it fails, puts the whole URL with its password in the error.
	 * @param setting the name of the setting the URL came from, used in the error
	 * @param url the URL
	 * @throws InvalidRedisConfigurationException if the URL is not a usable Redis URL
	 */
	static void validateForSpringBoot(String setting, String url) {
		validate(setting, url);
		String scheme = url.substring(0, url.indexOf(':'));
		if (!scheme.equals("redis") && !scheme.equals("rediss")) {
			throw invalid(setting, "has the scheme '" + scheme + "'; Spring Boot accepts it in lower case only");
		}
	}

	/**
	 * Validate the user info ({@code user:password}) of the given URL, if it has one:
	 * reserved characters in it must be percent-encoded.
	 * @param setting the name of the setting the URL came from, used in the error
	 * @param url the URL
	 * @throws InvalidRedisConfigurationException if the user info is not valid URL syntax
	 */
	static void validateUserInfo(String setting, String url) {
		int authorityStart = url.indexOf("://");
		if (authorityStart < 0) {
			return;
		}
		authorityStart += 3;
		int authorityEnd = authorityStart;
		while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
			authorityEnd++;
		}
		int at = url.lastIndexOf('@', authorityEnd - 1);
		if (at < authorityStart) {
			return;
		}
		String userInfo = url.substring(authorityStart, at);
		for (int i = 0; i < userInfo.length(); i++) {
			char c = userInfo.charAt(i);
			if (c == '%') {
				if (i + 2 >= userInfo.length() || !HexFormat.isHexDigit(userInfo.charAt(i + 1))
						|| !HexFormat.isHexDigit(userInfo.charAt(i + 2))) {
					throw invalidUserInfo(setting);
				}
				i += 2;
			}
			else if (!isUserInfoCharacter(c)) {
				throw invalidUserInfo(setting);
			}
		}
	}

	/**
	 * Validate a {@code host[:port]} or {@code [ipv6][:port]} pair.
	 * @param setting the name of the setting the pair came from, used in the error
	 * @param hostAndPort the host and optional port
	 * @throws InvalidRedisConfigurationException if the host or the port is not valid
	 */
	static void validateHostAndPort(String setting, String hostAndPort) {
		String host;
		String port = null;
		if (hostAndPort.startsWith("[")) {
			int end = hostAndPort.indexOf(']');
			if (end < 0) {
				throw invalid(setting, "has an IPv6 host without a closing ']'");
			}
			host = hostAndPort.substring(1, end);
			String rest = hostAndPort.substring(end + 1);
			if (!rest.isEmpty()) {
				if (!rest.startsWith(":")) {
					throw invalid(setting, "has unexpected characters after the IPv6 host");
				}
				port = rest.substring(1);
			}
		}
		else {
			int colon = hostAndPort.lastIndexOf(':');
			host = (colon < 0) ? hostAndPort : hostAndPort.substring(0, colon);
			port = (colon < 0) ? null : hostAndPort.substring(colon + 1);
		}
		if (host.isEmpty()) {
			throw invalid(setting, "has no host");
		}
		if (!hostAndPort.startsWith("[") && !host.chars().allMatch(RedisUrlValidator::isHostCharacter)) {
			throw invalidHost(setting);
		}
		if (port != null) {
			if (port.isEmpty() || !port.chars().allMatch(Character::isDigit)) {
				throw invalid(setting, "has a port that is not a number");
			}
			if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
				throw invalid(setting, "has a port outside 1-65535");
			}
		}
	}

	private static void validateDatabase(String setting, String path) {
		if (path == null || path.isEmpty() || path.equals("/")) {
			return;
		}
		String database = path.substring(1);
		if (!database.chars().allMatch(Character::isDigit) || database.length() > 9) {
			throw invalid(setting, "has a database index that is not a non-negative number");
		}
	}

	private static boolean isUserInfoCharacter(char c) {
		return isHostCharacter(c) || "_~!$&'()*+,;=:".indexOf(c) >= 0;
	}

	private static boolean isHostCharacter(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
	}

	private static InvalidRedisConfigurationException invalidHost(String setting) {
		// Java's URI, which Spring Boot and Lettuce parse the URL with, finds no host in
		// names with '_' or labels that start or end with '-'.
		return invalid(setting,
				"has a host that is not a valid host name or IP address (letters, digits, " + "'-' and '.', no '_')");
	}

	private static InvalidRedisConfigurationException invalidUserInfo(String setting) {
		return invalid(setting, "has a user name or password that is not valid in a URL; percent-encode "
				+ "reserved characters in it, for example '@' as %40, ':' in the user name as %3A and '%' as %25");
	}

	private static String describe(URISyntaxException ex) {
		// The reason alone: the input, which may hold a password, is left out.
		return ex.getReason() + " at index " + ex.getIndex();
	}

	private static InvalidRedisConfigurationException invalid(String setting, String reason) {
		return new InvalidRedisConfigurationException(setting, reason, EXAMPLE);
	}

}

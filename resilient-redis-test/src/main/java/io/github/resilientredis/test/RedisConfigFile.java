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

import java.nio.file.Path;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Renders the {@code redis.conf} of a test server: no persistence, the requested
 * authentication, TLS and directives, and a control user that test code uses to inject
 * faults whatever the users under test may do.
 *
 * @author resilient-redis contributors
 */
final class RedisConfigFile {

	static final String CONTROL_USER = "rrt-control";

	private final StringBuilder content = new StringBuilder();

	/**
	 * Render a configuration.
	 * @param launch the settings of the server
	 * @param bind the addresses to bind, as written after {@code bind}
	 * @param port the port clients use
	 * @param tlsDirectory where the server finds the TLS files, or {@code null} for the
	 * local paths
	 * @param directives directives that depend on where the server runs (directories, log
	 * file, socket)
	 * @return the content of the configuration file
	 */
	static String render(Launch launch, String bind, int port, @Nullable String tlsDirectory,
			Map<String, String> directives) {
		RedisConfigFile file = new RedisConfigFile();
		RedisServer.Builder settings = launch.settings();
		file.line("bind", bind);
		file.line("protected-mode", "no");
		file.line("daemonize", "no");
		file.line("save", "\"\"");
		file.line("appendonly", "no");
		file.line("enable-debug-command", "yes");
		directives.forEach(file::line);
		TlsCertificates tls = launch.tls();
		if (settings.isTls() && tls != null) {
			file.line("port", "0");
			file.line("tls-port", String.valueOf(port));
			file.line("tls-cert-file", quote(location(tls.serverCertificate(), tlsDirectory)));
			file.line("tls-key-file", quote(location(tls.serverKey(), tlsDirectory)));
			file.line("tls-ca-cert-file", quote(location(tls.caCertificate(), tlsDirectory)));
			file.line("tls-auth-clients", "no");
		}
		else {
			file.line("port", String.valueOf(port));
		}
		file.line("user", CONTROL_USER + " on resetpass " + quote(">" + launch.controlPassword()) + " ~* &* +@all");
		String password = settings.password();
		if (password != null) {
			file.line("user", "default on resetpass " + quote(">" + password) + " ~* &* +@all");
		}
		else if (!settings.users().isEmpty()) {
			file.line("user", "default off");
		}
		for (AclUser user : settings.users()) {
			StringBuilder rules = new StringBuilder(user.name() + " on resetpass " + quote(">" + user.password()))
				.append(" ~* &*");
			for (String rule : user.rules()) {
				rules.append(' ').append(rule);
			}
			file.line("user", rules.toString());
		}
		settings.directives().forEach(file::line);
		return file.content.toString();
	}

	private static String location(Path file, @Nullable String directory) {
		return (directory != null) ? directory + "/" + file.getFileName() : file.toString();
	}

	private void line(String directive, String value) {
		this.content.append(directive).append(' ').append(value).append('\n');
	}

	/**
	 * Quote a value for {@code redis.conf}.
	 * @param value the value
	 * @return the quoted value
	 */
	static String quote(String value) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"', '\\' -> quoted.append('\\').append(c);
				case '\n' -> quoted.append("\\n");
				case '\r' -> quoted.append("\\r");
				case '\t' -> quoted.append("\\t");
				default -> quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

}

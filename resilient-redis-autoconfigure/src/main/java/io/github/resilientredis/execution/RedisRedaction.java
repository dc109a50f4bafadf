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

package io.github.resilientredis.execution;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Masks the password of every Redis URL in a text, so that log lines and exception
 * messages never carry a secret: {@code redis://default:secret@host:6379} becomes
 * {@code redis://default:****@host:6379} and {@code redis://secret@host} (Lettuce reads a
 * user-info without a colon as the password) becomes {@code redis://****@host}.
 * Understands every scheme Lettuce accepts ({@code redis}, {@code rediss},
 * {@code redis-sentinel}, {@code redis+ssl}, ...).
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class RedisRedaction {

	private static final String MASK = "****";

	// Greedy up to the last '@' of the authority, so passwords that contain '@' are
	// masked whole.
	private static final Pattern USER_INFO = Pattern.compile("(?i)\\b(redis[a-z0-9+.-]*://)([^\\s/?#]*)@");

	private RedisRedaction() {
	}

	/**
	 * Return the given text with the password of every Redis URL in it masked.
	 * @param text the text, for example a log message or an exception message
	 * @return the redacted text, or an empty string if {@code text} is {@code null}
	 */
	public static String redact(@Nullable String text) {
		if (text == null) {
			return "";
		}
		if (text.indexOf('@') == -1) {
			return text;
		}
		Matcher matcher = USER_INFO.matcher(text);
		StringBuilder redacted = new StringBuilder(text.length());
		while (matcher.find()) {
			String userInfo = matcher.group(2);
			int colon = userInfo.indexOf(':');
			String maskedUserInfo = (colon != -1) ? userInfo.substring(0, colon + 1) + MASK : MASK;
			matcher.appendReplacement(redacted, Matcher.quoteReplacement(matcher.group(1) + maskedUserInfo + "@"));
		}
		matcher.appendTail(redacted);
		return redacted.toString();
	}

}

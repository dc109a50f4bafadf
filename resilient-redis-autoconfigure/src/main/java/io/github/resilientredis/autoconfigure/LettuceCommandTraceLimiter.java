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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;

/**
 * Keeps Lettuce's command encoder from logging at {@code TRACE}, where it writes the
 * bytes of every command it sends, including the password of {@code AUTH} and
 * {@code HELLO}. Runs right after Spring Boot has applied the configured log levels, so
 * {@code logging.level.io.lettuce=TRACE} still traces everything else.
 *
 * @author resilient-redis contributors
 */
class LettuceCommandTraceLimiter implements GenericApplicationListener {

	static final String COMMAND_ENCODER = "io.lettuce.core.protocol.CommandEncoder";

	private static final Log logger = LogFactory.getLog(LettuceCommandTraceLimiter.class);

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType.toClass());
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		ApplicationEnvironmentPreparedEvent prepared = (ApplicationEnvironmentPreparedEvent) event;
		LoggingSystem loggingSystem = LoggingSystem.get(prepared.getSpringApplication().getClassLoader());
		if (effectiveLevel(loggingSystem, COMMAND_ENCODER) == LogLevel.TRACE) {
			loggingSystem.setLogLevel(COMMAND_ENCODER, LogLevel.DEBUG);
			logger.warn(COMMAND_ENCODER + " logs at DEBUG instead of TRACE: at TRACE it writes the bytes of every "
					+ "command sent to Redis, including the password of AUTH and HELLO");
		}
	}

	private static @Nullable LogLevel effectiveLevel(LoggingSystem loggingSystem, String name) {
		// A logger Lettuce has not created yet has no configuration of its own; the
		// nearest configured ancestor decides.
		String candidate = name;
		while (true) {
			LoggerConfiguration configuration = loggingSystem.getLoggerConfiguration(candidate);
			if (configuration != null) {
				return configuration.getEffectiveLevel();
			}
			int dot = candidate.lastIndexOf('.');
			if (dot < 0) {
				configuration = loggingSystem.getLoggerConfiguration(LoggingSystem.ROOT_LOGGER_NAME);
				return (configuration != null) ? configuration.getEffectiveLevel() : null;
			}
			candidate = candidate.substring(0, dot);
		}
	}

	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

}

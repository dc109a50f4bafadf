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

/**
 * Thrown at startup when a Redis setting is invalid. Its message never contains the
 * offending value, which may hold a password.
 *
 * @author resilient-redis contributors
 */
class InvalidRedisConfigurationException extends RuntimeException {

	private final String setting;

	private final String reason;

	private final String example;

	private final String action;

	InvalidRedisConfigurationException(String setting, String reason, String example) {
		this(setting, reason, example, "Update " + setting + " to a valid value, for example " + example + ".");
	}

	InvalidRedisConfigurationException(String setting, String reason, String example, String action) {
		super(setting + " is invalid: " + reason);
		this.setting = setting;
		this.reason = reason;
		this.example = example;
		this.action = action;
	}

	String getSetting() {
		return this.setting;
	}

	String getReason() {
		return this.reason;
	}

	String getExample() {
		return this.example;
	}

	/**
	 * Return what to do about it, as the failure analysis shows it.
	 * @return the action
	 */
	String getAction() {
		return this.action;
	}

}

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

package io.github.resilientredis.sample.ratelimit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the verification-code rate limit.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@ConfigurationProperties("sample.rate-limit")
public class RateLimitProperties {

	/**
	 * Requests allowed per address within a window.
	 */
	private int limit = 3;

	/**
	 * Length of the window, starting with the first request.
	 */
	private Duration window = Duration.ofMinutes(1);

	/**
	 * Whether requests are allowed while Redis cannot count them; when false they are
	 * refused with 429.
	 */
	private boolean failOpen = true;

	public int getLimit() {
		return this.limit;
	}

	public void setLimit(int limit) {
		this.limit = limit;
	}

	public Duration getWindow() {
		return this.window;
	}

	public void setWindow(Duration window) {
		this.window = window;
	}

	public boolean isFailOpen() {
		return this.failOpen;
	}

	public void setFailOpen(boolean failOpen) {
		this.failOpen = failOpen;
	}

}

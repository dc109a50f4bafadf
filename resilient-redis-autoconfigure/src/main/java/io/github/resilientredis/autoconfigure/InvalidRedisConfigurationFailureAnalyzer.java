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

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidRedisConfigurationException}: which setting, what is wrong,
 * and a valid example, without the offending value.
 *
 * @author resilient-redis contributors
 */
class InvalidRedisConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRedisConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidRedisConfigurationException cause) {
		return new FailureAnalysis("Invalid Redis configuration: " + cause.getSetting() + " " + cause.getReason() + ".",
				cause.getAction(), cause);
	}

}

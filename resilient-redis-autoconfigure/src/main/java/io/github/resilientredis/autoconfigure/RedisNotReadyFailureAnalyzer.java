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

import io.github.resilientredis.connection.RedisNotReadyException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link RedisNotReadyException} raised while startup waited for Redis.
 *
 * @author resilient-redis contributors
 */
class RedisNotReadyFailureAnalyzer extends AbstractFailureAnalyzer<RedisNotReadyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RedisNotReadyException cause) {
		return new FailureAnalysis(
				"Startup waited " + cause.getBudget().toSeconds() + "s for Redis (resilient.redis.startup.wait-budget) "
						+ "and Redis did not answer PING in " + cause.getAttempts() + " attempts.",
				"Start Redis or check REDIS_URL (spring.data.redis.url); or raise resilient.redis.startup.wait-budget, "
						+ "for example resilient.redis.startup.wait-budget=60s; or set "
						+ "resilient.redis.startup.wait-for-redis=false so that the application starts without Redis "
						+ "and uses it as soon as it is up.",
				cause);
	}

}

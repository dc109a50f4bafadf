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

package io.github.resilientredis.actuate;

import java.util.Map;

/**
 * Source of the latency of Redis commands as seen by this application, by command, for
 * {@code /actuator/redis/stats}.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@FunctionalInterface
public interface RedisCommandLatencies {

	/**
	 * Return the latency figures of each command sent so far, in milliseconds, keyed by
	 * command name.
	 * @return the latencies by command
	 */
	Map<String, Object> describe();

}

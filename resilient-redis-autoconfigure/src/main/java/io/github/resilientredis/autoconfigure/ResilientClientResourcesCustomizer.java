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

import java.util.concurrent.TimeUnit;

import io.github.resilientredis.connection.RedisConnections;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;

/**
 * Applies the jittered reconnect back-off, the heartbeat, the watch of the Redis server
 * and the reconnect of connections to a demoted primary to Boot's Lettuce client
 * resources.
 *
 * @author resilient-redis contributors
 */
class ResilientClientResourcesCustomizer implements ClientResourcesBuilderCustomizer {

	private final ResilientRedisProperties.Reconnect reconnect;

	private final @Nullable RedisConnections connections;

	ResilientClientResourcesCustomizer(ResilientRedisProperties.Reconnect reconnect,
			@Nullable RedisConnections connections) {
		this.reconnect = reconnect;
		this.connections = connections;
	}

	@Override
	public void customize(ClientResources.Builder builder) {
		builder.reconnectDelay(reconnectDelay());
		if (this.connections != null) {
			builder.nettyCustomizer(this.connections);
		}
	}

	Delay reconnectDelay() {
		long min = this.reconnect.getMinDelay().toMillis();
		// Full jitter: each delay is random between the lower bound and an exponentially
		// growing ceiling, capped low so that traffic resumes soon after Redis does.
		return Delay.fullJitter(this.reconnect.getMinDelay(), this.reconnect.getMaxDelay(), Math.max(1, min),
				TimeUnit.MILLISECONDS);
	}

}

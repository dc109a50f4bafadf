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

import io.github.resilientredis.cache.ResilientRedisCacheManager;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import reactor.core.Disposable;

import org.springframework.beans.factory.DisposableBean;

/**
 * Tells the {@link ResilientRedisCacheManager} each time Lettuce has (re)established a
 * connection, so that the cache returns to Redis as soon as Redis is back instead of
 * after the rest of the circuit breaker's wait.
 *
 * @author resilient-redis contributors
 */
class RedisReconnectListener implements DisposableBean {

	private final Disposable subscription;

	RedisReconnectListener(ClientResources clientResources, ResilientRedisCacheManager cacheManager) {
		this.subscription = clientResources.eventBus()
			.get()
			.filter(ConnectionActivatedEvent.class::isInstance)
			.subscribe((event) -> cacheManager.redisConnectionActivated());
	}

	@Override
	public void destroy() {
		this.subscription.dispose();
	}

}

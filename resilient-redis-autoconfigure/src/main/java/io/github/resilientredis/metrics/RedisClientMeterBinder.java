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

package io.github.resilientredis.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import io.github.resilientredis.connection.HeartbeatNettyCustomizer;
import io.github.resilientredis.connection.RedisConnectionEvents;
import io.github.resilientredis.execution.RedisErrorCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Binds the meters of this application's Redis connections:
 * <ul>
 * <li>{@code resilient.redis.connection.events} with tag {@code event} ({@code connect},
 * {@code disconnect}, {@code reconnect-attempt}, {@code reconnect-failure}) and the gauge
 * {@code resilient.redis.connection.active}, from Lettuce's event bus;</li>
 * <li>{@code resilient.redis.heartbeat.sent} and
 * {@code resilient.redis.heartbeat.failures};</li>
 * <li>{@code resilient.redis.errors} with tag {@code type} (such as {@code timeout},
 * {@code connection_refused}, {@code circuit_open}).</li>
 * </ul>
 * Retries and the circuit breaker are Resilience4j's own meters
 * ({@code resilience4j.retry.calls}, {@code resilience4j.circuitbreaker.state}).
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisClientMeterBinder implements MeterBinder {

	private static final String PREFIX = "resilient.redis.";

	private final @Nullable RedisConnectionEvents connectionEvents;

	private final @Nullable HeartbeatNettyCustomizer heartbeat;

	private final @Nullable RedisErrorCounter errors;

	/**
	 * Create a new binder; each source is optional.
	 * @param connectionEvents the counts of Lettuce connection events
	 * @param heartbeat the heartbeat
	 * @param errors the counts of errors by type
	 */
	public RedisClientMeterBinder(@Nullable RedisConnectionEvents connectionEvents,
			@Nullable HeartbeatNettyCustomizer heartbeat, @Nullable RedisErrorCounter errors) {
		this.connectionEvents = connectionEvents;
		this.heartbeat = heartbeat;
		this.errors = errors;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		RedisConnectionEvents events = this.connectionEvents;
		if (events != null) {
			event(registry, events, "connect", RedisConnectionEvents::getConnects);
			event(registry, events, "disconnect", RedisConnectionEvents::getDisconnects);
			event(registry, events, "reconnect-attempt", RedisConnectionEvents::getReconnectAttempts);
			event(registry, events, "reconnect-failure", RedisConnectionEvents::getReconnectFailures);
			Gauge.builder(PREFIX + "connection.active", events, RedisConnectionEvents::getActiveConnections)
				.description("Redis connections connected and ready for commands")
				.register(registry);
		}
		if (this.heartbeat != null) {
			FunctionCounter
				.builder(PREFIX + "heartbeat.sent", this.heartbeat, HeartbeatNettyCustomizer::getHeartbeatsSent)
				.description("Heartbeat PINGs sent on idle Redis connections")
				.register(registry);
			FunctionCounter
				.builder(PREFIX + "heartbeat.failures", this.heartbeat, HeartbeatNettyCustomizer::getHeartbeatFailures)
				.description("Heartbeat PINGs that failed or timed out, each closing its connection")
				.register(registry);
		}
		if (this.errors != null) {
			this.errors.forEachType((type, count) -> FunctionCounter.builder(PREFIX + "errors", count, AtomicLong::get)
				.tag("type", type)
				.description("Failed Redis operations by error type")
				.register(registry));
		}
	}

	private static void event(MeterRegistry registry, RedisConnectionEvents events, String event,
			ToDoubleFunction<RedisConnectionEvents> count) {
		FunctionCounter.builder(PREFIX + "connection.events", events, count)
			.tag("event", event)
			.description("Lettuce connection events")
			.register(registry);
	}

}

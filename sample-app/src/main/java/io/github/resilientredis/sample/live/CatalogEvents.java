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

package io.github.resilientredis.sample.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.sample.catalog.Product;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Publishes catalog events to the Redis channel {@value #CHANNEL} and relays every
 * message of that channel to the connected browsers as Server-Sent Events, so that all
 * instances of the application see every change (seed 000's pub/sub).
 * <p>
 * The subscription runs on Spring Boot's {@code redisMessageListenerContainer}, which
 * subscribes again after Redis restarts with the back-off of
 * {@code spring.data.redis.listener.recovery.*}. A heartbeat published every
 * {@code sample.live.heartbeat-interval} shows on the status page whether messages flow.
 * Publishing goes through the starter's {@link RedisCommandExecutor}: while Redis is
 * down, events are dropped rather than failing the update that caused them.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@Component
public class CatalogEvents implements MessageListener {

	/**
	 * Redis channel of catalog events.
	 */
	public static final String CHANNEL = "catalog:events";

	private static final Log logger = LogFactory.getLog(CatalogEvents.class);

	private final StringRedisTemplate redis;

	private final RedisCommandExecutor executor;

	private final JsonMapper json;

	private final Set<SseEmitter> emitters = ConcurrentHashMap.newKeySet();

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private volatile @Nullable Instant lastReceived;

	CatalogEvents(StringRedisTemplate redis, RedisCommandExecutor executor, JsonMapper json,
			RedisMessageListenerContainer container) {
		this.redis = redis;
		this.executor = executor;
		this.json = json;
		container.addMessageListener(this, new ChannelTopic(CHANNEL));
	}

	/**
	 * Announce that a product changed.
	 * @param product the product as it is now
	 */
	public void productUpdated(Product product) {
		publish("product-updated", Map.of("product", product));
	}

	@Scheduled(fixedDelayString = "${sample.live.heartbeat-interval:2s}")
	void heartbeat() {
		publish("heartbeat", Map.of());
	}

	private void publish(String type, Map<String, Object> data) {
		Map<String, Object> event = new LinkedHashMap<>(data);
		event.put("type", type);
		event.put("time", Instant.now().toString());
		String message = this.json.writeValueAsString(event);
		this.executor.execute("PUBLISH " + CHANNEL, () -> this.redis.convertAndSend(CHANNEL, message),
				(unavailable) -> {
					this.dropped.incrementAndGet();
					return 0L;
				});
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		this.received.incrementAndGet();
		this.lastReceived = Instant.now();
		String body = new String(message.getBody(), StandardCharsets.UTF_8);
		String type = this.json.readTree(body).path("type").asString("message");
		for (SseEmitter emitter : this.emitters) {
			try {
				emitter.send(SseEmitter.event().name(type).data(body));
			}
			catch (IOException | IllegalStateException ex) {
				this.emitters.remove(emitter);
				logger.debug("Live update client went away", ex);
			}
		}
	}

	/**
	 * Register a browser for live updates.
	 * @return the emitter to return from the controller
	 */
	public SseEmitter subscribe() {
		SseEmitter emitter = new SseEmitter(0L);
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onTimeout(() -> this.emitters.remove(emitter));
		emitter.onError((ex) -> this.emitters.remove(emitter));
		this.emitters.add(emitter);
		return emitter;
	}

	/**
	 * Return what the live updates did since startup.
	 * @return the statistics
	 */
	public Statistics statistics() {
		Instant last = this.lastReceived;
		return new Statistics(this.emitters.size(), this.received.get(), this.dropped.get(),
				(last != null) ? last.toString() : null);
	}

	/**
	 * Live-update statistics.
	 *
	 * @param clients connected browsers
	 * @param received messages received from Redis
	 * @param dropped events not published because Redis was unavailable
	 * @param lastReceived when the last message arrived, or {@code null}
	 */
	public record Statistics(int clients, long received, long dropped, @Nullable String lastReceived) {

	}

}

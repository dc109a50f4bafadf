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

package io.github.resilientredis.cache;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The application that {@link WallClockStepIntegrationTests} runs in a child JVM whose
 * wall clock libfaketime moves: reads through the cache every 20 ms and prints, one line
 * each, {@code READY} once the cache is on Redis, {@code STATE <state>} on every
 * transition of the circuit breaker and, every 250 ms, {@code WALL <epoch millis>}. Exits
 * when its standard input is closed.
 *
 * @author resilient-redis contributors
 */
public final class WallClockStepApplication {

	private WallClockStepApplication() {
	}

	/**
	 * Run the application.
	 * @param args the host and port of Redis, the command timeout and the wait of the
	 * breaker in the open state
	 */
	public static void main(String[] args) {
		exitWhenParentIsGone();
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
							ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
			.withUserConfiguration(CatalogConfiguration.class)
			.withPropertyValues("spring.data.redis.host=" + args[0], "spring.data.redis.port=" + args[1],
					"spring.data.redis.timeout=" + args[2],
					"resilient.redis.circuit-breaker.wait-duration-in-open-state=" + args[3],
					"resilient.redis.retry.budget=" + args[2],
					// A reconnect after the thaw makes the breaker probe at once,
					// whatever
					// the clock says: with the connection kept, only the wait decides
					"resilient.redis.heartbeat.enabled=false")
			.run((context) -> {
				CircuitBreaker breaker = context.getBean(CircuitBreaker.class);
				Catalog catalog = context.getBean(Catalog.class);
				breaker.getEventPublisher()
					.onStateTransition((event) -> print("STATE " + event.getStateTransition().getToState()));
				while (breaker.getState() != State.CLOSED || !"none".equals(catalog.find("warm-up"))) {
					pause(20);
				}
				print("READY");
				long nextWall = 0;
				for (long call = 0;; call++) {
					catalog.find("key-" + (call % 10));
					if (System.nanoTime() - nextWall > 0) {
						print("WALL " + System.currentTimeMillis());
						nextWall = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
					}
					pause(20);
				}
			});
	}

	private static void print(String line) {
		synchronized (System.out) {
			System.out.println(line);
			System.out.flush();
		}
	}

	private static void pause(long millis) {
		LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
	}

	private static void exitWhenParentIsGone() {
		Thread watcher = new Thread(() -> {
			InputStream in = System.in;
			try {
				while (in.read() != -1) {
					// Nothing is sent; end of input means the parent is gone
				}
			}
			catch (IOException ex) {
				// Same
			}
			Runtime.getRuntime().halt(0);
		}, "parent-watcher");
		watcher.setDaemon(true);
		watcher.start();
	}

}

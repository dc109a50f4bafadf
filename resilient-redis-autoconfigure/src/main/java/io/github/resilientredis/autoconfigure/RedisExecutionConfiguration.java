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

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilientredis.connection.ClusterTopologyRefreshOnTimeout;
import io.github.resilientredis.connection.RedisConnections;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisErrorClassifier;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Classification, retry and the shared circuit breaker for Redis operations. The breaker
 * and the retry are registered in the application's Resilience4j registries when there
 * are any, so that Resilience4j's own endpoints and metrics see them.
 *
 * @author resilient-redis contributors
 */
@Configuration(proxyBeanMethods = false)
class RedisExecutionConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisErrorClassifier redisErrorClassifier() {
		return new RedisErrorClassifier();
	}

	@Bean
	@ConditionalOnMissingBean(name = "redisCircuitBreaker")
	CircuitBreaker redisCircuitBreaker(ResilientRedisProperties properties, RedisErrorClassifier classifier,
			ObjectProvider<CircuitBreakerRegistry> registry, ObjectProvider<RedisConnections> connections,
			ObjectProvider<ClusterTopologyRefreshOnTimeout> clusterTopologyRefresh) {
		ResilientRedisProperties.CircuitBreaker breaker = properties.getCircuitBreaker();
		CircuitBreakerConfig config = RedisCommandExecutor.circuitBreakerConfig(classifier)
			.failureRateThreshold(breaker.getFailureRateThreshold())
			.slidingWindowSize(breaker.getSlidingWindowSize())
			.minimumNumberOfCalls(breaker.getMinimumNumberOfCalls())
			.slowCallDurationThreshold(breaker.getSlowCallDurationThreshold())
			.slowCallRateThreshold(breaker.getSlowCallRateThreshold())
			.waitDurationInOpenState(breaker.getWaitDurationInOpenState())
			.permittedNumberOfCallsInHalfOpenState(breaker.getPermittedNumberOfCallsInHalfOpenState())
			.build();
		CircuitBreaker circuitBreaker = register(breaker.getName(), config, registry.getIfAvailable());
		RedisCommandExecutor.openAfterConsecutiveFailures(circuitBreaker, breaker.getConsecutiveFailureThreshold());
		// When Redis stops answering, check every connection at once: one behind a silent
		// partition is replaced instead of waiting for TCP retransmissions after the
		// heal.
		circuitBreaker.getEventPublisher().onStateTransition((event) -> {
			if (event.getStateTransition() == CircuitBreaker.StateTransition.CLOSED_TO_OPEN) {
				connections.ifAvailable(RedisConnections::checkNow);
			}
		});
		// A cluster master that went silent: its promoted replica is found by a
		// topology refresh, which no adaptive trigger of Lettuce asks for.
		circuitBreaker.getEventPublisher().onError((event) -> {
			if ("timeout".equals(classifier.errorType(event.getThrowable()))) {
				clusterTopologyRefresh.ifAvailable(ClusterTopologyRefreshOnTimeout::commandTimedOut);
			}
		});
		return circuitBreaker;
	}

	private CircuitBreaker register(String name, CircuitBreakerConfig config,
			@Nullable CircuitBreakerRegistry registry) {
		if (registry == null) {
			return CircuitBreaker.of(name, config);
		}
		// The instance is owned by the starter: its predicates keep application errors
		// from opening it, so it is configured through resilient.redis.circuit-breaker.
		registry.remove(name);
		return registry.circuitBreaker(name, config);
	}

	@Bean
	@ConditionalOnMissingBean(name = "redisRetry")
	Retry redisRetry(ResilientRedisProperties properties, ObjectProvider<DataRedisProperties> dataRedisProperties,
			ObjectProvider<RetryRegistry> registry) {
		ResilientRedisProperties.Retry retry = properties.getRetry();
		Duration budget = (retry.getBudget() != null) ? retry.getBudget() : ResilientClientOptionsCustomizer
			.commandTimeout(dataRedisProperties.getIfAvailable(DataRedisProperties::new));
		RetryConfig config = RedisCommandExecutor.retryConfig(retry.getMaxRetries(), retry.getDelay(),
				retry.getMaxDelay(), budget);
		String name = properties.getCircuitBreaker().getName();
		RetryRegistry retryRegistry = registry.getIfAvailable();
		if (retryRegistry == null) {
			return Retry.of(name, config);
		}
		retryRegistry.remove(name);
		return retryRegistry.retry(name, config);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisCommandExecutor redisCommandExecutor(CircuitBreaker redisCircuitBreaker, Retry redisRetry,
			RedisErrorClassifier classifier) {
		return new RedisCommandExecutor(redisCircuitBreaker, redisRetry, classifier);
	}

}

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

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisErrorClassifier;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * Tests for {@link VerificationCodeRateLimiter} while Redis is unavailable: the breaker
 * is open, so the request is decided by {@code sample.rate-limit.fail-open} without
 * touching Redis.
 *
 * @author resilient-redis contributors
 */
class VerificationCodeRateLimiterTests {

	private final RedisErrorClassifier classifier = new RedisErrorClassifier();

	private final CircuitBreaker circuitBreaker = CircuitBreaker.of("redis",
			RedisCommandExecutor.circuitBreakerConfig(this.classifier).build());

	private final RedisCommandExecutor executor = new RedisCommandExecutor(this.circuitBreaker, Retry.of("redis",
			RedisCommandExecutor.retryConfig(0, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1))),
			this.classifier);

	private final StringRedisTemplate redis = mock();

	private final RateLimitProperties properties = new RateLimitProperties();

	@Test
	void whenRedisIsUnavailableAndFailOpenThenTheRequestIsAllowedUncounted() {
		this.circuitBreaker.transitionToForcedOpenState();
		this.properties.setFailOpen(true);
		VerificationCodeRateLimiter rateLimiter = new VerificationCodeRateLimiter(this.redis, this.executor,
				this.properties);
		assertThat(rateLimiter.tryAcquire("someone@example.com"))
			.isEqualTo(new VerificationCodeRateLimiter.Decision(true, -1, false));
		assertThat(rateLimiter.counts()).isEqualTo(new VerificationCodeRateLimiter.Counts(1, 0, 1, true));
		verifyNoInteractions(this.redis);
	}

	@Test
	void whenRedisIsUnavailableAndFailClosedThenTheRequestIsRefused() {
		this.circuitBreaker.transitionToForcedOpenState();
		this.properties.setFailOpen(false);
		VerificationCodeRateLimiter rateLimiter = new VerificationCodeRateLimiter(this.redis, this.executor,
				this.properties);
		assertThat(rateLimiter.tryAcquire("someone@example.com"))
			.isEqualTo(new VerificationCodeRateLimiter.Decision(false, -1, false));
		assertThat(rateLimiter.counts()).isEqualTo(new VerificationCodeRateLimiter.Counts(0, 1, 1, false));
		verifyNoInteractions(this.redis);
	}

}

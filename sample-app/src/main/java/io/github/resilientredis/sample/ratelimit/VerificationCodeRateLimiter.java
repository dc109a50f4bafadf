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

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Counts verification-code requests per address in Redis (seed 003's rate limiter): a
 * counter per address that expires with its window. The counter is incremented through
 * the starter's {@link RedisCommandExecutor}, behind the shared circuit breaker and
 * without retry (an {@code INCR} must not be repeated); when Redis is unavailable the
 * request is allowed or refused according to {@code sample.rate-limit.fail-open}, never
 * failed.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@Component
public class VerificationCodeRateLimiter {

	private static final Log logger = LogFactory.getLog(VerificationCodeRateLimiter.class);

	// INCR and PEXPIRE in one atomic command: a counter can never be left without expiry.
	private static final RedisScript<Long> INCREMENT = RedisScript.of("""
			local count = redis.call('INCR', KEYS[1])
			if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
			return count""", Long.class);

	private final StringRedisTemplate redis;

	private final RedisCommandExecutor executor;

	private final RateLimitProperties properties;

	private final AtomicLong allowed = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

	private final AtomicLong decidedWithoutRedis = new AtomicLong();

	VerificationCodeRateLimiter(StringRedisTemplate redis, RedisCommandExecutor executor,
			RateLimitProperties properties) {
		this.redis = redis;
		this.executor = executor;
		this.properties = properties;
	}

	/**
	 * Count a request for the given address and decide whether it may proceed.
	 * @param address the e-mail address the code is sent to
	 * @return the decision
	 */
	public Decision tryAcquire(String address) {
		String key = "rate:resend-verification-code:" + address.trim().toLowerCase(Locale.ROOT);
		String window = String.valueOf(this.properties.getWindow().toMillis());
		Long count = this.executor.execute("INCR rate limit", () -> this.redis.execute(INCREMENT, List.of(key), window),
				this::withoutRedis);
		if (count == null) {
			return record(new Decision(this.properties.isFailOpen(), -1, false));
		}
		return record(new Decision(count <= this.properties.getLimit(), Math.max(0, this.properties.getLimit() - count),
				true));
	}

	private @Nullable Long withoutRedis(RedisUnavailableException ex) {
		this.decidedWithoutRedis.incrementAndGet();
		if (logger.isDebugEnabled()) {
			logger.debug("Rate limit decided without Redis (fail-open=" + this.properties.isFailOpen() + "): "
					+ ex.getMessage());
		}
		return null;
	}

	private Decision record(Decision decision) {
		(decision.allowed() ? this.allowed : this.refused).incrementAndGet();
		return decision;
	}

	/**
	 * Return the counts of decisions since startup.
	 * @return the counts
	 */
	public Counts counts() {
		return new Counts(this.allowed.get(), this.refused.get(), this.decidedWithoutRedis.get(),
				this.properties.isFailOpen());
	}

	/**
	 * The answer to a request.
	 *
	 * @param allowed whether the request may proceed
	 * @param remaining requests left in the window, or -1 if Redis could not count
	 * @param counted whether Redis counted the request
	 */
	public record Decision(boolean allowed, long remaining, boolean counted) {

	}

	/**
	 * Decisions since startup.
	 *
	 * @param allowed requests allowed
	 * @param refused requests refused
	 * @param decidedWithoutRedis requests decided by the fail-open setting because Redis
	 * was unavailable
	 * @param failOpen whether requests are allowed while Redis is unavailable
	 */
	public record Counts(long allowed, long refused, long decidedWithoutRedis, boolean failOpen) {

	}

}

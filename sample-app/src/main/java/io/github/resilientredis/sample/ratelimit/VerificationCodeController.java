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

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/auth/resend-verification-code}: 200 or 429, never 500 when Redis is
 * down.
 *
 * @author resilient-redis contributors
 */
@RestController
class VerificationCodeController {

	private final VerificationCodeRateLimiter rateLimiter;

	private final RateLimitProperties properties;

	VerificationCodeController(VerificationCodeRateLimiter rateLimiter, RateLimitProperties properties) {
		this.rateLimiter = rateLimiter;
		this.properties = properties;
	}

	@PostMapping("/api/v1/auth/resend-verification-code")
	ResponseEntity<Map<String, Object>> resend(@RequestBody ResendRequest request) {
		VerificationCodeRateLimiter.Decision decision = this.rateLimiter.tryAcquire(request.email());
		if (!decision.allowed()) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
				.header(HttpHeaders.RETRY_AFTER, String.valueOf(this.properties.getWindow().toSeconds()))
				.body(Map.of("status", "too_many_requests", "counted", decision.counted()));
		}
		// Sending the e-mail is out of scope for the sample.
		return ResponseEntity
			.ok(Map.of("status", "sent", "remaining", decision.remaining(), "counted", decision.counted()));
	}

	/**
	 * The body of a request.
	 *
	 * @param email the address to send the code to
	 */
	record ResendRequest(String email) {

	}

}

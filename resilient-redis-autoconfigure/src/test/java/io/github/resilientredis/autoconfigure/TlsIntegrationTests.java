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

import javax.net.ssl.SSLHandshakeException;

import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for TLS against a real {@code redis-server} with a self-signed
 * certificate authority.
 *
 * @author resilient-redis contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsIntegrationTests {

	private final RedisServer server = RedisServer.builder().tls().start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilientRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class, SslAutoConfiguration.class));

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whenVerificationIsRequiredAndTheCaIsUnknownThenConnectingFailsWithTheHandshakeError() {
		this.contextRunner.withPropertyValues("spring.data.redis.url=" + this.server.url()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			assertThatExceptionOfType(RedisConnectionFailureException.class)
				.isThrownBy(() -> redis.opsForValue().get("greeting"))
				.withRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class)
				.satisfies((ex) -> assertThat(findCause(ex, SSLHandshakeException.class)).isNotNull()
					.hasMessageContaining("PKIX path building failed"));
		});
	}

	@Test
	void whenTheCaComesFromAnSslBundleThenTheVerifiedConnectionWorks() {
		this.contextRunner.withPropertyValues(this.server.springProperties()).run((context) -> {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("greeting", "hello");
			assertThat(redis.opsForValue().get("greeting")).isEqualTo("hello");
		});
	}

	@Test
	void whenCertReqsIsNoneThenTheConnectionWorksAndAWarningIsLogged(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("spring.data.redis.url=" + this.server.url(), "resilient.redis.ssl.cert-reqs=none")
			.run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
					redis.opsForValue().set("greeting", "hello");
					assertThat(redis.opsForValue().get("greeting")).isEqualTo("hello");
				});
				assertThat(output).contains("WARN").contains("TLS peer verification is off");
			});
	}

	private static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
		Throwable candidate = ex;
		while (candidate != null) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
			candidate = candidate.getCause();
		}
		return null;
	}

}

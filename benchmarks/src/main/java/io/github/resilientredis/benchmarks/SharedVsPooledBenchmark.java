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

package io.github.resilientredis.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.resilientredis.test.RedisServer;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * Cache-like traffic (GET of an existing key, SET) through {@link StringRedisTemplate}
 * over the shared, multiplexed Lettuce connection that Spring Boot uses by default,
 * compared with a pool where every operation borrows a dedicated connection. Run with
 * {@code -t 1}, {@code -t 8} and {@code -t 64} for the thread counts.
 *
 * @author resilient-redis contributors
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class SharedVsPooledBenchmark {

	static final int KEYS = 1000;

	static final int VALUE_LENGTH = 100;

	/**
	 * {@code shared}: Boot's default {@link LettuceConnectionFactory} with one
	 * multiplexed connection; {@code pooled}: a commons-pool2 pool bounded by
	 * {@code spring.data.redis.lettuce.pool.max-active}, one connection per operation.
	 */
	@Param({ "shared", "pooled" })
	public String mode = "shared";

	private final String[] keys = new String[KEYS];

	private final String value = "v".repeat(VALUE_LENGTH);

	private @Nullable RedisServer server;

	private @Nullable ConfigurableApplicationContext context;

	private @Nullable StringRedisTemplate redis;

	@Setup(Level.Trial)
	public void startRedisAndApplication() {
		this.server = RedisServer.start();
		boolean pooled = "pooled".equals(this.mode);
		Assert.isTrue(pooled || "shared".equals(this.mode), () -> "Unknown mode '" + this.mode + "'");
		this.context = BenchmarkApplication.start(this.server, true, pooled);
		Assert.state(this.context.getBean(LettuceConnectionFactory.class).getShareNativeConnection() != pooled,
				"The connection factory does not use the mode under test");
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		Map<String, String> entries = new LinkedHashMap<>();
		for (int i = 0; i < KEYS; i++) {
			this.keys[i] = "benchmark:key:" + i;
			entries.put(this.keys[i], this.value);
		}
		redis.opsForValue().multiSet(entries);
		this.redis = redis;
	}

	@TearDown(Level.Trial)
	public void stopApplicationAndRedis() {
		if (this.context != null) {
			this.context.close();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	@Benchmark
	public @Nullable String get() {
		return redis().opsForValue().get(randomKey());
	}

	@Benchmark
	public void set() {
		redis().opsForValue().set(randomKey(), this.value);
	}

	private String randomKey() {
		return this.keys[ThreadLocalRandom.current().nextInt(KEYS)];
	}

	private StringRedisTemplate redis() {
		StringRedisTemplate redis = this.redis;
		Assert.state(redis != null, "Not set up");
		return redis;
	}

}

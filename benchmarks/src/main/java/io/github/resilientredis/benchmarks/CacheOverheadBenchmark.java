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

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.test.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
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
import org.springframework.util.Assert;

/**
 * What the starter costs while Redis is healthy: a cache hit through {@code @Cacheable}
 * with plain Spring Boot's {@code RedisCacheManager}, the same through resilient-redis
 * (circuit breaker closed), the starter's fallback path alone (breaker forced open) and a
 * raw Lettuce {@code GET} of the same keys as the ceiling; and the same for a
 * {@code @CachePut}. Run with {@code -t 1} and {@code -t 8}.
 * <p>
 * Plain Spring Boot 4 writes cache entries without waiting for Redis's answer, the
 * starter waits for it (so a failed write is never silent): compare hits for the
 * overhead, and puts only with that in mind.
 *
 * @author resilient-redis contributors
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class CacheOverheadBenchmark {

	static final int KEYS = 1000;

	/**
	 * {@code plain}: Spring Boot's own cache; {@code starter}: resilient-redis, breaker
	 * closed; {@code fallback}: resilient-redis with its breaker forced open, so every
	 * call is answered locally; {@code lettuce}: raw Lettuce {@code GET}/{@code SET} of
	 * the cache's keys and serialized values.
	 */
	@Param({ "plain", "starter", "fallback", "lettuce" })
	public String mode = "starter";

	private final String[] keys = new String[KEYS];

	private final byte[][] redisKeys = new byte[KEYS][];

	private final AtomicLong versions = new AtomicLong();

	private byte[] serializedValue = new byte[0];

	private @Nullable RedisServer server;

	private @Nullable ConfigurableApplicationContext context;

	private @Nullable VersionedCatalog catalog;

	private @Nullable RedisClient client;

	private @Nullable StatefulRedisConnection<byte[], byte[]> connection;

	private @Nullable RedisCommands<byte[], byte[]> lettuce;

	private long loadsAfterSetUp;

	@Setup(Level.Trial)
	public void startRedisAndApplication() {
		Assert.isTrue(List.of("plain", "starter", "fallback", "lettuce").contains(this.mode),
				() -> "Unknown mode '" + this.mode + "'");
		RedisServer server = RedisServer.start();
		this.server = server;
		boolean resilient = "starter".equals(this.mode) || "fallback".equals(this.mode);
		ConfigurableApplicationContext context = CachingApplication.start(server, resilient, false);
		this.context = context;
		VersionedCatalog catalog = context.getBean(VersionedCatalog.class);
		for (int i = 0; i < KEYS; i++) {
			this.keys[i] = "benchmark:key:" + i;
			this.redisKeys[i] = (VersionedCatalog.CACHE + "::" + this.keys[i]).getBytes(StandardCharsets.UTF_8);
			catalog.find(this.keys[i]);
		}
		CachingApplication.awaitKeysInRedis(server, KEYS);
		if ("fallback".equals(this.mode)) {
			// Reads filled the local fallback; from now on it answers every call
			CachingApplication.circuitBreaker(context).transitionToForcedOpenState();
			Assert.state(CachingApplication.circuitBreaker(context).getState() == CircuitBreaker.State.FORCED_OPEN,
					"The breaker is not open");
		}
		if ("lettuce".equals(this.mode)) {
			RedisClient client = RedisClient.create(RedisURI.create(server.url()));
			this.client = client;
			StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
			this.connection = connection;
			this.lettuce = connection.sync();
			byte[] value = this.lettuce.get(this.redisKeys[0]);
			Assert.state(value != null, "The cache has no entry for the first key");
			this.serializedValue = value;
		}
		this.catalog = catalog;
		this.loadsAfterSetUp = catalog.getLoads();
	}

	@TearDown(Level.Trial)
	public void stopApplicationAndRedis() {
		if (this.connection != null) {
			this.connection.close();
		}
		if (this.client != null) {
			this.client.shutdown();
		}
		if (this.context != null) {
			this.context.close();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	/**
	 * Read a cached entry.
	 * @return the value
	 */
	@Benchmark
	public @Nullable Object hit() {
		int index = randomIndex();
		RedisCommands<byte[], byte[]> lettuce = this.lettuce;
		if (lettuce != null) {
			return lettuce.get(this.redisKeys[index]);
		}
		return catalog().find(this.keys[index]);
	}

	/**
	 * Write an entry with {@code @CachePut} (or {@code SET}).
	 * @return the value written
	 */
	@Benchmark
	public @Nullable Object put() {
		int index = randomIndex();
		RedisCommands<byte[], byte[]> lettuce = this.lettuce;
		if (lettuce != null) {
			return lettuce.set(this.redisKeys[index], this.serializedValue);
		}
		return catalog().update(this.keys[index], this.versions.incrementAndGet());
	}

	/**
	 * Return how many reads missed the cache since the set-up.
	 * @return the number of loads
	 */
	long missesSinceSetUp() {
		return catalog().getLoads() - this.loadsAfterSetUp;
	}

	private int randomIndex() {
		return ThreadLocalRandom.current().nextInt(KEYS);
	}

	private VersionedCatalog catalog() {
		VersionedCatalog catalog = this.catalog;
		Assert.state(catalog != null, "Not set up");
		return catalog;
	}

}

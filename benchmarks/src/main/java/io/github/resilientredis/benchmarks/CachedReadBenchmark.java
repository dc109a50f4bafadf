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
import org.springframework.util.Assert;

/**
 * A healthy {@code @Cacheable} hit, end to end, in an application as a user writes it:
 * every auto-configuration on the classpath (Actuator, Micrometer, Resilience4j's),
 * {@code @EnableCaching}, 1,000 keys already in Redis. {@code plain} leaves out every
 * resilient-redis auto-configuration, so the cache is Spring Boot's own
 * {@code RedisCache}; {@code starter} is the application with resilient-redis.
 * {@link CacheOverheadComparison} runs both in alternating order and prints their ratio.
 *
 * @author resilient-redis contributors
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class CachedReadBenchmark {

	/**
	 * {@code plain}: Spring Boot's cache; {@code starter}: resilient-redis.
	 */
	@Param({ "plain", "starter" })
	public String cache = "starter";

	/**
	 * Properties for the application, {@code name=value} separated by {@code ;}, for
	 * example to switch a feature off in an ablation run.
	 */
	@Param("")
	public String properties = "";

	private final String[] keys = new String[CacheOverheadBenchmark.KEYS];

	private @Nullable RedisServer server;

	private @Nullable ConfigurableApplicationContext context;

	private @Nullable VersionedCatalog catalog;

	private long loadsAfterSetUp;

	@Setup(Level.Trial)
	public void startRedisAndApplication() {
		Assert.isTrue("plain".equals(this.cache) || "starter".equals(this.cache),
				() -> "Unknown cache '" + this.cache + "'");
		RedisServer server = RedisServer.start();
		this.server = server;
		String[] extra = this.properties.isBlank() ? new String[0] : this.properties.split(";");
		ConfigurableApplicationContext context = CachingApplication.startFullyConfigured(server,
				"starter".equals(this.cache), extra);
		this.context = context;
		VersionedCatalog catalog = context.getBean(VersionedCatalog.class);
		for (int i = 0; i < this.keys.length; i++) {
			this.keys[i] = "benchmark:key:" + i;
			catalog.find(this.keys[i]);
		}
		CachingApplication.awaitKeysInRedis(server, this.keys.length);
		this.catalog = catalog;
		this.loadsAfterSetUp = catalog.getLoads();
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

	/**
	 * Read a cached entry through {@code @Cacheable}.
	 * @return the value
	 */
	@Benchmark
	public Object hit() {
		return catalog().find(this.keys[ThreadLocalRandom.current().nextInt(this.keys.length)]);
	}

	/**
	 * Return how many reads missed the cache since the set-up.
	 * @return the number of loads
	 */
	long missesSinceSetUp() {
		return catalog().getLoads() - this.loadsAfterSetUp;
	}

	private VersionedCatalog catalog() {
		VersionedCatalog catalog = this.catalog;
		Assert.state(catalog != null, "Not set up");
		return catalog;
	}

}

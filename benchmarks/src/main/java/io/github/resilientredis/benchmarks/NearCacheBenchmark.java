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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.resilientredis.cache.NearCacheTracking;
import io.github.resilientredis.cache.ResilientCacheStatistics;
import io.github.resilientredis.cache.ResilientRedisCache;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
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

import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.Assert;

/**
 * Hot keys read through {@code @Cacheable} in an application as a user writes it (every
 * auto-configuration on the classpath): 100 keys already cached, with resilient-redis's
 * near cache {@code off} (every hit is a Redis {@code GET}) or {@code on} (hits answered
 * from the JVM while the tracking connection is trusted), or Spring Boot's local-only
 * {@code CaffeineCacheManager} ({@code caffeine}, without resilient-redis). Values are a
 * {@code record} ({@code record}), a {@code String} ({@code string}) or a class with
 * setters ({@code bean}). {@link NearCacheComparison} runs them in alternating order, and
 * the latency of near hits.
 *
 * @author resilient-redis contributors
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class NearCacheBenchmark {

	static final int KEYS = 100;

	/**
	 * {@code off}: the starter without near cache; {@code on}: with it; {@code caffeine}:
	 * Spring Boot's local-only Caffeine cache, without the starter.
	 */
	@Param({ "off", "on", "caffeine" })
	public String near = "on";

	/**
	 * The cached values: {@code record}, {@code string} or {@code bean}.
	 */
	@Param({ "record", "string", "bean" })
	public String values = "record";

	private final String[] keys = new String[KEYS];

	private @Nullable RedisServer server;

	private @Nullable ConfigurableApplicationContext context;

	private @Nullable VersionedCatalog catalog;

	private @Nullable ResilientRedisCache cache;

	private Function<String, Object> read = (key) -> key;

	private long loadsAfterSetUp;

	private long nearHitsAfterSetUp;

	@Setup(Level.Trial)
	public void startRedisAndApplication() {
		Assert.isTrue(List.of("off", "on", "caffeine").contains(this.near), () -> "Unknown near '" + this.near + "'");
		RedisServer server = RedisServer.start();
		this.server = server;
		boolean caffeine = "caffeine".equals(this.near);
		ConfigurableApplicationContext context = caffeine
				? CachingApplication.startFullyConfigured(server, false, "spring.cache.type=caffeine")
				: CachingApplication.startFullyConfigured(server, true,
						"resilient.redis.cache.near.enabled=" + "on".equals(this.near));
		this.context = context;
		VersionedCatalog catalog = context.getBean(VersionedCatalog.class);
		String cacheName = switch (this.values) {
			case "record" -> {
				this.read = catalog::find;
				yield VersionedCatalog.CACHE;
			}
			case "string" -> {
				this.read = catalog::findText;
				yield VersionedCatalog.TEXTS;
			}
			case "bean" -> {
				this.read = catalog::findBean;
				yield VersionedCatalog.BEANS;
			}
			default -> throw new IllegalArgumentException("Unknown values '" + this.values + "'");
		};
		for (int i = 0; i < this.keys.length; i++) {
			this.keys[i] = "benchmark:hot:" + i;
			this.read.apply(this.keys[i]);
		}
		if (caffeine) {
			Assert.state(context.getBean(CacheManager.class) instanceof CaffeineCacheManager,
					"Spring Boot's cache manager is not Caffeine's");
			this.catalog = catalog;
			this.loadsAfterSetUp = catalog.getLoads();
			return;
		}
		CachingApplication.awaitKeysInRedis(server, this.keys.length);
		ResilientRedisCacheManager manager = context.getBean(ResilientRedisCacheManager.class);
		this.cache = (ResilientRedisCache) manager.getCache(cacheName);
		NearCacheTracking tracking = manager.getNearCacheTracking();
		if (tracking != null) {
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (!tracking.isTrusted()) {
				Assert.state(System.nanoTime() - deadline < 0, "The tracking connection was not set up");
				Thread.onSpinWait();
			}
		}
		this.catalog = catalog;
		this.loadsAfterSetUp = catalog.getLoads();
		this.nearHitsAfterSetUp = nearHits();
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
	 * Read a hot cached entry through {@code @Cacheable}.
	 * @return the value
	 */
	@Benchmark
	public Object hit() {
		return this.read.apply(this.keys[ThreadLocalRandom.current().nextInt(KEYS)]);
	}

	/**
	 * Return how many reads missed the cache since the set-up.
	 * @return the number of loads
	 */
	long missesSinceSetUp() {
		return catalog().getLoads() - this.loadsAfterSetUp;
	}

	/**
	 * Return how many reads were answered from the JVM since the set-up.
	 * @return the number of near hits
	 */
	long nearHitsSinceSetUp() {
		return nearHits() - this.nearHitsAfterSetUp;
	}

	/**
	 * Return how many reads went to Redis or the outage fallback since the cache was
	 * created (the set-up included): the reads that were not near hits.
	 * @return the number of reads that were not near hits
	 */
	long otherReads() {
		ResilientRedisCache cache = this.cache;
		if (cache == null) {
			return 0;
		}
		ResilientCacheStatistics statistics = cache.getResilienceStatistics();
		return statistics.getRedisHits() + statistics.getRedisMisses() + statistics.getFallbackHits()
				+ statistics.getFallbackMisses();
	}

	private long nearHits() {
		ResilientRedisCache cache = this.cache;
		return (cache != null) ? cache.getResilienceStatistics().getNearHits() : 0;
	}

	private VersionedCatalog catalog() {
		VersionedCatalog catalog = this.catalog;
		Assert.state(catalog != null, "Not set up");
		return catalog;
	}

}

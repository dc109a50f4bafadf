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

import java.time.Duration;

import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.test.RedisSentinelSet;
import io.github.resilientredis.test.RedisServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two application contexts on one Redis: a writer sets versioned values, a reader reads
 * them through the near cache and compares each read with what Redis had acknowledged
 * when it started. No read answered while Redis answers this client may be more than the
 * maximum staleness behind Redis: in steady state, and right after {@code CLIENT KILL} of
 * every connection, {@code FLUSHALL}, a Redis restart, a silent drop of the tracking
 * connection alone, and a Sentinel failover. A version counts from when its write was
 * invoked, before it was sent, so that the bound is strict by up to a round trip; a
 * failover exempts only the versions the promoted replica had not received.
 *
 * @author resilient-redis contributors
 */
class NearCacheTwoInstanceIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.timeout=500ms",
				"resilient.redis.circuit-breaker.wait-duration-in-open-state=200ms", "resilient.redis.retry.budget=1s");

	@Test
	void noReadIsOlderThanTheMaximumStalenessBehindRedisThroughFaults() {
		try (RedisServer server = RedisServer.start()) {
			withLoad(server.springProperties(), (tracking, history, reads) -> {
				reads.phase("steady");
				server.killClients();
				reads.phase("client-kill");
				history.reset();
				server.execute("FLUSHALL");
				reads.phase("flushall");
				history.reset();
				server.restart();
				reads.phase("restart");
			});
		}
	}

	@Test
	void noReadIsOlderThanTheMaximumStalenessBehindRedisWhenTheTrackingConnectionIsSilentlyDropped() {
		assumeTrue(RedisServer.isBlackholeSupported(),
				"a silent drop of one connection needs root and network namespaces (ip netns)");
		try (RedisServer server = RedisServer.builder().isolatedNetwork().start()) {
			withLoad(server.springProperties(), (tracking, history, reads) -> {
				reads.phase("steady");
				String trackingClient = trackingClient(server);
				long latePings = tracking.getInvalidations().get("late-ping");
				// Only the invalidations stop: the reader's and the writer's commands
				// still reach Redis
				server.blackholeConnection(trackingClient);
				reads.phase("tracking-dropped");
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(tracking.getInvalidations().get("late-ping"))
						.as("losses of trust on a late PING of the tracking connection")
						.isGreaterThan(latePings));
				await().atMost(Duration.ofSeconds(10))
					.until(() -> tracking.isTrusted() && !trackingClient.equals(trackingClient(server)));
				reads.phase("tracking-replaced");
			});
		}
	}

	@Test
	void noReadIsOlderThanTheMaximumStalenessBehindRedisThroughASentinelFailover() {
		assumeTrue(RedisSentinelSet.isSupported(), "a Sentinel set needs redis-server on the PATH");
		try (RedisSentinelSet sentinel = RedisSentinelSet.start()) {
			withLoad(sentinel.springProperties(), (tracking, history, reads) -> {
				reads.phase("steady");
				long failovers = tracking.getInvalidations().get("failover");
				RedisServer master = sentinel.master();
				RedisServer replica = sentinel.dataNodes()
					.stream()
					.filter((node) -> node != master)
					.findFirst()
					.orElseThrow();
				long killedAt = System.nanoTime();
				master.kill();
				// What the replica had not received when the master died is lost, and
				// only that: every other acknowledged version must still be read
				await().atMost(Duration.ofSeconds(10))
					.until(() -> String.valueOf(replica.execute("INFO", "replication"))
						.contains("master_link_status:down"));
				history.failover(killedAt, versions(replica));
				await().atMost(Duration.ofSeconds(30))
					.until(() -> tracking.getInvalidations().get("failover") > failovers && tracking.isTrusted());
				reads.phase("failover");
				System.out.println("Acknowledged versions the failover lost: " + history.lostVersions());
			});
		}
	}

	private static int[] versions(RedisServer server) {
		int[] versions = new int[NearCacheLoad.KEYS];
		for (int key = 0; key < versions.length; key++) {
			String value = server.execute("GET", "versions::" + key);
			versions[key] = (value != null) ? Integer.parseInt(value) : 0;
		}
		return versions;
	}

	private void withLoad(String[] redisProperties, Faults faults) {
		ApplicationContextRunner runner = this.contextRunner.withPropertyValues(redisProperties);
		runner.withUserConfiguration(ReaderConfiguration.class)
			.withPropertyValues("resilient.redis.cache.near.enabled=true",
					"resilient.redis.cache.near.max-staleness=" + NearCacheLoad.MAX_STALENESS.toMillis() + "ms")
			.run((reader) -> runner.run((writer) -> {
				ResilientRedisCacheManager manager = reader.getBean(ResilientRedisCacheManager.class);
				NearCacheTracking tracking = reader.getBean(NearCacheTracking.class);
				ResilientRedisCache cache = (ResilientRedisCache) manager.getCache("versions");
				assertThat(cache).isNotNull();
				assertThat(cache.isNearCached()).isTrue();
				NearCacheLoad.History history = new NearCacheLoad.History();
				NearCacheLoad.Writer versions = new NearCacheLoad.Writer(writer.getBean(StringRedisTemplate.class),
						history);
				NearCacheLoad.Reader reads = new NearCacheLoad.Reader(cache, history);
				versions.start();
				reads.start();
				Throwable faultFailure = null;
				try {
					await().atMost(Duration.ofSeconds(10)).until(tracking::isTrusted);
					faults.inject(tracking, history, reads);
				}
				catch (Throwable ex) {
					// Stale reads first: they say more than a wait that timed out
					faultFailure = ex;
				}
				finally {
					reads.stop();
					versions.stop();
					// Also when a fault's wait failed: the reads up to then
					System.out.println("Near cache two-instance figures: " + reads.report());
					System.out.println("Tracking invalidations by reason: " + tracking.getInvalidations());
				}
				assertThat(versions.failure.get()).isNull();
				assertThat(reads.failure.get()).isNull();
				assertThat(reads.violations)
					.as("reads more than %s behind Redis: %s", NearCacheLoad.MAX_STALENESS, reads.violationSamples)
					.isEmpty();
				if (faultFailure != null) {
					throw faultFailure;
				}
				reads.nearHitsByPhase
					.forEach((phase, hits) -> assertThat(hits).as("near hits in %s", phase).isPositive());
			}));
	}

	private static String trackingClient(RedisServer server) {
		String clients = server.execute("CLIENT", "LIST");
		assertThat(clients).isNotNull();
		for (String line : clients.split("\n")) {
			String flags = field(line, "flags");
			String address = field(line, "addr");
			if (flags != null && flags.contains("t") && flags.contains("B") && address != null) {
				return address;
			}
		}
		throw new IllegalStateException("No tracking connection in CLIENT LIST");
	}

	private static @Nullable String field(String line, String name) {
		for (String token : line.split(" ")) {
			if (token.startsWith(name + "=")) {
				return token.substring(name.length() + 1);
			}
		}
		return null;
	}

	/**
	 * The faults a scenario injects while the load runs.
	 */
	@FunctionalInterface
	interface Faults {

		void inject(NearCacheTracking tracking, NearCacheLoad.History history, NearCacheLoad.Reader reads)
				throws Exception;

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class ReaderConfiguration {

		@Bean
		RedisCacheConfiguration redisCacheConfiguration() {
			return RedisCacheConfiguration.defaultCacheConfig()
				.serializeValuesWith(SerializationPair.fromSerializer(RedisSerializer.string()));
		}

	}

}

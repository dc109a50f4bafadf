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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.autoconfigure.ResilientRedisAutoConfiguration;
import io.github.resilientredis.autoconfigure.ResilientRedisCacheAutoConfiguration;
import io.github.resilientredis.cache.LoadLeases.Attempt;
import io.github.resilientredis.cache.LoadLeases.Lease;
import io.github.resilientredis.test.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/**
 * Tests of {@link LoadLeases} against a real {@code redis-server}: the lease is taken
 * once, stores only while held, is revoked by other writes, expires, and wakes waiters on
 * the channel.
 *
 * @author resilient-redis contributors
 */
class LoadLeasesTests {

	private static RedisServer redis;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ResilientRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
						ResilientRedisCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CatalogConfiguration.class)
		.withPropertyValues("spring.data.redis.timeout=500ms", "resilient.redis.cache.single-flight.enabled=true",
				"resilient.redis.cache.single-flight.lease-time=2s");

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void whenALeaseIsHeldThenAnotherCallerGetsItsRemainingTimeAndOnlyTheHolderStores() {
		this.contextRunner.withPropertyValues(redis.springProperties()).run((context) -> {
			LoadLeases leases = leases(context);
			byte[] key = bytes("products::held");
			Lease lease = leases.tryAcquire(key);
			assertThat(lease).isNotNull();
			assertThat(redis.execute("EXISTS", "products::held~lease")).isEqualTo("1");
			Attempt other = leases.acquireIfAbsent(key);
			assertThat(other.lease()).isNull();
			assertThat(other.held()).isNotNull().isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));
			assertThat(leases.tryAcquire(key)).isNull();
			assertThat(lease.storeAndRelease(bytes("v1"), Duration.ofSeconds(30))).isTrue();
			assertThat(redis.execute("GET", "products::held")).isEqualTo("v1");
			assertThat(Long.parseLong(redis.execute("PTTL", "products::held"))).isBetween(1L, 30_000L);
			assertThat(redis.execute("EXISTS", "products::held~lease")).isEqualTo("0");
			// A second store with the same lease is refused: it was released.
			assertThat(lease.storeAndRelease(bytes("v2"), Duration.ofSeconds(30))).isFalse();
			assertThat(redis.execute("GET", "products::held")).isEqualTo("v1");
			Attempt present = leases.acquireIfAbsent(key);
			assertThat(present.value()).isEqualTo(bytes("v1"));
			assertThat(redis.execute("EXISTS", "products::held~lease")).isEqualTo("0");
		});
	}

	@Test
	void whenALeaseIsRevokedThenItsHolderDoesNotStore() {
		this.contextRunner.withPropertyValues(redis.springProperties()).run((context) -> {
			LoadLeases leases = leases(context);
			byte[] key = bytes("products::revoked");
			Lease lease = leases.tryAcquire(key);
			assertThat(lease).isNotNull();
			leases.revoke(key);
			redis.execute("SET", "products::revoked", "written");
			assertThat(lease.storeAndRelease(bytes("loaded"), Duration.ofSeconds(30))).isFalse();
			assertThat(redis.execute("GET", "products::revoked")).isEqualTo("written");
		});
	}

	@Test
	void whenALeaseExpiredAndAnotherCallerTookItThenTheFormerHolderNeitherStoresNorReleasesIt() {
		this.contextRunner.withPropertyValues(redis.springProperties())
			.withPropertyValues("resilient.redis.cache.single-flight.lease-time=100ms")
			.run((context) -> {
				LoadLeases leases = leases(context);
				byte[] key = bytes("products::expired");
				Lease slow = leases.tryAcquire(key);
				assertThat(slow).isNotNull();
				await().atMost(Duration.ofSeconds(5))
					.until(() -> "0".equals(redis.execute("EXISTS", "products::expired~lease")));
				Lease next = leases.tryAcquire(key);
				assertThat(next).isNotNull();
				slow.release();
				assertThat(redis.execute("EXISTS", "products::expired~lease")).isEqualTo("1");
				assertThat(slow.storeAndRelease(bytes("old"), Duration.ofSeconds(30))).isFalse();
				assertThat(next.storeAndRelease(bytes("new"), Duration.ofSeconds(30))).isTrue();
				assertThat(redis.execute("GET", "products::expired")).isEqualTo("new");
			});
	}

	@Test
	void whenALeaseEndsThenItsKeyIsPublishedOnTheWakeUpChannel() {
		List<String> published = new CopyOnWriteArrayList<>();
		RedisClient client = RedisClient.create(redis.url());
		try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub()) {
			subscriber.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(String channel, String message) {
					published.add(channel + " " + message);
				}

			});
			subscriber.sync().subscribe(LoadLeases.CHANNEL);
			this.contextRunner.withPropertyValues(redis.springProperties()).run((context) -> {
				LoadLeases leases = leases(context);
				Lease stored = leases.tryAcquire(bytes("products::a"));
				Lease released = leases.tryAcquire(bytes("products::b"));
				assertThat(stored).isNotNull();
				assertThat(released).isNotNull();
				assertThat(stored.storeAndRelease(bytes("a"), Duration.ZERO)).isTrue();
				assertThat(redis.execute("PTTL", "products::a")).isEqualTo("-1");
				released.release();
				assertThat(leases.tryAcquire(bytes("products::c"))).isNotNull();
				leases.revoke(bytes("products::c"));
				leases.revoke(bytes("products::none"));
				await().atMost(Duration.ofSeconds(5)).until(() -> published.size() >= 3);
				assertThat(published).containsExactly("resilient-redis:loads products::a",
						"resilient-redis:loads products::b", "resilient-redis:loads products::c");
			});
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void whenTheBreakerIsOpenThenNoLeaseIsAskedFor() {
		this.contextRunner.withPropertyValues(redis.springProperties()).run((context) -> {
			LoadLeases leases = leases(context);
			CircuitBreaker breaker = context.getBean(CircuitBreaker.class);
			breaker.transitionToOpenState();
			try {
				assertThat(leases.acquireIfAbsent(bytes("products::open")).isUnavailable()).isTrue();
				assertThat(leases.tryAcquire(bytes("products::open"))).isNull();
				assertThat(redis.execute("EXISTS", "products::open~lease")).isEqualTo("0");
			}
			finally {
				breaker.transitionToClosedState();
			}
		});
	}

	@Test
	void whenRedisFailsAnAcquisitionThenItIsUnavailableAndTheBreakerCountsTheFailure() {
		try (RedisServer frozen = RedisServer.start()) {
			this.contextRunner.withPropertyValues(frozen.springProperties()).run((context) -> {
				LoadLeases leases = leases(context);
				CircuitBreaker breaker = context.getBean(CircuitBreaker.class);
				assertThat(leases.tryAcquire(bytes("products::warm"))).isNotNull();
				int failed = breaker.getMetrics().getNumberOfFailedCalls();
				frozen.freeze();
				try {
					assertThat(leases.acquireIfAbsent(bytes("products::frozen")).isUnavailable()).isTrue();
					assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isGreaterThan(failed);
				}
				finally {
					frozen.thaw();
				}
			});
		}
	}

	@Test
	void leaseKeysLiveInTheHashSlotOfTheirValue() {
		RedisConnectionFactory factory = mock(RedisConnectionFactory.class);
		CacheCircuit circuit = mock(CacheCircuit.class);
		LoadLeases standalone = new LoadLeases("c", factory, circuit, Duration.ofSeconds(1), false);
		LoadLeases cluster = new LoadLeases("c", factory, circuit, Duration.ofSeconds(1), true);
		assertThat(string(standalone.leaseKey(bytes("c::k")))).isEqualTo("c::k~lease");
		assertThat(string(cluster.leaseKey(bytes("c::k")))).isEqualTo("{c::k}~lease");
		assertThat(string(cluster.leaseKey(bytes("c::{user1}:k")))).isEqualTo("c::{user1}:k~lease");
		// No hash tag, and no braced form would hash as the whole key does.
		assertThat(cluster.leaseKey(bytes("c::{}k"))).isNull();
		assertThat(cluster.leaseKey(bytes("c::k}"))).isNull();
		assertThat(LoadLeases.hasHashTag(bytes("a{b}c"))).isTrue();
		assertThat(LoadLeases.hasHashTag(bytes("a{}b}c"))).isFalse();
		assertThat(LoadLeases.hasHashTag(bytes("a}{b"))).isFalse();
		assertThat(standalone.leasePatterns(bytes("c::*")).stream().map(LoadLeasesTests::string))
			.containsExactly("c::*~lease");
		assertThat(cluster.leasePatterns(bytes("c::*")).stream().map(LoadLeasesTests::string))
			.containsExactly("c::*~lease", "{c::*}~lease");
	}

	static LoadLeases leases(AssertableApplicationContext context) {
		Cache cache = context.getBean(CacheManager.class).getCache("products");
		ResilientRedisCache resilient = (ResilientRedisCache) ((cache instanceof TransactionAwareCacheDecorator decorator)
				? decorator.getTargetCache() : cache);
		LoadLeases leases = resilient.loadLeases();
		assertThat(leases).isNotNull();
		return leases;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static String string(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

}

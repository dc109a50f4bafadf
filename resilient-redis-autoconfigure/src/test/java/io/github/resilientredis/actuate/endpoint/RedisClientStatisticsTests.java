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

package io.github.resilientredis.actuate.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.cache.CacheLoadPolicy;
import io.github.resilientredis.cache.NearCacheTracking;
import io.github.resilientredis.cache.ResilientCacheStatistics;
import io.github.resilientredis.cache.ResilientRedisCache;
import io.github.resilientredis.cache.ResilientRedisCacheManager;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link RedisClientStatistics}, and that every property an advisory of
 * {@code /actuator/redis/stats} names is a property a user can set.
 *
 * @author resilient-redis contributors
 */
class RedisClientStatisticsTests {

	private static final Pattern PROPERTY = Pattern
		.compile("\\b(?:resilient|spring|management)\\.[a-z0-9-]+(?:\\.[a-z0-9-]+)*");

	@Test
	void whenTheJournalOverflowedThenTheAdvisoryNamesTheJournalMaxSizeProperty() {
		assertThat(statistics(CircuitBreaker.ofDefaults("redis"), overflowedCacheManager()).advisories())
			.singleElement()
			.asString()
			.contains("overflowed 2 times")
			.contains("raise resilient.redis.cache.journal.max-size ");
	}

	@Test
	void whenTheCircuitBreakerIsOpenThenTheAdvisorySaysCallsFailFast() {
		CircuitBreaker breaker = CircuitBreaker.ofDefaults("redis");
		breaker.transitionToOpenState();
		assertThat(statistics(breaker, null).advisories()).singleElement()
			.asString()
			.startsWith("The circuit breaker 'redis' is OPEN: Redis calls fail fast");
	}

	@Test
	void whenASourceIsMissingThenItsSectionIsLeftOutAndNamedAsUnavailable() {
		RedisClientDescriptor client = statistics(null, null).describe();
		assertThat(client.circuitBreaker()).isNull();
		assertThat(client.caches()).isNull();
		assertThat(client.unavailable()).containsOnlyKeys("circuit_breaker", "retries", "connections", "errors",
				"command_latency", "caches");
	}

	@Test
	void whenTheNearCacheIsEnabledThenItHasASectionWithItsTrustAndInvalidations() {
		ResilientRedisCacheManager manager = mock(ResilientRedisCacheManager.class);
		NearCacheTracking tracking = new NearCacheTracking(new LettuceConnectionFactory(), Duration.ofMillis(250));
		given(manager.getNearCacheTracking()).willReturn(tracking);
		RedisClientDescriptor.NearCache nearCache = statistics(null, manager).describe().nearCache();
		assertThat(nearCache).isNotNull();
		assertThat(nearCache.trusted()).isFalse();
		assertThat(nearCache.connected()).isFalse();
		assertThat(nearCache.maxStalenessMs()).isEqualTo(250);
		assertThat(nearCache.lastPingAgeMs()).isNull();
		assertThat(nearCache.invalidations()).containsOnlyKeys("key", "flush", "disconnect", "late-ping", "restart",
				"failover", "demoted", "error");
		JsonNode json = JsonMapper.builder().build().valueToTree(statistics(null, manager).describe());
		assertThat(json.path("near_cache").path("max_staleness_ms").asLong()).isEqualTo(250);
	}

	@Test
	void whenTheNearCacheIsNotEnabledThenItHasNoSection() {
		assertThat(statistics(null, overflowedCacheManager()).describe().nearCache()).isNull();
	}

	@Test
	void whenACacheCoordinatesItsLoadsThenItHasALoadsSectionAndOtherCachesHaveNone() {
		ResilientRedisCacheManager manager = mock(ResilientRedisCacheManager.class);
		given(manager.getCacheNames()).willReturn(List.of("flight", "plain"));
		ResilientRedisCache flight = cache(new CacheLoadPolicy(true, Duration.ofSeconds(10), Duration.ofSeconds(10),
				false, 1.0, Duration.ZERO, Duration.ofSeconds(1)));
		ResilientCacheStatistics statistics = flight.getResilienceStatistics();
		given(statistics.getLeaderLoads()).willReturn(3L);
		given(statistics.getFollowerLoads()).willReturn(6L);
		given(statistics.getLocalLoads()).willReturn(1L);
		given(statistics.getLeaseWaits()).willReturn(6L);
		given(statistics.getLeaseWaitNanos()).willReturn(12_500_000L);
		given(statistics.getRefreshesStored()).willReturn(4L);
		given(statistics.getRefreshesSkipped()).willReturn(2L);
		given(statistics.getStaleServed()).willReturn(5L);
		given(manager.getCache("flight")).willReturn(flight);
		ResilientRedisCache plain = cache(CacheLoadPolicy.NONE);
		given(manager.getCache("plain")).willReturn(plain);
		RedisClientDescriptor.Caches caches = statistics(null, manager).describe().caches();
		assertThat(caches).isNotNull();
		assertThat(caches.byName().get("flight").loads())
			.isEqualTo(new RedisClientDescriptor.Loads(3, 6, 0, 1, 6, 12.5, 4, 0, 0, 2, 5, 0));
		assertThat(caches.byName().get("plain").loads()).isNull();
		JsonNode json = JsonMapper.builder().build().valueToTree(caches);
		assertThat(json.path("by_name").path("flight").path("loads").path("waited_out").asLong()).isZero();
		assertThat(json.path("by_name").path("flight").path("loads").path("lease_wait_ms").asDouble()).isEqualTo(12.5);
		assertThat(json.path("by_name").path("flight").path("loads").path("stale_served").asLong()).isEqualTo(5);
		assertThat(json.path("by_name").path("plain").has("loads")).isFalse();
	}

	private static ResilientRedisCache cache(CacheLoadPolicy policy) {
		ResilientRedisCache cache = mock(ResilientRedisCache.class);
		given(cache.getLoadPolicy()).willReturn(policy);
		ResilientCacheStatistics statistics = mock(ResilientCacheStatistics.class);
		given(cache.getResilienceStatistics()).willReturn(statistics);
		return cache;
	}

	@Test
	void everyPropertyThatAnAdvisoryNamesIsAConfigurationPropertyThatIsNotDeprecated() throws IOException {
		CircuitBreaker breaker = CircuitBreaker.ofDefaults("redis");
		breaker.transitionToOpenState();
		List<String> advisories = new ArrayList<>(statistics(breaker, overflowedCacheManager()).advisories());
		for (String[] info : List.of(new String[] { "maxmemory", "0" },
				new String[] { "maxmemory", "1", "maxmemory_policy", "noeviction" },
				new String[] { "maxmemory", "1", "maxmemory_policy", "volatile-lru", "rejected_connections", "3",
						"evicted_keys", "5", "keyspace_hits", "1", "keyspace_misses", "2000", "role", "slave" })) {
			Properties properties = new Properties();
			for (int i = 0; i < info.length; i += 2) {
				properties.setProperty(info[i], info[i + 1]);
			}
			advisories.addAll(new RedisServerStatistics(properties).advisories());
		}
		Map<String, Boolean> metadata = configurationProperties();
		List<String> named = new ArrayList<>();
		for (String advisory : advisories) {
			Matcher matcher = PROPERTY.matcher(advisory);
			while (matcher.find()) {
				named.add(matcher.group());
			}
		}
		assertThat(named).contains("resilient.redis.cache.journal.max-size")
			.allSatisfy((property) -> assertThat(metadata).as("configuration metadata").containsEntry(property, false));
	}

	private static RedisClientStatistics statistics(CircuitBreaker breaker, ResilientRedisCacheManager manager) {
		return new RedisClientStatistics(breaker, null, null, null, null, () -> manager, null);
	}

	private static ResilientRedisCacheManager overflowedCacheManager() {
		ResilientRedisCacheManager manager = mock(ResilientRedisCacheManager.class);
		given(manager.getJournalOverflows()).willReturn(2L);
		return manager;
	}

	// Property name -> deprecated, from every configuration metadata file on the
	// classpath: the starter's and Spring Boot's
	private static Map<String, Boolean> configurationProperties() throws IOException {
		Map<String, Boolean> properties = new HashMap<>();
		JsonMapper mapper = JsonMapper.builder().build();
		for (String file : List.of("META-INF/spring-configuration-metadata.json",
				"META-INF/additional-spring-configuration-metadata.json")) {
			Enumeration<URL> resources = RedisClientStatisticsTests.class.getClassLoader().getResources(file);
			while (resources.hasMoreElements()) {
				try (InputStream input = resources.nextElement().openStream()) {
					for (JsonNode property : mapper.readTree(input).path("properties")) {
						properties.merge(property.path("name").asString(), property.has("deprecation"),
								Boolean::logicalOr);
					}
				}
			}
		}
		return properties;
	}

}

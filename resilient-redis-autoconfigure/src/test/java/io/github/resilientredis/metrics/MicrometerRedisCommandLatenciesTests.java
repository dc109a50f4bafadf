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

package io.github.resilientredis.metrics;

import java.time.Duration;
import java.util.Map;

import io.github.resilientredis.actuate.endpoint.RedisCommandLatencies;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MicrometerRedisCommandLatencies}.
 *
 * @author resilient-redis contributors
 */
class MicrometerRedisCommandLatenciesTests {

	@Test
	void whenLettuceRecordedCommandsThenTheirPercentilesAreDescribedInMilliseconds() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		registry.config().meterFilter(MicrometerRedisCommandLatencies.percentiles());
		Timer get = Timer.builder(MicrometerRedisCommandLatencies.COMPLETION_TIMER)
			.tags("command", "GET", "local", "ANY", "remote", "redis:6379")
			.register(registry);
		get.record(Duration.ofMillis(1));
		get.record(Duration.ofMillis(2));
		get.record(Duration.ofMillis(40));
		Timer.builder(MicrometerRedisCommandLatencies.COMPLETION_TIMER)
			.tags("command", "SET", "local", "ANY", "remote", "redis:6379")
			.register(registry);
		Map<String, RedisCommandLatencies.Latency> latencies = new MicrometerRedisCommandLatencies(() -> registry)
			.describe();
		assertThat(latencies).containsOnlyKeys("GET");
		RedisCommandLatencies.Latency latency = latencies.get("GET");
		assertThat(latency.count()).isEqualTo(3);
		assertThat(latency.maxMs()).isEqualTo(40.0);
		assertThat(latency.meanMs()).isPositive();
		assertThat(latency.percentilesMs()).containsOnlyKeys("p50", "p95", "p99");
	}

	@Test
	void whenATimerIsNotLettucesThenThePercentileFilterLeavesItAlone() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		registry.config().meterFilter(MicrometerRedisCommandLatencies.percentiles());
		Timer other = Timer.builder("http.server.requests").register(registry);
		other.record(Duration.ofMillis(1));
		assertThat(other.takeSnapshot().percentileValues()).isEmpty();
	}

	@Test
	void whenThereIsNoRegistryThenThereAreNoLatencies() {
		assertThat(new MicrometerRedisCommandLatencies(() -> null).describe()).isEmpty();
	}

}

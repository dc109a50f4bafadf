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

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
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
		Map<String, Object> latencies = new MicrometerRedisCommandLatencies(() -> registry).describe();
		assertThat(latencies).containsOnlyKeys("GET");
		assertThat(latencies.get("GET")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("count", 3L)
			.containsEntry("max_ms", 40.0)
			.containsKeys("mean_ms", "p50_ms", "p95_ms", "p99_ms");
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

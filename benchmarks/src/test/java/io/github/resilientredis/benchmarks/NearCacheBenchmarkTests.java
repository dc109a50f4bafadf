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

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke tests for {@link NearCacheBenchmark} and {@link NearCacheComparison}: with the
 * near cache off and on, and with Spring Boot's Caffeine cache, the application sets up
 * against a real Redis and its reads are cache hits, near hits when it is on, without
 * running JMH.
 *
 * @author resilient-redis contributors
 */
class NearCacheBenchmarkTests {

	@ParameterizedTest
	@CsvSource({ "off, record", "on, record", "on, string", "on, bean", "caffeine, string" })
	void whenTheApplicationIsSetUpThenReadsHitTheCache(String near, String values) {
		NearCacheBenchmark benchmark = new NearCacheBenchmark();
		benchmark.near = near;
		benchmark.values = values;
		benchmark.startRedisAndApplication();
		try {
			for (int i = 0; i < 500; i++) {
				assertThat(benchmark.hit()).isNotNull();
			}
			assertThat(benchmark.missesSinceSetUp()).isZero();
			if ("on".equals(near)) {
				assertThat(benchmark.nearHitsSinceSetUp()).isPositive();
				assertThat(benchmark.otherReads()).isLessThan(500);
			}
			else {
				assertThat(benchmark.nearHitsSinceSetUp()).isZero();
			}
		}
		finally {
			benchmark.stopApplicationAndRedis();
		}
	}

	@Test
	void theReportGivesEachRoundsRatioTheirMedianTheCpuPerCallAndTheNearHitLatency() {
		List<NearCacheComparison.Measurement> near = List.of(new NearCacheComparison.Measurement(6000, 4000),
				new NearCacheComparison.Measurement(8000, 3000), new NearCacheComparison.Measurement(7000, 5000));
		List<NearCacheComparison.Measurement> caffeine = List.of(new NearCacheComparison.Measurement(12000, 2000),
				new NearCacheComparison.Measurement(10000, 2000), new NearCacheComparison.Measurement(7000, 2000));
		String report = NearCacheComparison.report(Map.of("string", new NearCacheComparison.Rounds(near, caffeine)),
				new NearCacheComparison.Latency(1000, 10, 1500, 20_000, 40_000, 90_000, 0), 8);
		assertThat(report).contains("| string | 1 | 6,000 | 12,000 | 0.50× | 4.0 | 2.0 |")
			.contains("**0.80×** (0.50–1.00)")
			.contains("near 4.0 µs, Caffeine 2.0 µs")
			.contains("at most 10 of them not near hits")
			.contains("**p99 20.0 µs**");
	}

}

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke tests for {@link NearCacheBenchmark} and {@link NearCacheComparison}: with the
 * near cache off and on, the application sets up against a real Redis and its reads are
 * cache hits, near hits when it is on, without running JMH.
 *
 * @author resilient-redis contributors
 */
class NearCacheBenchmarkTests {

	@ParameterizedTest
	@ValueSource(strings = { "off", "on" })
	void whenTheApplicationIsSetUpThenReadsHitTheCache(String near) {
		NearCacheBenchmark benchmark = new NearCacheBenchmark();
		benchmark.near = near;
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
	void theReportGivesEachRoundsRatioTheirMedianAndTheNearHitLatency() {
		String report = NearCacheComparison.report(List.of(1000.0, 2000.0, 1000.0), List.of(6000.0, 8000.0, 7000.0),
				new NearCacheComparison.Latency(1000, 10, 1500, 20_000, 40_000, 90_000, 0), 8);
		assertThat(report).contains("| 1 | 1,000 | 6,000 | 6.0× |")
			.contains("**6.0×** (4.0–7.0)")
			.contains("at most 10 of them not near hits")
			.contains("**p99 20.0 µs**");
	}

}

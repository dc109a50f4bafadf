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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke tests for {@link CachedReadBenchmark} and {@link CacheOverheadComparison}: each
 * application, and each ablation of the starter, sets up against a real Redis and its
 * reads are cache hits, without running JMH.
 *
 * @author resilient-redis contributors
 */
class CachedReadBenchmarkTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "plain|", "starter|", "starter|benchmark.ablate=fence", "starter|benchmark.ablate=retry",
					"starter|benchmark.ablate=breaker-and-retry",
					"starter|resilient.redis.cache.fallback.enabled=false" })
	void whenTheApplicationIsSetUpThenReadsHitTheCache(String cache, String properties) {
		CachedReadBenchmark benchmark = new CachedReadBenchmark();
		benchmark.cache = cache;
		benchmark.properties = (properties != null) ? properties : "";
		benchmark.startRedisAndApplication();
		try {
			for (int i = 0; i < 200; i++) {
				assertThat(benchmark.hit()).isNotNull();
			}
			assertThat(benchmark.missesSinceSetUp()).isZero();
		}
		finally {
			benchmark.stopApplicationAndRedis();
		}
	}

	@Test
	void theReportGivesEachRoundsRatiosTheirMediansAndTheAllocationOverPlain() {
		Map<String, List<CacheOverheadComparison.Measurement>> measurements = new LinkedHashMap<>();
		measurements.put("plain",
				List.of(measurement(1000, 100, 40), measurement(2000, 100, 40), measurement(1000, 100, 40)));
		measurements.put("starter",
				List.of(measurement(900, 150, 44), measurement(2000, 160, 42), measurement(1100, 170, 40)));
		String report = CacheOverheadComparison.report(measurements, 3, 8);
		assertThat(report).contains("| starter | 1.000 (0.900–1.100) | 160 | +60 | 1.050 (1.000–1.100) |");
	}

	private static CacheOverheadComparison.Measurement measurement(double opsPerSecond, double bytes,
			double cpuMicros) {
		return new CacheOverheadComparison.Measurement(opsPerSecond, bytes, cpuMicros * 1000);
	}

}

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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke tests for {@link CacheOverheadBenchmark}: each mode sets up against a real Redis,
 * its reads are cache hits and its writes work, without running JMH.
 *
 * @author resilient-redis contributors
 */
class CacheOverheadBenchmarkTests {

	@ParameterizedTest
	@ValueSource(strings = { "plain", "starter", "fallback", "lettuce" })
	void whenModeIsSetUpThenReadsHitTheCacheAndPutsWrite(String mode) {
		CacheOverheadBenchmark benchmark = new CacheOverheadBenchmark();
		benchmark.mode = mode;
		benchmark.startRedisAndApplication();
		try {
			for (int i = 0; i < 100; i++) {
				assertThat(benchmark.hit()).isNotNull();
				assertThat(benchmark.put()).isNotNull();
			}
			assertThat(benchmark.missesSinceSetUp()).isZero();
		}
		finally {
			benchmark.stopApplicationAndRedis();
		}
	}

}

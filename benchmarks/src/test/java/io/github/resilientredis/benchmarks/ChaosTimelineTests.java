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

import java.nio.file.Path;

import io.github.resilientredis.benchmarks.ChaosTimeline.RunResult;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test for {@link ChaosTimeline} and {@link ScaleBenchmark}: the whole scenario at
 * a twentieth of its length, both runs and every output, without judging the figures; and
 * one short scale measurement.
 *
 * @author resilient-redis contributors
 */
class ChaosTimelineTests {

	@Test
	void whenTheScenarioRunsShortenedThenBothRunsAreReportedAndTheStarterReadsNoWrongValue(@TempDir Path output)
			throws Exception {
		System.setProperty("java.awt.headless", "true");
		ChaosReport report = new ChaosTimeline(output, 0.05, RedisServer.isBlackholeSupported()).run();
		assertThat(report.runs()).extracting(RunResult::resilient).containsExactly(false, true);
		assertThat(report.runs()).allSatisfy((run) -> {
			assertThat(run.calls()).isPositive();
			assertThat(run.seconds()).isNotEmpty();
		});
		assertThat(report.runs().get(1).wrongValues()).isZero();
		assertThat(output.resolve("chaos-timeline.png")).isNotEmptyFile();
		assertThat(output.resolve("chaos-timeline.md")).content().contains("| Failed calls |");
		assertThat(output.resolve("chaos-timeline.csv")).content().startsWith("run,second,");
	}

	@Test
	void whenScaleIsMeasuredBrieflyThenEveryReadIsAHit() {
		String table = ScaleBenchmark.run(new int[] { 100 }, new int[] { 2 }, 200_000_000L, 100_000_000L);
		assertThat(table.lines().skip(2).toList()).hasSize(2)
			.allSatisfy((row) -> assertThat(row).startsWith("| 100 |").endsWith("| 0 |"));
	}

}

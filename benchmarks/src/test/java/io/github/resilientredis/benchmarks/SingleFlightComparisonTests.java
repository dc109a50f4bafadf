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

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.github.resilientredis.benchmarks.SingleFlightComparison.Settings;
import io.github.resilientredis.benchmarks.SingleFlightComparison.Variant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test for {@link SingleFlightComparison}: 3 seconds of plain Spring Boot, 2 JVMs ×
 * 4 threads, on this module's test classpath without the starter, without judging the
 * figures. The starter's variants are left out: each variant takes about 15 s here (two
 * JVMs start, warm up and run), and the smoke tests of the default suite stay short.
 *
 * @author resilient-redis contributors
 */
class SingleFlightComparisonTests {

	@Test
	void whenPlainBootRunsBrieflyThenTheReportHasItsLoadsAndLatencies() throws Exception {
		Settings settings = new Settings(3, 2, 4, 10, 5000, 1, 50);
		List<Variant> variants = SingleFlightComparison.defaultVariants().subList(0, 1);
		// The JVMs start faster with the first compiler only; the figures are not judged
		System.setProperty("benchmarks.jvmArgs", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
		String report;
		try {
			report = SingleFlightComparison.run(settings, 1, variants, SingleFlightComparisonTests::classpath);
		}
		finally {
			System.clearProperty("benchmarks.jvmArgs");
		}
		assertThat(report).contains("| Variant | Windows | Windows with ≤ 1 call |")
			.contains("| Variant | Calls | Calls/s | p50 | p99 | Hits | Hit p99 | Boundary calls | Boundary p99 |")
			.contains("- beside: plain Spring Boot, windows with ≤ 1 call ");
		// 10 keys, each loaded at least once by each instance in the first window
		List<String> plain = cells(report, "| plain | 10 |");
		assertThat(Integer.parseInt(plain.get(7))).isGreaterThanOrEqualTo(20);
		assertThat(plain.get(8)).matches("\\d+ / \\d+");
	}

	private static List<String> cells(String report, String prefix) {
		String row = report.lines().filter((line) -> line.startsWith(prefix)).findFirst().orElseThrow();
		return Arrays.stream(row.substring(1, row.length() - 1).split("\\|")).map(String::trim).toList();
	}

	// Before the package phase writes target/classpaths: this module's test classpath,
	// the
	// starter taken out for plain Boot
	private static String classpath(String name) {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		if (!name.equals("plain")) {
			return classpath;
		}
		return Arrays.stream(classpath.split(File.pathSeparator))
			.filter((entry) -> !entry.contains("resilient-redis-autoconfigure")
					&& !entry.contains("resilient-redis-starter"))
			.collect(Collectors.joining(File.pathSeparator));
	}

}

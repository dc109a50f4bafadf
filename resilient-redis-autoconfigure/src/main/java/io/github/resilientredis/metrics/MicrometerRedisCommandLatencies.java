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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.resilientredis.actuate.endpoint.RedisCommandLatencies;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.jspecify.annotations.Nullable;

/**
 * {@link RedisCommandLatencies} read from the {@code lettuce.command.completion} timers
 * that Lettuce's {@code MicrometerCommandLatencyRecorder} records, with their client-side
 * percentiles.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class MicrometerRedisCommandLatencies implements RedisCommandLatencies {

	/**
	 * Name of Lettuce's timer of the time from sending a command to its completion.
	 */
	public static final String COMPLETION_TIMER = "lettuce.command.completion";

	private static final double[] PERCENTILES = { 0.5, 0.95, 0.99 };

	private final Supplier<@Nullable MeterRegistry> registry;

	/**
	 * Create a new instance.
	 * @param registry supplies the registry the timers are in, or {@code null}
	 */
	public MicrometerRedisCommandLatencies(Supplier<@Nullable MeterRegistry> registry) {
		this.registry = registry;
	}

	/**
	 * Return a filter that gives Lettuce's completion timers client-side percentiles
	 * (p50, p95, p99) without publishing histogram buckets; percentiles configured
	 * otherwise, for example through {@code management.metrics.distribution.*}, win.
	 * @return the filter
	 */
	public static MeterFilter percentiles() {
		return new MeterFilter() {

			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				if (!COMPLETION_TIMER.equals(id.getName())) {
					return config;
				}
				return config.merge(DistributionStatisticConfig.builder().percentiles(PERCENTILES).build());
			}

		};
	}

	@Override
	public Map<String, Latency> describe() {
		Map<String, Latency> latencies = new TreeMap<>();
		MeterRegistry registry = this.registry.get();
		if (registry == null) {
			return latencies;
		}
		for (Timer timer : registry.find(COMPLETION_TIMER).timers()) {
			HistogramSnapshot snapshot = timer.takeSnapshot();
			if (snapshot.count() == 0) {
				continue;
			}
			Map<String, Double> percentiles = new LinkedHashMap<>();
			for (ValueAtPercentile percentile : snapshot.percentileValues()) {
				percentiles.put("p" + label(percentile.percentile()), round(percentile.value(TimeUnit.MILLISECONDS)));
			}
			Latency latency = new Latency(snapshot.count(), round(snapshot.mean(TimeUnit.MILLISECONDS)),
					round(snapshot.max(TimeUnit.MILLISECONDS)), percentiles);
			String command = timer.getId().getTag("command");
			String remote = timer.getId().getTag("remote");
			String key = (command != null) ? command : "unknown";
			latencies.put(latencies.containsKey(key) ? key + "@" + remote : key, latency);
		}
		return latencies;
	}

	private static String label(double percentile) {
		String digits = Double.toString(percentile * 100);
		return digits.endsWith(".0") ? digits.substring(0, digits.length() - 2) : digits.replace(".", "");
	}

	private static double round(double value) {
		return Math.round(value * 1000) / 1000.0;
	}

}

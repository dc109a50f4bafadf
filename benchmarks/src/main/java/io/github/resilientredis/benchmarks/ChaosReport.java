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

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import javax.imageio.ImageIO;

import io.github.resilientredis.benchmarks.ChaosTimeline.FaultResult;
import io.github.resilientredis.benchmarks.ChaosTimeline.RunResult;
import io.github.resilientredis.benchmarks.ChaosTimeline.Second;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The results of a {@link ChaosTimeline} run: a CSV, a chart and a markdown summary.
 *
 * @author resilient-redis contributors
 */
final class ChaosReport {

	static final String NAME = "chaos-timeline";

	private static final double HIGH_P99_MS = 10;

	private static final double TARGET_P99_MS = 5;

	private static final double TARGET_RECOVERY_S = 1;

	private static final Color PLAIN = new Color(214, 39, 40);

	private static final Color RESILIENT = new Color(31, 119, 180);

	private static final Color FAULT = new Color(128, 128, 128, 60);

	private final List<RunResult> runs;

	private final double timeScale;

	private final boolean blackhole;

	private final List<Path> files = new ArrayList<>();

	ChaosReport(List<RunResult> runs, double timeScale, boolean blackhole) {
		this.runs = runs;
		this.timeScale = timeScale;
		this.blackhole = blackhole;
	}

	List<RunResult> runs() {
		return this.runs;
	}

	List<Path> files() {
		return this.files;
	}

	void write(Path directory) throws IOException {
		this.files.clear();
		this.files.add(Files.writeString(directory.resolve(NAME + ".csv"), csv(), StandardCharsets.UTF_8));
		Path chart = directory.resolve(NAME + ".png");
		ImageIO.write(chart(), "png", chart.toFile());
		this.files.add(chart);
		this.files.add(Files.writeString(directory.resolve(NAME + ".md"), markdown(), StandardCharsets.UTF_8));
	}

	String csv() {
		StringBuilder csv = new StringBuilder("run,second,fault,finished,failed,p50_ms,p99_ms,max_ms,breaker\n");
		for (RunResult run : this.runs) {
			for (Second second : run.seconds()) {
				csv.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%s,%s,%s,%s%n",
						run.resilient() ? "resilient-redis" : "plain-spring-boot", second.second(), second.phase(),
						second.finished(), second.failed(), number(second.p50()), number(second.p99()),
						number(second.max()), second.breaker()));
			}
		}
		return csv.toString();
	}

	private static String number(double value) {
		return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
	}

	String markdown() {
		StringBuilder md = new StringBuilder();
		md.append(String.format(Locale.ROOT,
				"%d threads, each one call every 2 ms (90 %% `@Cacheable` reads, 5 %% `@CachePut`, 5 %% `@CacheEvict`) "
						+ "on %d keys of its own%s. Faults:%n%n",
				ChaosTimeline.THREADS, ChaosTimeline.KEYS_PER_THREAD,
				(this.timeScale != 1.0) ? String.format(Locale.ROOT, ", time scale %.2f", this.timeScale) : ""));
		for (FaultResult fault : this.runs.get(0).faults()) {
			md.append(String.format(Locale.ROOT, "- %s (%s): from %.1f s to %.1f s%n", fault.fault(),
					fault.description(), fault.start(), fault.end()));
		}
		if (!this.blackhole) {
			md.append("- blackhole: skipped, it needs root, `ip netns` and a local redis-server\n");
		}
		md.append("\n| | ");
		this.runs.forEach((run) -> md.append(run.label()).append(" | "));
		md.append("target for resilient-redis |\n|---|");
		this.runs.forEach((run) -> md.append("--:|"));
		md.append("---|\n");
		row(md, "Calls finished", (run) -> String.format(Locale.ROOT, "%,d", run.calls()), "");
		row(md, "Failed calls", (run) -> String.format(Locale.ROOT, "%,d", run.failed()), "0");
		row(md, "Calls still stalled at the end (after a 5 s drain)", (run) -> String.valueOf(run.unfinished()), "");
		row(md, "Wrong (stale) values read", (run) -> String.valueOf(run.wrongValues()), "0");
		row(md, "Seconds with p99 > 10 ms (or no call finished)",
				(run) -> String.valueOf(secondsAbove(run, HIGH_P99_MS)), "");
		row(md, "Seconds with p99 > 5 ms after the first 2 s of an outage",
				(run) -> String.valueOf(secondsOverTargetInOutages(run)), "0");
		row(md, "Worst single call", (run) -> String.format(Locale.ROOT, "%,.0f ms", run.worstCall()), "");
		for (int i = 0; i < this.runs.get(0).faults().size(); i++) {
			int index = i;
			row(md, "Redis traffic again after the " + this.runs.get(0).faults().get(i).fault() + " ended",
					(run) -> recovery(run.faults().get(index).recovery()), "≤ 1 s");
		}
		md.append('\n');
		for (RunResult run : this.runs) {
			if (!run.failures().isEmpty()) {
				md.append("Failures, ").append(run.label()).append(": ");
				md.append(String.join("; ", run.failures().stream().map((f) -> "`" + f + "`").toList()));
				md.append("\n\n");
			}
			if (run.wrongValueExample() != null) {
				md.append("First wrong value, ").append(run.label()).append(": ").append(run.wrongValueExample());
				md.append("\n\n");
			}
		}
		md.append("Targets for resilient-redis: ").append(String.join(", ", targets())).append('\n');
		return md.toString();
	}

	private List<String> targets() {
		List<String> targets = new ArrayList<>();
		for (RunResult run : this.runs) {
			if (!run.resilient()) {
				continue;
			}
			targets.add(met("0 failed calls", run.failed() == 0));
			targets.add(met("p99 ≤ 5 ms after the first 2 s of every outage", secondsOverTargetInOutages(run) == 0));
			targets.add(met("recovery ≤ 1 s", run.faults()
				.stream()
				.allMatch((fault) -> !Double.isNaN(fault.recovery()) && fault.recovery() <= TARGET_RECOVERY_S)));
			targets.add(met("0 wrong values", run.wrongValues() == 0));
		}
		return targets;
	}

	private static String met(String target, boolean met) {
		return target + (met ? " **met**" : " **not met**");
	}

	private static String recovery(double seconds) {
		return Double.isNaN(seconds) ? "not within the run" : String.format(Locale.ROOT, "%.2f s", seconds);
	}

	private void row(StringBuilder md, String title, Function<RunResult, String> value, String target) {
		md.append("| ").append(title).append(" | ");
		this.runs.forEach((run) -> md.append(value.apply(run)).append(" | "));
		md.append(target).append(" |\n");
	}

	static long secondsAbove(RunResult run, double millis) {
		return run.seconds().stream().filter((second) -> second.finished() == 0 || second.p99() > millis).count();
	}

	/**
	 * Count the seconds, wholly inside an outage and after its first
	 * {@link ChaosTimeline#COMMAND_TIMEOUT}, in which p99 exceeded the target or no call
	 * finished.
	 * @param run the run
	 * @return the number of seconds
	 */
	static long secondsOverTargetInOutages(RunResult run) {
		double grace = ChaosTimeline.COMMAND_TIMEOUT.toNanos() / 1e9;
		return run.seconds()
			.stream()
			.filter((second) -> run.faults()
				.stream()
				.anyMatch((fault) -> second.second() >= tenths(fault.start()) + grace
						&& second.second() + 1 <= tenths(fault.end())))
			.filter((second) -> second.finished() == 0 || second.p99() > TARGET_P99_MS)
			.count();
	}

	private static double tenths(double seconds) {
		// Faults start a few microseconds after their scheduled time
		return Math.round(seconds * 10) / 10.0;
	}

	BufferedImage chart() {
		XYChart latency = chart(
				"p99 latency of the calls that finished in each second (log scale; " + "a gap: no call finished)",
				"ms");
		latency.getStyler().setYAxisLogarithmic(true);
		latency.getStyler().setMarkerSize(5);
		double maxP99 = this.runs.stream()
			.flatMap((run) -> run.seconds().stream())
			.mapToDouble(Second::p99)
			.filter((value) -> !Double.isNaN(value))
			.max()
			.orElse(1);
		double top = Math.pow(10, Math.ceil(Math.log10(Math.max(maxP99, 10) * 1.5)));
		series(latency, Second::p99, "p99");
		shadeFaults(latency, 0.1, top);
		XYChart throughput = chart("Calls finished (solid) and failed (dotted) per second", "calls / s");
		series(throughput, (second) -> second.finished(), "finished");
		series(throughput, (second) -> second.failed(), "failed");
		double maxCalls = this.runs.stream()
			.flatMap((run) -> run.seconds().stream())
			.mapToDouble(Second::finished)
			.max()
			.orElse(1);
		shadeFaults(throughput, 0, maxCalls * 1.15);
		BufferedImage top1 = BitmapEncoder.getBufferedImage(latency);
		BufferedImage bottom = BitmapEncoder.getBufferedImage(throughput);
		BufferedImage image = new BufferedImage(top1.getWidth(), top1.getHeight() + bottom.getHeight(),
				BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		try {
			graphics.drawImage(top1, 0, 0, null);
			graphics.drawImage(bottom, 0, top1.getHeight(), null);
		}
		finally {
			graphics.dispose();
		}
		return image;
	}

	private XYChart chart(String title, String yAxis) {
		XYChart chart = new XYChartBuilder().width(1200)
			.height(420)
			.title(title)
			.xAxisTitle("seconds since the start of the run (both runs follow the same schedule)")
			.yAxisTitle(yAxis)
			.build();
		chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
		chart.getStyler().setChartBackgroundColor(Color.WHITE);
		chart.getStyler().setXAxisMin(0.0);
		return chart;
	}

	private void series(XYChart chart, ToDoubleFunction<Second> value, String name) {
		boolean dotted = "failed".equals(name);
		for (RunResult run : this.runs) {
			List<Second> seconds = run.seconds();
			double[] x = new double[seconds.size()];
			double[] y = new double[seconds.size()];
			for (int i = 0; i < seconds.size(); i++) {
				x[i] = seconds.get(i).second() + 0.5;
				y[i] = value.applyAsDouble(seconds.get(i));
			}
			XYSeries series = chart.addSeries(run.label() + ": " + name, x, y);
			series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
			// Markers show the seconds between two without any finished call
			series.setMarker("p99".equals(name) ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
			series.setMarkerColor(run.resilient() ? RESILIENT : PLAIN);
			series.setLineColor(run.resilient() ? RESILIENT : PLAIN);
			series.setLineWidth(2f);
			if (dotted) {
				series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
						new float[] { 2f, 4f }, 0f));
			}
		}
	}

	private void shadeFaults(XYChart chart, double bottom, double top) {
		chart.getStyler().setYAxisMin(bottom);
		chart.getStyler().setYAxisMax(top);
		for (FaultResult fault : this.runs.get(0).faults()) {
			XYSeries area = chart.addSeries(fault.fault(),
					new double[] { fault.start(), fault.start(), fault.end(), fault.end() },
					new double[] { bottom, top, top, bottom });
			area.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
			area.setMarker(SeriesMarkers.NONE);
			area.setFillColor(FAULT);
			area.setLineColor(FAULT);
			area.setShowInLegend(false);
			boolean logarithmic = chart.getStyler().isYAxisLogarithmic();
			double labelY = logarithmic ? top / 3 : top * 0.95;
			chart.addAnnotation(new AnnotationText(fault.fault(), (fault.start() + fault.end()) / 2, labelY, false));
		}
	}

}

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

package io.github.resilientredis.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.resilientredis.connection.RedisTransport;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the sample's endpoints, in process, against a real Redis.
 *
 * @author resilient-redis contributors
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.catalog.repository-latency=" + SampleApplicationTests.REPOSITORY_LATENCY_MILLIS + "ms",
				"sample.hot-key.database-latency=" + SampleApplicationTests.REPOSITORY_LATENCY_MILLIS + "ms" })
class SampleApplicationTests {

	/**
	 * Time the repository behind the products cache takes: long enough that a read served
	 * from Redis is told apart from one that reached the repository even on a loaded
	 * machine.
	 */
	static final int REPOSITORY_LATENCY_MILLIS = 1000;

	static final RedisServer redis = RedisServer.start();

	@Autowired
	private RedisTransport transport;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.applyTo(registry);
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	private SampleHttp http() {
		return new SampleHttp("http://localhost:" + this.port);
	}

	@Test
	void whenAProductIsReadTwiceThenTheSecondReadComesFromRedisWithoutTheSlowRepository() {
		SampleHttp http = http();
		SampleHttp.Response first = http.get("/api/products/2");
		SampleHttp.Response second = http.get("/api/products/2");
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(REPOSITORY_LATENCY_MILLIS));
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(second.elapsed()).isLessThan(Duration.ofMillis(REPOSITORY_LATENCY_MILLIS / 2));
		assertThat(redis.execute("GET", "products::2")).contains("\"name\":\"Coffee grinder\"");
	}

	@Test
	void whenAProductIsUpdatedThenItIsEvictedAndTheNextReadIsTheNewVersion() {
		SampleHttp http = http();
		long version = http.get("/api/products/3").json().path("version").asLong();
		SampleHttp.Response updated = http.put("/api/products/3", Map.of("name", "Milk jug", "price", 14.5));
		assertThat(updated.status()).isEqualTo(200);
		assertThat(http.get("/api/products/3").json().path("version").asLong()).isEqualTo(version + 1);
	}

	@Test
	void whenAnUnknownProductIsReadThenTheAnswerIs404() {
		assertThat(http().get("/api/products/999").status()).isEqualTo(404);
	}

	@Test
	void whenVerificationCodesAreRequestedBeyondTheLimitThenTheAnswerIs429() {
		SampleHttp http = http();
		Map<String, Object> body = Map.of("email", UUID.randomUUID() + "@example.com");
		assertThat(http.post("/api/v1/auth/resend-verification-code", body).status()).isEqualTo(200);
		assertThat(http.post("/api/v1/auth/resend-verification-code", body).status()).isEqualTo(200);
		assertThat(http.post("/api/v1/auth/resend-verification-code", body).status()).isEqualTo(200);
		SampleHttp.Response refused = http.post("/api/v1/auth/resend-verification-code", body);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.json().path("counted").asBoolean()).isTrue();
	}

	@Test
	void whenAProductIsUpdatedThenLiveClientsReceiveTheEventThroughRedis() throws InterruptedException {
		SampleHttp http = http();
		BlockingQueue<String> events = http.events("/api/events");
		http.get("/api/products/4");
		// Wait for the subscription: heartbeats arrive through Redis every 2 s.
		assertThat(events.poll(10, TimeUnit.SECONDS)).contains("\"type\":\"heartbeat\"");
		http.put("/api/products/4", Map.of("name", "Tamper", "price", 21));
		String event;
		do {
			event = events.poll(10, TimeUnit.SECONDS);
		}
		while (event != null && !event.contains("product-updated"));
		assertThat(event).contains("\"price\":21");
	}

	@Test
	void whenStatusIsAskedThenRedisTheBreakerAndTheCachesAreShown() {
		SampleHttp http = http();
		http.get("/api/products/1");
		SampleHttp.Response status = http.get("/api/status");
		assertThat(status.status()).isEqualTo(200);
		assertThat(status.json().path("redis").path("up").asBoolean()).isTrue();
		assertThat(status.json().path("circuitBreaker").asString()).isEqualTo("CLOSED");
		assertThat(status.json().path("caches").has("products")).isTrue();
	}

	@Test
	void whenTheChartHistoryIsAskedThenItHasSamplesOfCatalogReadsWithLatencyAndHitRate() {
		SampleHttp http = http();
		long before = System.currentTimeMillis();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			http.get("/api/products/5");
			JsonNode history = http.get("/api/status/history?after=" + before).json();
			assertThat(history.path("spanMs").asLong()).isEqualTo(Duration.ofMinutes(5).toMillis());
			assertThat(history.path("samples").values()).isNotEmpty()
				.allSatisfy((sample) -> assertThat(sample.path("t").asLong()).isGreaterThan(before))
				.anySatisfy((sample) -> {
					assertThat(sample.path("redisUp").asBoolean()).isTrue();
					assertThat(sample.path("breaker").asString()).isEqualTo("CLOSED");
					assertThat(sample.path("latencyMs").isNumber()).isTrue();
					assertThat(sample.path("hitRate").isNumber()).isTrue();
					assertThat(sample.path("hitRate").asDouble()).isBetween(0.0, 100.0);
				});
		});
	}

	@Test
	void whenTheHotKeyExpiresWithoutSingleFlightThenEveryInstanceLoadsItAndTheStatusCountsTheDatabaseCalls() {
		SampleHttp http = http();
		JsonNode result = http.post("/api/hot-key/stampede", Map.of()).json();
		assertThat(result.path("singleFlight").asBoolean()).isFalse();
		assertThat(result.path("callers").asInt()).isEqualTo(3 * 8);
		assertThat(result.path("failed").asInt()).isZero();
		// sync = true: one load per instance at most; without single flight, more than
		// one in all
		assertThat(result.path("databaseCallsPerInstance").values()).hasSize(3)
			.allSatisfy((calls) -> assertThat(calls.asLong()).isLessThanOrEqualTo(1));
		assertThat(result.path("databaseCalls").asLong()).isGreaterThan(1);
		JsonNode hotKey = http.get("/api/status").json().path("hotKey");
		assertThat(hotKey.path("singleFlight").asBoolean()).isFalse();
		assertThat(hotKey.path("last").path("databaseCalls").asLong()).isEqualTo(result.path("databaseCalls").asLong());
		assertThat(hotKey.path("databaseCalls").asLong()).isGreaterThanOrEqualTo(result.path("databaseCalls").asLong());
	}

	@Test
	void whenActuatorIsAskedThenHealthAndPrometheusAnswer() {
		SampleHttp http = http();
		SampleHttp.Response health = http.get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().path("components").has("redis")).isTrue();
		assertThat(http.get("/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
	}

	@Test
	void whenTheStatusPageIsAskedThenItIsServed() {
		assertThat(http().get("/").body()).contains("<canvas id=\"chart\"");
	}

	@Test
	@EnabledOnOs(value = OS.LINUX, architectures = "amd64")
	void whenStarterRunsOnLinuxX86ThenTheBundledEpollTransportIsInForce() {
		assertThat(this.transport).isEqualTo(RedisTransport.EPOLL);
	}

	/**
	 * The status page in a real headless Chromium, in the same application context.
	 */
	@Nested
	class StatusPageInChromium {

		private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

		private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

		/**
		 * Text that looks like JSON: an opening brace or bracket before a quote, or a
		 * quoted key followed by a colon.
		 */
		private static final String RAW_JSON = "[{\\[]\\s*\"|\"[A-Za-z_]+\"\\s*:";

		private ChromeDriver browser;

		@BeforeEach
		void startTheBrowser() {
			Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
					"the status page test needs Debian's chromium and chromium-driver "
							+ "(apt-get install chromium chromium-driver; .ci/run installs them)");
			ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
				.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400");
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
				.build();
			this.browser = new ChromeDriver(service, options);
		}

		@AfterEach
		void closeTheBrowser() {
			if (this.browser != null) {
				this.browser.quit();
			}
		}

		@ParameterizedTest(name = "{0} px wide")
		@ValueSource(ints = { 1280, 390 })
		void whenThePageIsOpenedThenItFitsTheWidthShowsNoRawJsonAndChartsDataWithinFiveSeconds(int width)
				throws IOException {
			open(width, (width < 600) ? 844 : 900);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(
						() -> assertThat(chartPoints()).as("samples with a value on the chart").isGreaterThan(1));
			awaitText("redis-state", "UP");
			awaitBanner("ok");
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(this.browser.findElements(By.cssSelector("#stats-fields dd")))
					.hasSizeGreaterThan(5));
			assertThat(text("stats-fields")).contains("Redis").contains("Circuit breaker").contains("CLOSED");
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(text("stats-fields")).as("p99 of a command from percentiles_ms")
					.containsPattern("[A-Z]+ [0-9.]+ ms \\(\\d+ calls\\)"));
			Map<String, Object> layout = script("var d = document.documentElement;"
					+ "var tiles = Array.from(document.querySelectorAll('.tile, canvas, section'));"
					+ "return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, innerWidth: window.innerWidth,"
					+ " widest: Math.max.apply(null, tiles.map(function (e) { return e.getBoundingClientRect().right; })) };");
			assertThat(((Number) layout.get("innerWidth")).intValue()).isEqualTo(width);
			assertThat(((Number) layout.get("scrollWidth")).intValue()).as("no horizontal scroll")
				.isLessThanOrEqualTo(((Number) layout.get("clientWidth")).intValue());
			assertThat(((Number) layout.get("widest")).doubleValue()).as("right edge of the widest card")
				.isLessThanOrEqualTo(width);
			assertThat(rawJsonLines()).as("lines of the page that look like raw JSON").isEmpty();
			fullPageScreenshot("status-page-" + width + ".png", width);
		}

		@Test
		void whenRedisIsKilledThenThePageShowsTheOutageAndWhenItIsBackThePageShowsRecovery() throws IOException {
			open(1280, 1400);
			awaitText("redis-state", "UP");
			awaitBanner("ok");
			awaitText("live-state", "receiving");
			assertThat(text("latency")).endsWith(" ms");
			redis.kill();
			awaitText("redis-state", "DOWN");
			awaitBanner("outage");
			assertThat(text("banner")).contains("Redis is DOWN").contains("keeps serving");
			await().atMost(Duration.ofSeconds(20)).until(() -> !text("breaker-state").equals("CLOSED"));
			await().atMost(Duration.ofSeconds(10)).until(() -> text("live-state").startsWith("stalled"));
			assertThat(rawJsonLines()).as("lines of the page that look like raw JSON").isEmpty();
			screenshot("status-page-outage.png");
			redis.restart();
			awaitText("redis-state", "UP");
			awaitBanner("ok");
			awaitText("breaker-state", "CLOSED");
			awaitText("live-state", "receiving");
			assertThat(text("log")).contains("Redis stopped answering PING").contains("Redis answers PING again");
			screenshot("status-page-recovered.png");
		}

		private void open(int width, int height) {
			emulate(width, height);
			this.browser.get("http://localhost:" + SampleApplicationTests.this.port + "/");
		}

		/**
		 * Give the page a viewport of exactly this size, as a phone or a laptop would.
		 */
		private void emulate(int width, int height) {
			this.browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
					Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
		}

		private int chartPoints() {
			String points = this.browser.findElement(By.id("chart")).getDomAttribute("data-points");
			return (points != null) ? Integer.parseInt(points) : 0;
		}

		private List<String> rawJsonLines() {
			return script("var json = new RegExp(arguments[0]);"
					+ "return document.body.innerText.split('\\n').filter(function (line) { return json.test(line); });",
					RAW_JSON);
		}

		@SuppressWarnings("unchecked")
		private <T> T script(String script, Object... arguments) {
			return (T) this.browser.executeScript(script, arguments);
		}

		private void fullPageScreenshot(String name, int width) throws IOException {
			Number height = script("return document.documentElement.scrollHeight;");
			emulate(width, Math.min(height.intValue(), 4000));
			screenshot(name);
		}

		private void awaitText(String id, String expected) {
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(text(id)).isEqualTo(expected));
		}

		private void awaitBanner(String level) {
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(this.browser.findElement(By.id("banner")).getDomAttribute("data-level"))
					.isEqualTo(level));
		}

		private String text(String id) {
			return this.browser.findElement(By.id(id)).getText();
		}

		private void screenshot(String name) throws IOException {
			byte[] png = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.BYTES);
			Files.write(Files.createDirectories(Path.of("target")).resolve(name), png);
		}

	}

}

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
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for the sample's endpoints, used by the tests that run the
 * application in process and as a separate process.
 *
 * @author resilient-redis contributors
 */
final class SampleHttp {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final String baseUrl;

	SampleHttp(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	Response get(String path) {
		return send(request(path).GET().build());
	}

	Response put(String path, Map<String, Object> body) {
		return send(request(path).header("Content-Type", "application/json")
			.PUT(BodyPublishers.ofString(this.json.writeValueAsString(body)))
			.build());
	}

	Response post(String path, Map<String, Object> body) {
		return send(request(path).header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(this.json.writeValueAsString(body)))
			.build());
	}

	/**
	 * Open a Server-Sent-Events stream and collect its {@code data:} lines.
	 * @param path the path of the stream
	 * @return the queue the data lines arrive in
	 */
	BlockingQueue<String> events(String path) {
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Accept", "text/event-stream")
			.GET()
			.build();
		this.client.sendAsync(request, BodyHandlers.ofLines()).thenAccept((response) -> {
			try (Stream<String> body = response.body()) {
				body.filter((line) -> line.startsWith("data:")).forEach((line) -> lines.add(line.substring(5)));
			}
		});
		return lines;
	}

	JsonNode json(String text) {
		return this.json.readTree(text);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.baseUrl + path)).timeout(TIMEOUT);
	}

	private Response send(HttpRequest request) {
		long start = System.nanoTime();
		try {
			HttpResponse<String> response = this.client.send(request, BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - start),
					this.json);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An answer.
	 *
	 * @param status the HTTP status
	 * @param body the body
	 * @param elapsed how long the request took
	 * @param mapper reads the body as JSON
	 */
	record Response(int status, String body, Duration elapsed, JsonMapper mapper) {

		JsonNode json() {
			return this.mapper.readTree(this.body);
		}

	}

}

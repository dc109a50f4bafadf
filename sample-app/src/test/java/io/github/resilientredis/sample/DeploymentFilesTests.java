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
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the structure of {@code docker-compose.yml} and the GitHub Actions workflow,
 * which cannot run on the project's machines (no Docker engine, no GitHub Actions).
 *
 * @author resilient-redis contributors
 */
class DeploymentFilesTests {

	@Test
	void whenComposeStartsTheAppThenRedisIsHealthyBoundedAndPersistent() throws IOException {
		Map<String, Object> compose = load(Path.of("docker-compose.yml"));
		Map<String, Object> redis = map(map(compose, "services"), "redis");
		assertThat(redis).containsEntry("image", "redis:7-alpine");
		assertThat(String.join(" ", list(redis, "command"))).contains("--maxmemory 256mb")
			.contains("--maxmemory-policy allkeys-lru")
			.contains("--appendonly yes");
		assertThat(list(map(redis, "healthcheck"), "test")).containsExactly("CMD", "redis-cli", "ping");
		assertThat(list(redis, "volumes")).containsExactly("redis_data:/data");
		assertThat(map(compose, "volumes")).containsKey("redis_data");
		Map<String, Object> app = map(map(compose, "services"), "app");
		assertThat(map(app, "environment")).containsEntry("REDIS_URL", "redis://redis:6379/0");
		assertThat(map(map(app, "depends_on"), "redis")).containsEntry("condition", "service_healthy");
	}

	@Test
	void whenTheWorkflowRunsThenRedisIsAHealthCheckedServiceAndTheBuildIsVerify() throws IOException {
		Map<String, Object> workflow = load(Path.of("..", ".github", "workflows", "ci.yml"));
		Map<String, Object> job = map(map(workflow, "jobs"), "verify");
		Map<String, Object> redis = map(map(job, "services"), "redis");
		assertThat(redis).containsEntry("image", "redis:7-alpine");
		assertThat((String) redis.get("options")).contains("--health-cmd \"redis-cli ping\"");
		List<Map<String, Object>> steps = list(job, "steps");
		assertThat(steps).extracting((step) -> step.get("run")).contains("./mvnw -B -ntp verify");
	}

	private static Map<String, Object> load(Path file) throws IOException {
		assertThat(file).exists();
		return new Yaml().load(Files.readString(file));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		assertThat(parent).containsKey(key);
		return (Map<String, Object>) parent.get(key);
	}

	@SuppressWarnings("unchecked")
	private static <T> List<T> list(Map<String, Object> parent, String key) {
		assertThat(parent).containsKey(key);
		return (List<T>) parent.get(key);
	}

}

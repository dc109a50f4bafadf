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

package io.github.resilientredis.test;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * The role of one {@link RedisServer}, which delegates to it: {@code REPLICAOF} another
 * server, {@code REPLICAOF NO ONE}, and {@code ROLE}.
 *
 * @author resilient-redis contributors
 */
final class RedisReplication {

	private final RedisServer server;

	private final ControlConnection control;

	RedisReplication(RedisServer server, ControlConnection control) {
		this.server = server;
		this.control = control;
	}

	void replicaOf(RedisServer primary) {
		Assert.isTrue(primary != this.server, "A server cannot replicate itself");
		String username = primary.username();
		String password = primary.password();
		if (username != null) {
			this.control.command("CONFIG", "SET", "masteruser", username);
		}
		if (password != null) {
			this.control.command("CONFIG", "SET", "masterauth", password);
		}
		this.control.command("REPLICAOF", primary.host(), String.valueOf(primary.port()));
		Polling.await(Duration.ofSeconds(20), () -> {
			String replication = String.valueOf(this.control.execute("INFO", "replication"));
			return replication.contains("master_link_status:up") && !replication.contains("master_sync_in_progress:1");
		}, () -> this.server + " in sync with " + primary + ": " + this.control.execute("INFO", "replication"));
	}

	void promote() {
		this.control.command("REPLICAOF", "NO", "ONE");
	}

	String role() {
		String reply = String.valueOf(this.control.execute("ROLE"));
		int end = reply.indexOf('\n');
		return (end != -1) ? reply.substring(0, end) : reply;
	}

}

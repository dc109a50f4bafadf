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

package io.github.resilientredis.connection;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RedisServerIdentity}.
 *
 * @author resilient-redis contributors
 */
class RedisServerIdentityTests {

	private final RedisServerIdentity identity = new RedisServerIdentity("run-1", "repl-1", 100, "master");

	@Test
	void isReadFromInfoServerAndInfoReplication() {
		Properties server = new Properties();
		server.setProperty("run_id", "3f2a");
		server.setProperty("redis_version", "7.0.15");
		Properties replication = new Properties();
		replication.setProperty("role", "master");
		replication.setProperty("master_replid", "9b1c");
		replication.setProperty("master_repl_offset", "1234");
		assertThat(RedisServerIdentity.of(server, replication))
			.isEqualTo(new RedisServerIdentity("3f2a", "9b1c", 1234, "master"));
	}

	@Test
	void whenInfoHasNoRunIdThenItIsRejected() {
		// The aggregated INFO of a cluster connection prefixes every key with its node.
		Properties server = new Properties();
		server.setProperty("127.0.0.1:7000.run_id", "3f2a");
		assertThatIllegalArgumentException().isThrownBy(() -> RedisServerIdentity.of(server, new Properties()));
	}

	@Test
	void theSameServerFurtherAlongIsAContinuation() {
		assertThat(new RedisServerIdentity("run-1", "repl-1", 100, "master").isContinuationOf(this.identity)).isTrue();
		assertThat(new RedisServerIdentity("run-1", "repl-1", 250, "master").isContinuationOf(this.identity)).isTrue();
	}

	@Test
	void aRestartedServerIsNotAContinuation() {
		RedisServerIdentity restarted = new RedisServerIdentity("run-2", "repl-1", 100, "master");
		assertThat(restarted.isContinuationOf(this.identity)).isFalse();
		assertThat(restarted.describeChangeFrom(this.identity)).isEqualTo("run_id run-1 -> run-2");
	}

	@Test
	void anotherReplicationHistoryIsNotAContinuation() {
		RedisServerIdentity promoted = new RedisServerIdentity("run-1", "repl-2", 300, "master");
		assertThat(promoted.isContinuationOf(this.identity)).isFalse();
		assertThat(promoted.describeChangeFrom(this.identity))
			.isEqualTo("master_replid repl-1 -> repl-2, master_repl_offset 100 -> 300");
	}

	@Test
	void anOffsetThatWentBackIsNotAContinuation() {
		RedisServerIdentity behind = new RedisServerIdentity("run-1", "repl-1", 99, "master");
		assertThat(behind.isContinuationOf(this.identity)).isFalse();
	}

}

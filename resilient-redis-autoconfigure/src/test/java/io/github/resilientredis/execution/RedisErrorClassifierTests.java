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

package io.github.resilientredis.execution;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import io.netty.channel.ChannelException;
import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.serializer.SerializationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisErrorClassifier}.
 *
 * @author resilient-redis contributors
 */
class RedisErrorClassifierTests {

	private final RedisErrorClassifier classifier = new RedisErrorClassifier();

	@ParameterizedTest(name = "{0} is {1} ({2})")
	@MethodSource("failures")
	void whenFailureIsClassifiedThenCategoryAndErrorTypeMatch(String description, RedisErrorCategory category,
			String errorType, Throwable failure) {
		assertThat(this.classifier.classify(failure)).isEqualTo(category);
		assertThat(this.classifier.errorType(failure)).isEqualTo(errorType);
	}

	static Stream<Arguments> failures() {
		return Stream.of(
				row("refused connection translated by Spring", RedisErrorCategory.TRANSIENT, "connection_refused",
						new RedisConnectionFailureException("Redis connection failed",
								new RedisConnectionException("Unable to connect to localhost/127.0.0.1:6390",
										new ConnectException("Connection refused")))),
				row("Lettuce connection failure", RedisErrorCategory.TRANSIENT, "connection_failure",
						new RedisConnectionException("Unable to connect")),
				row("Spring connection failure", RedisErrorCategory.TRANSIENT, "connection_failure",
						new RedisConnectionFailureException("Cannot get connection")),
				row("command timeout translated by Spring", RedisErrorCategory.TRANSIENT, "timeout",
						new QueryTimeoutException("Redis command timed out",
								new RedisCommandTimeoutException("Command timed out after 100 millisecond(s)"))),
				row("JDK timeout", RedisErrorCategory.TRANSIENT, "timeout", new TimeoutException()),
				row("Netty connect timeout", RedisErrorCategory.TRANSIENT, "timeout",
						new ConnectTimeoutException("connection timed out: localhost/127.0.0.1:6379")),
				row("rejected while disconnected", RedisErrorCategory.TRANSIENT, "not_connected",
						new RedisSystemException("Redis exception",
								new RedisException("Currently not connected. Commands are rejected."))),
				row("connection closed under a command", RedisErrorCategory.TRANSIENT, "connection_closed",
						new RedisException("Connection closed")),
				row("closed channel", RedisErrorCategory.TRANSIENT, "connection_closed", new ClosedChannelException()),
				row("connection reset", RedisErrorCategory.TRANSIENT, "connection_reset",
						new IOException("Connection reset by peer")),
				row("Netty channel failure", RedisErrorCategory.TRANSIENT, "connection_failure",
						new ChannelException("channel broken")),
				row("LOADING", RedisErrorCategory.TRANSIENT, "loading",
						new RedisSystemException("Error in execution",
								new RedisLoadingException("LOADING Redis is loading the dataset in memory"))),
				row("BUSY", RedisErrorCategory.TRANSIENT, "busy",
						new RedisBusyException("BUSY Redis is busy running a script. You can only call "
								+ "SCRIPT KILL or SHUTDOWN NOSAVE.")),
				row("TRYAGAIN", RedisErrorCategory.TRANSIENT, "tryagain",
						new RedisCommandExecutionException("TRYAGAIN Multiple keys request during rehashing of slot")),
				row("CLUSTERDOWN", RedisErrorCategory.TRANSIENT, "clusterdown",
						new RedisCommandExecutionException("CLUSTERDOWN The cluster is down")),
				row("MASTERDOWN", RedisErrorCategory.TRANSIENT, "masterdown",
						new RedisCommandExecutionException("MASTERDOWN Link with MASTER is down and "
								+ "replica-serve-stale-data is set to 'no'.")),
				row("READONLY", RedisErrorCategory.TRANSIENT, "readonly",
						new RedisReadOnlyException("READONLY You can't write against a read only replica.")),
				row("MOVED beyond the cluster client's redirects", RedisErrorCategory.REDIS_FAULT, "moved",
						new RedisCommandExecutionException("MOVED 12182 127.0.0.1:7002")),
				row("ASK beyond the cluster client's redirects", RedisErrorCategory.REDIS_FAULT, "ask",
						new RedisCommandExecutionException("ASK 12182 127.0.0.1:7002")),
				row("CROSSSLOT", RedisErrorCategory.CALLER, "crossslot",
						new RedisCommandExecutionException("CROSSSLOT Keys in request don't hash to the same slot")),
				row("NOAUTH", RedisErrorCategory.REDIS_FAULT, "noauth",
						new RedisSystemException("Error in execution",
								new RedisCommandExecutionException("NOAUTH Authentication required."))),
				row("WRONGPASS while connecting", RedisErrorCategory.REDIS_FAULT, "wrongpass",
						new RedisConnectionFailureException("Redis connection failed",
								new RedisConnectionException("Unable to connect to localhost/<unresolved>:6379",
										new RedisCommandExecutionException(
												"WRONGPASS invalid username-password pair or user is disabled.")))),
				row("NOPERM", RedisErrorCategory.REDIS_FAULT, "noperm",
						new RedisCommandExecutionException(
								"NOPERM User app has no permissions to run the 'flushall' command")),
				row("OOM", RedisErrorCategory.REDIS_FAULT, "oom",
						new RedisCommandExecutionException("OOM command not allowed when used memory > 'maxmemory'.")),
				row("MISCONF", RedisErrorCategory.REDIS_FAULT, "misconf",
						new RedisCommandExecutionException("MISCONF Redis is configured to save RDB snapshots, "
								+ "but it's currently unable to persist to disk.")),
				row("too many clients", RedisErrorCategory.REDIS_FAULT, "max_clients",
						new RedisCommandExecutionException("ERR max number of clients reached")),
				row("unclassified Spring Redis failure", RedisErrorCategory.REDIS_FAULT, "other",
						new RedisSystemException("Redis exception", new IllegalStateException("unexpected"))),
				row("WRONGTYPE", RedisErrorCategory.CALLER, "wrongtype",
						new RedisSystemException("Error in execution",
								new RedisCommandExecutionException(
										"WRONGTYPE Operation against a key holding the wrong kind of value"))),
				row("unknown command", RedisErrorCategory.CALLER, "command_error",
						new RedisCommandExecutionException("ERR unknown command 'FOO', with args beginning with: ")),
				row("syntax error", RedisErrorCategory.CALLER, "command_error",
						new RedisCommandExecutionException("ERR syntax error")),
				row("other error reply", RedisErrorCategory.CALLER, "noscript",
						new RedisCommandExecutionException("NOSCRIPT No matching script.")),
				row("serialization", RedisErrorCategory.CALLER, "serialization",
						new SerializationException("Could not read JSON", new IllegalArgumentException("bad token"))),
				row("interrupted", RedisErrorCategory.CALLER, "interrupted",
						new RedisCommandInterruptedException(new InterruptedException())),
				row("application exception", RedisErrorCategory.CALLER, "other",
						new IllegalStateException("application bug")),
				row("application exception wrapping a Redis failure", RedisErrorCategory.TRANSIENT,
						"connection_failure",
						new IllegalStateException("lookup failed",
								new RedisConnectionFailureException("Redis connection failed"))),
				row("application I/O failure", RedisErrorCategory.CALLER, "other", new IOException("No such file")));
	}

	private static Arguments row(String description, RedisErrorCategory category, String errorType, Throwable failure) {
		return Arguments.arguments(description, category, errorType, failure);
	}

	@Test
	void whenCauseChainHasCycleThenClassificationTerminates() {
		RuntimeException first = new RuntimeException("first");
		RuntimeException second = new RuntimeException("second");
		first.initCause(second);
		second.initCause(first);
		assertThat(this.classifier.classify(first)).isEqualTo(RedisErrorCategory.CALLER);
	}

	@Test
	void whenFailureIsTransientOrRedisFaultThenItIsARedisFailure() {
		assertThat(RedisErrorCategory.TRANSIENT.isRedisFailure()).isTrue();
		assertThat(RedisErrorCategory.REDIS_FAULT.isRedisFailure()).isTrue();
		assertThat(RedisErrorCategory.CALLER.isRedisFailure()).isFalse();
	}

}

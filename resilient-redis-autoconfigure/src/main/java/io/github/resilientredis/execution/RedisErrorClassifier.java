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
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.netty.channel.ChannelException;
import io.netty.channel.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * Classifies a failure of a Redis operation into a {@link RedisErrorCategory} and a
 * short, stable {@code snake_case} error type for logs and metrics.
 * <p>
 * Understands Spring's {@code DataAccessException} translations
 * ({@code RedisConnectionFailureException}, {@code QueryTimeoutException},
 * {@code RedisSystemException}), Lettuce's exceptions and error replies of the server,
 * and the JDK and Netty I/O exceptions underneath them. The cause chain is walked from
 * the root cause outwards and the first exception that says something definite wins, so
 * that a {@code RedisConnectionException} caused by a {@code WRONGPASS} reply is a
 * {@link RedisErrorCategory#REDIS_FAULT}, not a connection problem. Exceptions that are
 * not related to Redis at all are {@link RedisErrorCategory#CALLER} failures.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class RedisErrorClassifier {

	private static final int MAX_CAUSE_DEPTH = 32;

	private static final Classification OTHER_CALLER = new Classification(RedisErrorCategory.CALLER, "other");

	/**
	 * Error replies by code. The topology errors are transient because a failover ends
	 * them: {@code CLUSTERDOWN} (slots without a master), {@code TRYAGAIN} (a slot being
	 * resharded), {@code MASTERDOWN} (a replica that lost its master) and
	 * {@code READONLY} (a write that reached a demoted master). {@code MOVED} and
	 * {@code ASK} are followed by Lettuce's cluster client; one that reaches the caller
	 * means that redirects ran out or that a standalone client talks to a cluster, which
	 * retrying does not fix.
	 */
	private static final Map<String, Classification> SERVER_REPLIES = Map.ofEntries(transientReply("LOADING"),
			transientReply("BUSY"), transientReply("TRYAGAIN"), transientReply("CLUSTERDOWN"),
			transientReply("MASTERDOWN"), transientReply("READONLY"), transientReply("NOREPLICAS"),
			redisFaultReply("NOAUTH"), redisFaultReply("WRONGPASS"), redisFaultReply("NOPERM"), redisFaultReply("OOM"),
			redisFaultReply("MISCONF"), redisFaultReply("MOVED"), redisFaultReply("ASK"),
			Map.entry("WRONGTYPE", new Classification(RedisErrorCategory.CALLER, "wrongtype")),
			Map.entry("ERR", new Classification(RedisErrorCategory.CALLER, "command_error")));

	/**
	 * Return the category of the given failure.
	 * @param failure the failure of a Redis operation
	 * @return the category
	 */
	public RedisErrorCategory classify(Throwable failure) {
		return classification(failure).category();
	}

	/**
	 * Return a short, stable {@code snake_case} name for the kind of the given failure,
	 * such as {@code connection_refused}, {@code timeout}, {@code loading},
	 * {@code wrongpass} or {@code other}, suitable as a log field or metric tag.
	 * @param failure the failure of a Redis operation
	 * @return the error type
	 */
	public String errorType(Throwable failure) {
		return classification(failure).errorType();
	}

	Classification classification(Throwable failure) {
		List<Throwable> chain = causeChain(failure);
		for (int i = chain.size() - 1; i >= 0; i--) {
			Classification classification = classifyOne(chain.get(i));
			if (classification != null) {
				return classification;
			}
		}
		return OTHER_CALLER;
	}

	private static List<Throwable> causeChain(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		Throwable current = failure;
		while (current != null && chain.size() < MAX_CAUSE_DEPTH && seen.add(current)) {
			chain.add(current);
			current = current.getCause();
		}
		return chain;
	}

	private static @Nullable Classification classifyOne(Throwable ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : "";
		if (ex instanceof RedisCommandExecutionException) {
			return serverReply(message);
		}
		if (ex instanceof RedisCommandTimeoutException || ex instanceof TimeoutException
				|| ex instanceof QueryTimeoutException || ex instanceof SocketTimeoutException
				|| ex instanceof ConnectTimeoutException || ex instanceof io.netty.handler.timeout.TimeoutException) {
			return transientFailure("timeout");
		}
		if (ex instanceof ConnectException) {
			return transientFailure("connection_refused");
		}
		if (ex instanceof ClosedChannelException) {
			return transientFailure("connection_closed");
		}
		if (ex instanceof UnknownHostException) {
			return transientFailure("unknown_host");
		}
		if (ex instanceof IOException) {
			return ioFailure(ex, message);
		}
		if (ex instanceof ChannelException) {
			return transientFailure("connection_failure");
		}
		if (ex instanceof RedisCommandInterruptedException) {
			return new Classification(RedisErrorCategory.CALLER, "interrupted");
		}
		if (ex instanceof RedisConnectionException) {
			return message.startsWith("Connection closed") ? transientFailure("connection_closed")
					: transientFailure("connection_failure");
		}
		if (ex instanceof RedisException) {
			return lettuceFailure(message);
		}
		if (ex instanceof SerializationException) {
			return new Classification(RedisErrorCategory.CALLER, "serialization");
		}
		if (ex instanceof DataAccessResourceFailureException || ex instanceof TransientDataAccessException) {
			return transientFailure("connection_failure");
		}
		if (ex instanceof RedisSystemException) {
			return new Classification(RedisErrorCategory.REDIS_FAULT, "other");
		}
		if (ex instanceof InvalidDataAccessApiUsageException) {
			return new Classification(RedisErrorCategory.CALLER, "invalid_usage");
		}
		return null;
	}

	private static @Nullable Classification ioFailure(Throwable ex, String message) {
		String lowerCaseMessage = message.toLowerCase(Locale.ROOT);
		if (lowerCaseMessage.contains("connection reset") || lowerCaseMessage.contains("broken pipe")) {
			return transientFailure("connection_reset");
		}
		if (lowerCaseMessage.contains("connection refused")) {
			return transientFailure("connection_refused");
		}
		// Other I/O failures may come from the application's own code (files, HTTP).
		return (ex instanceof SocketException) ? transientFailure("connection_failure") : null;
	}

	private static Classification lettuceFailure(String message) {
		if (message.startsWith("Currently not connected")) {
			return transientFailure("not_connected");
		}
		if (message.startsWith("Connection closed") || message.startsWith("Connection is closed")
				|| message.startsWith("Connection disconnected")) {
			return transientFailure("connection_closed");
		}
		if (message.startsWith("Request queue size exceeded") || message.startsWith("Command buffer size exceeded")) {
			return transientFailure("request_queue_full");
		}
		Classification reply = SERVER_REPLIES.get(firstWord(message));
		return (reply != null) ? reply : new Classification(RedisErrorCategory.REDIS_FAULT, "other");
	}

	private static Classification serverReply(String message) {
		String code = firstWord(message);
		if (code.equals("ERR") && message.contains("max number of clients")) {
			return new Classification(RedisErrorCategory.REDIS_FAULT, "max_clients");
		}
		Classification classification = SERVER_REPLIES.get(code);
		if (classification != null) {
			return classification;
		}
		// Any other error reply (NOSCRIPT, EXECABORT, BUSYKEY...) rejects this command
		// only.
		boolean wellFormed = code.length() >= 2 && code.length() <= 20 && code.chars().allMatch(Character::isUpperCase);
		return new Classification(RedisErrorCategory.CALLER,
				wellFormed ? code.toLowerCase(Locale.ROOT) : "server_error");
	}

	private static String firstWord(String message) {
		int space = message.indexOf(' ');
		return (space != -1) ? message.substring(0, space) : message;
	}

	private static Classification transientFailure(String errorType) {
		return new Classification(RedisErrorCategory.TRANSIENT, errorType);
	}

	private static Map.Entry<String, Classification> transientReply(String code) {
		return Map.entry(code, transientFailure(code.toLowerCase(Locale.ROOT)));
	}

	private static Map.Entry<String, Classification> redisFaultReply(String code) {
		return Map.entry(code, new Classification(RedisErrorCategory.REDIS_FAULT, code.toLowerCase(Locale.ROOT)));
	}

	/**
	 * Category and error type of one failure.
	 *
	 * @param category how the failure is handled
	 * @param errorType short {@code snake_case} name of the failure
	 */
	record Classification(RedisErrorCategory category, String errorType) {

	}

}

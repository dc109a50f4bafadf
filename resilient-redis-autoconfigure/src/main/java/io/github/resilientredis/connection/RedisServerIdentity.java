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

import org.springframework.util.Assert;

/**
 * Who a Redis server is and how far its data has come, as {@code INFO server} and
 * {@code INFO replication} tell: the {@code run_id} of the process, the replication id of
 * its data set ({@code master_replid}) and the replication offset within it
 * ({@code master_repl_offset}).
 * <p>
 * A server that is not a {@link #isContinuationOf continuation} of the one seen before
 * may have lost writes that the earlier one acknowledged: it restarted (from an RDB
 * snapshot or an append-only file written once a second), or it is another server, such
 * as a replica promoted before it received the last writes.
 *
 * @param runId the {@code run_id}: random for each start of a server process
 * @param replicationId the {@code master_replid}: the history of the data set
 * @param replicationOffset the {@code master_repl_offset}: how far that history has come
 * @param role the {@code role}: {@code master} or {@code slave}
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public record RedisServerIdentity(String runId, String replicationId, long replicationOffset, String role) {

	public RedisServerIdentity {
		Assert.hasText(runId, "'runId' must not be empty");
		Assert.notNull(replicationId, "'replicationId' must not be null");
		Assert.notNull(role, "'role' must not be null");
	}

	/**
	 * Read the identity from the replies of {@code INFO server} and
	 * {@code INFO replication}.
	 * @param server the reply of {@code INFO server}
	 * @param replication the reply of {@code INFO replication}
	 * @return the identity
	 * @throws IllegalArgumentException if the replies hold no {@code run_id}, as the
	 * aggregated replies of a cluster connection do
	 */
	public static RedisServerIdentity of(Properties server, Properties replication) {
		String runId = server.getProperty("run_id");
		Assert.isTrue(runId != null && !runId.isBlank(), "INFO server has no run_id");
		String offset = replication.getProperty("master_repl_offset", "0").strip();
		long replicationOffset;
		try {
			replicationOffset = Long.parseLong(offset);
		}
		catch (NumberFormatException ex) {
			replicationOffset = 0;
		}
		return new RedisServerIdentity(runId.strip(), replication.getProperty("master_replid", "").strip(),
				replicationOffset, replication.getProperty("role", "").strip());
	}

	/**
	 * Return whether this server holds at least what the earlier one held: the same
	 * process, with the same replication history, not behind it.
	 * @param earlier the identity seen before
	 * @return whether no acknowledged write can have been lost in between
	 */
	public boolean isContinuationOf(RedisServerIdentity earlier) {
		return this.runId.equals(earlier.runId) && this.replicationId.equals(earlier.replicationId)
				&& this.replicationOffset >= earlier.replicationOffset;
	}

	/**
	 * Describe what changed from the earlier identity, for a log line.
	 * @param earlier the identity seen before
	 * @return the changes, for example {@code run_id 3f2a -> 9b1c}
	 */
	public String describeChangeFrom(RedisServerIdentity earlier) {
		StringBuilder changes = new StringBuilder();
		if (!this.runId.equals(earlier.runId)) {
			changes.append("run_id ").append(earlier.runId).append(" -> ").append(this.runId);
		}
		if (!this.replicationId.equals(earlier.replicationId)) {
			append(changes, "master_replid ").append(earlier.replicationId).append(" -> ").append(this.replicationId);
		}
		if (this.replicationOffset != earlier.replicationOffset) {
			append(changes, "master_repl_offset ").append(earlier.replicationOffset)
				.append(" -> ")
				.append(this.replicationOffset);
		}
		if (!this.role.equals(earlier.role)) {
			append(changes, "role ").append(earlier.role).append(" -> ").append(this.role);
		}
		return changes.toString();
	}

	private static StringBuilder append(StringBuilder changes, String text) {
		return changes.append((changes.length() > 0) ? ", " : "").append(text);
	}

}

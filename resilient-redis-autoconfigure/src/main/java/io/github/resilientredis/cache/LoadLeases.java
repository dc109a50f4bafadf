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

package io.github.resilientredis.cache;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The per-key load leases of one cache in Redis, the only code that talks to Redis about
 * them: a miss takes the key's lease ({@code SET lease token NX PX}), the holder stores
 * the loaded value only while it still holds the lease and releases it in the same
 * script, which also publishes the key on the wake-up channel so that waiting callers on
 * every instance read the value. Every other write of the key revokes the lease first, so
 * that a load that started before the write is not stored after it, on any instance.
 * <p>
 * The lease of a key lives in the key's hash slot ({@link #leaseKey(byte[])}), so that
 * the scripts run on a cluster. Every call goes through the cache's breaker, so that its
 * failures count; a call the breaker refuses, or that Redis fails, answers that the lease
 * cannot be asked for, and the caller loads in the JVM.
 *
 * @author resilient-redis contributors
 */
final class LoadLeases {

	/** The channel on which stores and releases publish the key whose lease ended. */
	static final String CHANNEL = "resilient-redis:loads";

	private static final byte[] CHANNEL_BYTES = CHANNEL.getBytes(StandardCharsets.UTF_8);

	private static final byte[] LEASE_SUFFIX = "~lease".getBytes(StandardCharsets.UTF_8);

	/** Unique per JVM, so that two instances never hold the same token. */
	private static final String INSTANCE = instanceId();

	private static final AtomicLong tokens = new AtomicLong();

	private static final byte[] ONE = { '1' };

	private static final byte[] ZERO = { '0' };

	/**
	 * KEYS: value, lease; ARGV: token, lease milliseconds, whether to answer a value held
	 * first. Answers {1, value} when the key holds a value (and the value was asked for),
	 * {0} when the lease was taken, {2, remaining milliseconds} when another caller holds
	 * it.
	 */
	private static final LuaScript ACQUIRE = new LuaScript("""
			if ARGV[3] == '1' then
				local value = redis.call('GET', KEYS[1])
				if value then return {1, value} end
			end
			if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
			return {2, redis.call('PTTL', KEYS[2])}
			""");

	/**
	 * KEYS: value, lease; ARGV: token, value, time to live in milliseconds (0: none),
	 * channel. Stores only while the token holds the lease.
	 */
	private static final LuaScript STORE_AND_RELEASE = new LuaScript("""
			if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
			if ARGV[3] == '0' then
				redis.call('SET', KEYS[1], ARGV[2])
			else
				redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
			end
			redis.call('DEL', KEYS[2])
			redis.call('PUBLISH', ARGV[4], KEYS[1])
			return 1
			""");

	/** KEYS: value, lease; ARGV: token, channel. Releases only the token's own lease. */
	private static final LuaScript RELEASE = new LuaScript("""
			if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
			redis.call('DEL', KEYS[2])
			redis.call('PUBLISH', ARGV[2], KEYS[1])
			return 1
			""");

	/** KEYS: value, lease; ARGV: channel. Revokes whoever holds the lease. */
	private static final LuaScript REVOKE = new LuaScript("""
			if redis.call('DEL', KEYS[2]) == 0 then return 0 end
			redis.call('PUBLISH', ARGV[1], KEYS[1])
			return 1
			""");

	private final CacheCircuit circuit;

	private final RedisConnectionFactory connectionFactory;

	private final Duration leaseTime;

	private final byte[] leaseMillis;

	/** Whether leases take the braced form for keys without a hash tag. */
	private final boolean cluster;

	private final String acquireOperation;

	private final String storeOperation;

	private final String releaseOperation;

	LoadLeases(String cacheName, RedisConnectionFactory connectionFactory, CacheCircuit circuit, Duration leaseTime,
			boolean cluster) {
		this.circuit = circuit;
		this.connectionFactory = connectionFactory;
		this.leaseTime = leaseTime;
		this.leaseMillis = ascii(Math.max(1, leaseTime.toMillis()));
		this.cluster = cluster;
		this.acquireOperation = "LEASE " + cacheName;
		this.storeOperation = "LEASE STORE " + cacheName;
		this.releaseOperation = "LEASE RELEASE " + cacheName;
	}

	/**
	 * Return whether the connection factory connects to a Redis Cluster, where leases
	 * must live in their value's hash slot.
	 * @param connectionFactory the connection factory
	 * @return whether it is cluster-aware
	 */
	static boolean isCluster(RedisConnectionFactory connectionFactory) {
		return connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware();
	}

	/**
	 * Return the longest time a lease is held.
	 * @return the lease time
	 */
	Duration leaseTime() {
		return this.leaseTime;
	}

	/**
	 * Try to take the lease of the key.
	 * @param binaryKey the serialized key of the value
	 * @return the lease, or {@code null} if another caller holds it or Redis cannot be
	 * asked (the breaker refuses it, or Redis failed the call)
	 */
	@Nullable Lease tryAcquire(byte[] binaryKey) {
		return acquire(binaryKey, false).lease();
	}

	/**
	 * Answer the value the key holds, or else try to take its lease, in one round trip.
	 * @param binaryKey the serialized key of the value
	 * @return what Redis answered
	 */
	Attempt acquireIfAbsent(byte[] binaryKey) {
		return acquire(binaryKey, true);
	}

	private Attempt acquire(byte[] binaryKey, boolean ifAbsent) {
		byte[] leaseKey = leaseKey(binaryKey);
		if (leaseKey == null || !this.circuit.canWrite()) {
			return Attempt.UNAVAILABLE;
		}
		byte[] token = token();
		long server = this.circuit.serverStamp();
		List<?> reply;
		try {
			reply = this.circuit.write(this.acquireOperation, () -> eval(ACQUIRE, ReturnType.MULTI, binaryKey, leaseKey,
					token, this.leaseMillis, ifAbsent ? ONE : ZERO));
		}
		catch (RuntimeException ex) {
			this.circuit.requireRedisFailure(ex);
			return Attempt.UNAVAILABLE;
		}
		if (reply == null || reply.isEmpty() || !(reply.get(0) instanceof Long outcome)) {
			return Attempt.UNAVAILABLE;
		}
		if (outcome == 0) {
			return new Attempt(new RedisLease(binaryKey, leaseKey, token), null, null);
		}
		if (!this.circuit.trustsReply(server)) {
			// Possibly from a server not checked yet: the caller loads in the JVM.
			return Attempt.UNAVAILABLE;
		}
		if (outcome == 1 && reply.size() > 1 && reply.get(1) instanceof byte[] value) {
			return new Attempt(null, value, null);
		}
		long remaining = (reply.size() > 1 && reply.get(1) instanceof Long pttl) ? pttl : -1;
		// A lease without expiry (not one of ours) is waited for as long as ours.
		return new Attempt(null, null, (remaining >= 0) ? Duration.ofMillis(remaining) : this.leaseTime);
	}

	/**
	 * Revoke the lease of the key, whoever holds it, before another write of the key: a
	 * load that holds it then does not store its value. A failure is counted by the
	 * breaker and otherwise ignored: the write that follows takes its own route.
	 * @param binaryKey the serialized key of the value
	 */
	void revoke(byte[] binaryKey) {
		byte[] leaseKey = leaseKey(binaryKey);
		if (leaseKey == null || !this.circuit.canWrite()) {
			return;
		}
		try {
			this.circuit.write(this.releaseOperation,
					() -> eval(REVOKE, ReturnType.INTEGER, binaryKey, leaseKey, CHANNEL_BYTES));
		}
		catch (RuntimeException ex) {
			this.circuit.requireRedisFailure(ex);
		}
	}

	/**
	 * Wake the callers waiting for leases of the keys a pattern matches, after a clear
	 * deleted them. A failure is counted by the breaker and otherwise ignored: the
	 * waiters wait for the leases' remaining time.
	 * @param pattern the serialized key pattern
	 */
	void cleared(byte[] pattern) {
		if (!this.circuit.canWrite()) {
			return;
		}
		try {
			this.circuit.write(this.releaseOperation, () -> {
				try (RedisConnection connection = this.connectionFactory.getConnection()) {
					return connection.publish(CHANNEL_BYTES, pattern);
				}
			});
		}
		catch (RuntimeException ex) {
			this.circuit.requireRedisFailure(ex);
		}
	}

	/**
	 * Return the patterns of the leases of the keys a serialized key pattern matches, for
	 * a clear of the cache to delete them too.
	 * @param pattern the serialized key pattern
	 * @return the lease patterns
	 */
	List<byte[]> leasePatterns(byte[] pattern) {
		byte[] plain = concat(pattern, LEASE_SUFFIX);
		if (!this.cluster) {
			return List.of(plain);
		}
		return List.of(plain, concat(new byte[] { '{' }, pattern, new byte[] { '}' }, LEASE_SUFFIX));
	}

	/**
	 * Return the lease key of a value key, in the value's hash slot: the key followed by
	 * {@code ~lease}, so that a clear of the cache's keys deletes leases too; on a
	 * cluster, a key without a hash tag is braced first, so that the lease hashes as the
	 * whole key does.
	 * @param binaryKey the serialized key of the value
	 * @return the lease key, or {@code null} for a key of a cluster that no lease key
	 * hashes with (a key without a hash tag that holds a closing brace)
	 */
	byte @Nullable [] leaseKey(byte[] binaryKey) {
		if (!this.cluster || hasHashTag(binaryKey)) {
			return concat(binaryKey, LEASE_SUFFIX);
		}
		for (byte b : binaryKey) {
			if (b == '}') {
				return null;
			}
		}
		return concat(new byte[] { '{' }, binaryKey, new byte[] { '}' }, LEASE_SUFFIX);
	}

	/**
	 * Return whether a key holds a hash tag as Redis Cluster reads it: the bytes between
	 * the first {@code {} and the first {@code }} after it, when there are any.
	 * @param key the key
	 * @return whether the key hashes by its tag
	 */
	static boolean hasHashTag(byte[] key) {
		for (int open = 0; open < key.length; open++) {
			if (key[open] == '{') {
				for (int close = open + 1; close < key.length; close++) {
					if (key[close] == '}') {
						return close > open + 1;
					}
				}
				return false;
			}
		}
		return false;
	}

	private <T> T eval(LuaScript script, ReturnType type, byte[]... keysAndArgs) {
		return script.eval(this.connectionFactory, type, 2, keysAndArgs);
	}

	private static String instanceId() {
		byte[] id = new byte[8];
		new SecureRandom().nextBytes(id);
		return HexFormat.of().formatHex(id);
	}

	private static byte[] token() {
		return (INSTANCE + ":" + tokens.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] ascii(long value) {
		return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] result = new byte[length];
		int offset = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, result, offset, part.length);
			offset += part.length;
		}
		return result;
	}

	/**
	 * A lease held: the right to store the key's value once.
	 */
	interface Lease {

		/**
		 * Store the value only if this lease is still held, then release it and wake the
		 * waiters, in one script.
		 * @param binaryValue the serialized value
		 * @param timeToLive the value's time to live, zero or negative for none
		 * @return whether the value was stored; {@code false} if the lease was lost
		 * (expired, or revoked by a write of the key)
		 * @throws RuntimeException the Redis failure, counted by the breaker
		 */
		boolean storeAndRelease(byte[] binaryValue, Duration timeToLive);

		/**
		 * Release the lease without storing (the loader failed), waking the waiters so
		 * that one of them loads. A Redis failure is counted and otherwise ignored: the
		 * lease then expires.
		 */
		void release();

	}

	/**
	 * What an acquisition answered: the lease taken, the value already held, the
	 * remaining time of another caller's lease, or none of them when Redis could not be
	 * asked.
	 *
	 * @param lease the lease taken, or {@code null}
	 * @param value the serialized value the key holds, or {@code null}
	 * @param held the remaining time of the lease another caller holds, or {@code null}
	 */
	record Attempt(@Nullable Lease lease, byte @Nullable [] value, @Nullable Duration held) {

		static final Attempt UNAVAILABLE = new Attempt(null, null, null);

		/**
		 * Return whether Redis could not be asked.
		 * @return whether the caller loads in the JVM
		 */
		boolean isUnavailable() {
			return this.lease == null && this.value == null && this.held == null;
		}

	}

	private final class RedisLease implements Lease {

		private final byte[] binaryKey;

		private final byte[] leaseKey;

		private final byte[] token;

		RedisLease(byte[] binaryKey, byte[] leaseKey, byte[] token) {
			this.binaryKey = binaryKey;
			this.leaseKey = leaseKey;
			this.token = token;
		}

		@Override
		public boolean storeAndRelease(byte[] binaryValue, Duration timeToLive) {
			byte[] millis = (timeToLive.isNegative() || timeToLive.isZero()) ? ZERO
					: ascii(Math.max(1, timeToLive.toMillis()));
			Long stored = LoadLeases.this.circuit.write(LoadLeases.this.storeOperation, () -> eval(STORE_AND_RELEASE,
					ReturnType.INTEGER, this.binaryKey, this.leaseKey, this.token, binaryValue, millis, CHANNEL_BYTES));
			return stored != null && stored == 1;
		}

		@Override
		public void release() {
			if (!LoadLeases.this.circuit.canWrite()) {
				return;
			}
			try {
				LoadLeases.this.circuit.write(LoadLeases.this.releaseOperation, () -> eval(RELEASE, ReturnType.INTEGER,
						this.binaryKey, this.leaseKey, this.token, CHANNEL_BYTES));
			}
			catch (RuntimeException ex) {
				LoadLeases.this.circuit.requireRedisFailure(ex);
			}
		}

	}

}

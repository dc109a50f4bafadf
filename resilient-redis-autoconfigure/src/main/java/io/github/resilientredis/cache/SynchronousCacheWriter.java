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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.cache.CacheStatistics;
import org.springframework.data.redis.cache.CacheStatisticsCollector;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A cache writer whose {@code put} returns once Redis has taken the write, so that a read
 * that follows sees it and a failed write is never silent. The starter's own writer is
 * Spring Data Redis's, writing synchronously and taking no cache lock: a
 * {@link ResilientRedisCache} that writes through it fences its synchronized loads
 * ({@code get(key, loader)}) itself. A writer of the application's own is wrapped: its
 * {@code put} waits for its asynchronous {@code store}, and synchronized loads go through
 * its get-or-load, so that a locking writer takes its Redis lock, fenced by the cache.
 *
 * @author resilient-redis contributors
 * @see ResilientRedisCacheManager#synchronousCacheWriter(RedisConnectionFactory)
 */
final class SynchronousCacheWriter implements RedisCacheWriter {

	private final RedisCacheWriter delegate;

	/** Whether the delegate is the starter's own writer, which writes synchronously. */
	private final boolean starters;

	private SynchronousCacheWriter(RedisCacheWriter delegate, boolean starters) {
		this.delegate = delegate;
		this.starters = starters;
	}

	static RedisCacheWriter create(RedisConnectionFactory connectionFactory) {
		return new SynchronousCacheWriter(
				RedisCacheWriter.create(connectionFactory, (configurer) -> configurer.immediateWrites()), true);
	}

	/**
	 * Return a writer whose writes are synchronous: the given one if it is, a wrapper of
	 * it otherwise.
	 * @param writer the cache writer
	 * @return the synchronous writer
	 */
	static SynchronousCacheWriter of(RedisCacheWriter writer) {
		return (writer instanceof SynchronousCacheWriter synchronous) ? synchronous
				: new SynchronousCacheWriter(writer, false);
	}

	/**
	 * Return whether this is the starter's own writer, which takes no cache lock: then a
	 * cache fences its synchronized loads in the JVM rather than through the writer's
	 * get-or-load.
	 * @return whether this is the starter's writer
	 */
	boolean isStarters() {
		return this.starters;
	}

	@Override
	public byte @Nullable [] get(String name, byte[] key) {
		return this.delegate.get(name, key);
	}

	@Override
	public byte @Nullable [] get(String name, byte[] key, @Nullable Duration ttl) {
		return this.delegate.get(name, key, ttl);
	}

	@Override
	public byte[] get(String name, byte[] key, Supplier<byte[]> valueLoader, @Nullable Duration ttl,
			boolean timeToIdleEnabled) {
		return this.delegate.get(name, key, valueLoader, ttl, timeToIdleEnabled);
	}

	@Override
	public boolean supportsAsyncRetrieve() {
		return this.delegate.supportsAsyncRetrieve();
	}

	@Override
	public CompletableFuture<byte[]> retrieve(String name, byte[] key, @Nullable Duration ttl) {
		return this.delegate.retrieve(name, key, ttl);
	}

	@Override
	public void put(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
		if (this.starters || !this.delegate.supportsAsyncRetrieve()) {
			this.delegate.put(name, key, value, ttl);
			return;
		}
		// A writer of Spring Data Redis 4 may write asynchronously: its store completes
		// once Redis has taken the write.
		try {
			this.delegate.store(name, key, value, ttl).join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw ex;
		}
	}

	@Override
	public CompletableFuture<Void> store(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
		return this.delegate.store(name, key, value, ttl);
	}

	@Override
	public byte @Nullable [] putIfAbsent(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
		return this.delegate.putIfAbsent(name, key, value, ttl);
	}

	@Override
	public void evict(String name, byte[] key) {
		this.delegate.evict(name, key);
	}

	@Override
	public boolean evictIfPresent(String name, byte[] key) {
		return this.delegate.evictIfPresent(name, key);
	}

	@Override
	public void clear(String name, byte[] pattern) {
		this.delegate.clear(name, pattern);
	}

	@Override
	public boolean invalidate(String name, byte[] pattern) {
		return this.delegate.invalidate(name, pattern);
	}

	@Override
	public <T> T execute(Function<RedisConnection, T> callback) {
		return this.delegate.execute(callback);
	}

	@Override
	public CacheStatistics getCacheStatistics(String cacheName) {
		return this.delegate.getCacheStatistics(cacheName);
	}

	@Override
	public void clearStatistics(String name) {
		this.delegate.clearStatistics(name);
	}

	@Override
	public RedisCacheWriter withStatisticsCollector(CacheStatisticsCollector cacheStatisticsCollector) {
		return new SynchronousCacheWriter(this.delegate.withStatisticsCollector(cacheStatisticsCollector),
				this.starters);
	}

}

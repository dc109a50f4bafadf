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

package io.github.resilientredis.sample.hotkey;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * The bestseller of the day, read through {@code @Cacheable(sync = true)} from a database
 * that takes {@code sample.hot-key.database-latency} (300 ms) to answer. The first
 * argument picks which simulated application instance reads it (its cache, through
 * {@link HotKeyInstances#cacheResolver()}); every database call is counted per instance.
 *
 * @author resilient-redis contributors
 */
@Service
public class BestsellerService {

	/**
	 * Name of the cache of every instance.
	 */
	public static final String CACHE = "bestsellers";

	private final Duration latency;

	private final AtomicLongArray databaseCalls;

	BestsellerService(@Value("${sample.hot-key.database-latency:300ms}") Duration latency,
			@Value("${sample.hot-key.instances:3}") int instances) {
		this.latency = latency;
		this.databaseCalls = new AtomicLongArray(instances);
	}

	/**
	 * Return the bestseller as the given instance reads it: from its cache, else from the
	 * slow database, one load at a time per key in the instance.
	 * @param instance the instance, from 0
	 * @param key the key
	 * @return the bestseller
	 */
	@Cacheable(cacheNames = CACHE, key = "#key", sync = true, cacheResolver = HotKeyInstances.CACHE_RESOLVER)
	public String find(int instance, String key) {
		this.databaseCalls.incrementAndGet(instance);
		LockSupport.parkNanos(this.latency.toNanos());
		return key + " loaded by instance " + (instance + 1) + " at " + System.currentTimeMillis();
	}

	/**
	 * Return the database calls of each instance since startup.
	 * @return the calls, by instance
	 */
	long[] databaseCalls() {
		long[] calls = new long[this.databaseCalls.length()];
		for (int i = 0; i < calls.length; i++) {
			calls[i] = this.databaseCalls.get(i);
		}
		return calls;
	}

	Duration latency() {
		return this.latency;
	}

}

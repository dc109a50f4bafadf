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

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One load per key at a time in this JVM, for {@code get(key, loader)}.
 *
 * @author resilient-redis contributors
 */
final class InFlightLoads {

	private static final int STRIPES = 64;

	private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

	InFlightLoads() {
		for (int i = 0; i < STRIPES; i++) {
			this.locks[i] = new ReentrantLock();
		}
	}

	/**
	 * Run the load of the key, alone among the loads of the key in this JVM.
	 * @param <T> the value type
	 * @param key the key
	 * @param load the load
	 * @return the loaded value
	 */
	<T> @Nullable T load(Object key, Supplier<@Nullable T> load) {
		ReentrantLock lock = this.locks[Math.floorMod(key.hashCode(), STRIPES)];
		lock.lock();
		try {
			return load.get();
		}
		finally {
			lock.unlock();
		}
	}

}

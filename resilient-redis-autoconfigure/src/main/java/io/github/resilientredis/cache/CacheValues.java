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

import org.jspecify.annotations.Nullable;

/**
 * How a cache turns values into the bytes Redis and the fallback hold, and back: its
 * serialization pair, its handling of {@code null} and its time to live.
 *
 * @author resilient-redis contributors
 */
interface CacheValues {

	/**
	 * Serialize a value to store.
	 * @param value the value
	 * @return the serialized store value
	 * @throws IllegalArgumentException if the value is {@code null} and the cache does
	 * not allow {@code null}
	 */
	byte[] serialize(@Nullable Object value);

	/**
	 * Deserialize a stored value.
	 * @param value the serialized store value
	 * @return the store value
	 */
	@Nullable Object deserialize(byte[] value);

	/**
	 * Return the user value of a store value.
	 * @param storeValue the store value
	 * @return the user value
	 */
	@Nullable Object fromStoreValue(Object storeValue);

	/**
	 * Return the time to live of an entry in Redis.
	 * @param key the key
	 * @param value the value, {@code null} for a read
	 * @return the time to live
	 */
	Duration timeToLive(Object key, @Nullable Object value);

}

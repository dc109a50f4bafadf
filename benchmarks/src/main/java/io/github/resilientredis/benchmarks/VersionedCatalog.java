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

package io.github.resilientredis.benchmarks;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;

/**
 * The cached service the benchmarks drive: a map stands for the database, and every value
 * carries the version it was written with, so that a stale read can be detected.
 *
 * @author resilient-redis contributors
 */
public class VersionedCatalog {

	/**
	 * Name of the cache.
	 */
	public static final String CACHE = "items";

	/**
	 * Name of the cache of {@link #findText} (String values).
	 */
	public static final String TEXTS = "texts";

	/**
	 * Name of the cache of {@link #findBean} (values of a mutable class).
	 */
	public static final String BEANS = "beans";

	static final String PAYLOAD = "p".repeat(100);

	private final Map<String, Long> database = new ConcurrentHashMap<>();

	private final LongAdder loads = new LongAdder();

	/**
	 * Read an item, from the cache or else from the database.
	 * @param key the key
	 * @return the item
	 */
	@Cacheable(cacheNames = CACHE)
	public Item find(String key) {
		this.loads.increment();
		return new Item(key, this.database.getOrDefault(key, 0L), PAYLOAD);
	}

	/**
	 * Read an item's text, from the cache or else from the database.
	 * @param key the key
	 * @return the item's text
	 */
	@Cacheable(cacheNames = TEXTS)
	public String findText(String key) {
		this.loads.increment();
		return key + ":" + this.database.getOrDefault(key, 0L) + ":" + PAYLOAD;
	}

	/**
	 * Read an item as a mutable class, from the cache or else from the database.
	 * @param key the key
	 * @return the item
	 */
	@Cacheable(cacheNames = BEANS)
	public ItemBean findBean(String key) {
		this.loads.increment();
		ItemBean bean = new ItemBean();
		bean.setKey(key);
		bean.setVersion(this.database.getOrDefault(key, 0L));
		bean.setPayload(PAYLOAD);
		return bean;
	}

	/**
	 * Write an item to the database and to the cache.
	 * @param key the key
	 * @param version the new version
	 * @return the item written
	 */
	@CachePut(cacheNames = CACHE, key = "#key")
	public Item update(String key, long version) {
		this.database.put(key, version);
		return new Item(key, version, PAYLOAD);
	}

	/**
	 * Write a new version to the database and evict the key from the cache.
	 * @param key the key
	 * @param version the new version
	 */
	@CacheEvict(cacheNames = CACHE, key = "#key")
	public void remove(String key, long version) {
		this.database.put(key, version);
	}

	/**
	 * Return how many times {@link #find} ran, that is how many reads missed the cache.
	 * @return the number of loads from the database
	 */
	public long getLoads() {
		return this.loads.sum();
	}

	/**
	 * A cached value.
	 *
	 * @param key the key
	 * @param version the version it was written with
	 * @param payload some bytes, as a real value would carry
	 */
	public record Item(String key, long version, String payload) implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

	}

	/**
	 * A cached value as a class with setters: a caller can change it, so the near cache
	 * hands out a new copy on each hit.
	 */
	public static class ItemBean implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

		private String key = "";

		private long version;

		private String payload = "";

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

		public long getVersion() {
			return this.version;
		}

		public void setVersion(long version) {
			this.version = version;
		}

		public String getPayload() {
			return this.payload;
		}

		public void setPayload(String payload) {
			this.payload = payload;
		}

	}

}

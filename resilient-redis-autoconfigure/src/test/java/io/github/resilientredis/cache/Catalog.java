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

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;

/**
 * A cached service over a map that stands for the database: every cache miss runs the
 * method and is counted.
 *
 * @author resilient-redis contributors
 */
public class Catalog {

	private final Map<String, String> database = new ConcurrentHashMap<>();

	private final AtomicInteger loads = new AtomicInteger();

	/**
	 * Store a value in the database only, as another instance of the application would.
	 * @param id the id
	 * @param value the value
	 */
	public void store(String id, String value) {
		this.database.put(id, value);
	}

	public int loads() {
		return this.loads.get();
	}

	@Cacheable("products")
	public String find(String id) {
		this.loads.incrementAndGet();
		return this.database.getOrDefault(id, "none");
	}

	@Cacheable(cacheNames = "products", sync = true)
	public String findSynchronized(String id) {
		this.loads.incrementAndGet();
		return this.database.getOrDefault(id, "none");
	}

	@Cacheable("products")
	public CompletableFuture<String> findAsync(String id) {
		this.loads.incrementAndGet();
		return CompletableFuture.completedFuture(this.database.getOrDefault(id, "none"));
	}

	@Cacheable("products")
	public Mono<String> findReactive(String id) {
		return Mono.fromCallable(() -> {
			this.loads.incrementAndGet();
			return this.database.getOrDefault(id, "none");
		});
	}

	@CachePut(cacheNames = "products", key = "#id")
	public String update(String id, String value) {
		this.database.put(id, value);
		return value;
	}

	@CacheEvict(cacheNames = "products")
	public void evict(String id) {
	}

}

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

package io.github.resilientredis.sample.catalog;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Repository;

/**
 * An in-memory product store that answers as slowly as a remote database would, so that
 * the cache in front of it makes a visible difference.
 *
 * @author resilient-redis contributors
 */
@Repository
class ProductRepository {

	private final Map<Long, Product> products = new ConcurrentHashMap<>();

	private final Duration latency;

	ProductRepository(@Value("${sample.catalog.repository-latency:300ms}") Duration latency) {
		this.latency = latency;
		save(new Product(1, "Espresso machine", new BigDecimal("249.00"), 1));
		save(new Product(2, "Coffee grinder", new BigDecimal("89.50"), 1));
		save(new Product(3, "Milk jug", new BigDecimal("12.90"), 1));
		save(new Product(4, "Tamper", new BigDecimal("19.99"), 1));
		save(new Product(5, "Descaler", new BigDecimal("7.49"), 1));
	}

	Optional<Product> findById(long id) {
		simulateLatency();
		return Optional.ofNullable(this.products.get(id));
	}

	Product save(Product product) {
		this.products.put(product.id(), product);
		return product;
	}

	private void simulateLatency() {
		// The point of the sample: a slow source of truth behind the cache.
		LockSupport.parkNanos(this.latency.toNanos());
	}

}

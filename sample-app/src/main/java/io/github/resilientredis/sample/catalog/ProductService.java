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

import io.github.resilientredis.sample.live.CatalogEvents;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Reads products through the {@value #CACHE} cache and evicts a product when it changes.
 * While Redis is down, the starter's cache manager answers from its local fallback and
 * records the eviction, so that a stale copy is never served once Redis is back.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@Service
public class ProductService {

	/**
	 * Name of the cache of products.
	 */
	public static final String CACHE = "products";

	private final ProductRepository repository;

	private final CatalogEvents events;

	ProductService(ProductRepository repository, CatalogEvents events) {
		this.repository = repository;
		this.events = events;
	}

	/**
	 * Return a product, from the cache when it holds it.
	 * @param id the product identifier
	 * @return the product
	 * @throws ProductNotFoundException if there is no such product
	 */
	@Cacheable(CACHE)
	public Product find(long id) {
		return this.repository.findById(id).orElseThrow(() -> new ProductNotFoundException(id));
	}

	/**
	 * Change the name and price of a product, evict it from the cache and announce the
	 * change to live clients.
	 * @param id the product identifier
	 * @param name the new name
	 * @param price the new price
	 * @return the updated product
	 * @throws ProductNotFoundException if there is no such product
	 */
	@CacheEvict(cacheNames = CACHE, key = "#id")
	public Product update(long id, String name, BigDecimal price) {
		Product current = this.repository.findById(id).orElseThrow(() -> new ProductNotFoundException(id));
		Product updated = this.repository.save(new Product(id, name, price, current.version() + 1));
		this.events.productUpdated(updated);
		return updated;
	}

}

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

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/products/{id}} and {@code PUT /api/products/{id}}.
 *
 * @author resilient-redis contributors
 */
@RestController
@RequestMapping("/api/products")
class ProductController {

	private final ProductService service;

	ProductController(ProductService service) {
		this.service = service;
	}

	@GetMapping("/{id}")
	Product get(@PathVariable long id) {
		return this.service.find(id);
	}

	@PutMapping("/{id}")
	Product update(@PathVariable long id, @RequestBody ProductChange change) {
		return this.service.update(id, change.name(), change.price());
	}

	/**
	 * The body of an update.
	 *
	 * @param name the new name
	 * @param price the new price
	 */
	record ProductChange(String name, BigDecimal price) {

	}

}

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

import java.time.Duration;

import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;

/**
 * Stores products in Redis as JSON, readable with {@code redis-cli GET products::1}.
 *
 * @author resilient-redis contributors
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching
class CatalogCacheConfiguration {

	@Bean
	RedisCacheManagerBuilderCustomizer productsCacheCustomizer() {
		return (builder) -> builder.withCacheConfiguration(ProductService.CACHE,
				RedisCacheConfiguration.defaultCacheConfig()
					.entryTtl(Duration.ofMinutes(10))
					.serializeValuesWith(
							SerializationPair.fromSerializer(new JacksonJsonRedisSerializer<>(Product.class))));
	}

}

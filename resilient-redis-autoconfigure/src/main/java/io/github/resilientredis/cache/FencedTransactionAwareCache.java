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

import org.jspecify.annotations.Nullable;

import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A {@link TransactionAwareCacheDecorator} whose deferred {@code put} keeps the fill
 * fence: a put that fills a miss is bound to that miss's generation when it is made, not
 * when the transaction commits, so that a value loaded before a concurrent write of the
 * key is not stored over it after the commit.
 *
 * @author resilient-redis contributors
 */
final class FencedTransactionAwareCache extends TransactionAwareCacheDecorator {

	private final ResilientRedisCache cache;

	FencedTransactionAwareCache(ResilientRedisCache cache) {
		super(cache);
		this.cache = cache;
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			this.cache.put(key, value);
			return;
		}
		Runnable put = this.cache.deferredPut(key, value);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				put.run();
			}

		});
	}

}

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

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The threads that run the background refreshes of the caches of one
 * {@link ResilientRedisCacheManager}: a few daemon threads, created when first needed,
 * with a bounded queue; a refresh that finds the queue full is skipped, and the value
 * held is served until a later hit refreshes it or it expires.
 *
 * @author resilient-redis contributors
 */
final class RefreshExecutor implements Executor {

	private static final int THREADS = 2;

	private static final int QUEUE = 1024;

	private final ThreadPoolExecutor executor;

	RefreshExecutor() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("resilient-redis-refresh-");
		threads.setDaemon(true);
		this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
				threads, new ThreadPoolExecutor.AbortPolicy());
		this.executor.allowCoreThreadTimeOut(true);
	}

	/**
	 * Run the refresh on one of the refresh threads.
	 * @param refresh the refresh
	 * @throws RejectedExecutionException if the queue is full or the manager destroyed
	 */
	@Override
	public void execute(Runnable refresh) {
		this.executor.execute(refresh);
	}

	/**
	 * Stop the threads: refreshes not started yet are dropped.
	 */
	void shutdown() {
		this.executor.shutdownNow();
	}

}

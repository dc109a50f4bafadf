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

package io.github.resilientredis.sample.hotkey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The moment a hot key expires: the bestseller is evicted, then every instance's callers
 * ({@code sample.hot-key.callers}, 8 per instance) read it at once. Counts the database
 * calls this caused, per instance, and the slowest caller.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@Component
public class HotKeyStampede implements DisposableBean {

	static final String KEY = "bestseller";

	private final BestsellerService service;

	private final HotKeyInstances instances;

	private final int callers;

	private final ExecutorService executor;

	private volatile @Nullable Result last;

	private long stampedes;

	HotKeyStampede(BestsellerService service, HotKeyInstances instances,
			@Value("${sample.hot-key.callers:8}") int callers) {
		this.service = service;
		this.instances = instances;
		this.callers = callers;
		this.executor = Executors.newFixedThreadPool(instances.count() * callers);
	}

	/**
	 * Expire the bestseller and let every caller of every instance read it at once.
	 * @return what happened
	 * @throws InterruptedException if interrupted while waiting for the callers
	 */
	public synchronized Result run() throws InterruptedException {
		this.instances.cache(0).evict(KEY);
		long[] before = this.service.databaseCalls();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Long>> calls = new ArrayList<>();
		for (int instance = 0; instance < this.instances.count(); instance++) {
			int reader = instance;
			for (int i = 0; i < this.callers; i++) {
				calls.add(this.executor.submit(() -> {
					start.await();
					long begin = System.nanoTime();
					this.service.find(reader, KEY);
					return System.nanoTime() - begin;
				}));
			}
		}
		start.countDown();
		long slowest = 0;
		int failed = 0;
		for (Future<Long> call : calls) {
			try {
				slowest = Math.max(slowest, call.get(30, TimeUnit.SECONDS));
			}
			catch (Exception ex) {
				failed++;
			}
		}
		long[] after = this.service.databaseCalls();
		long[] perInstance = new long[after.length];
		long total = 0;
		for (int i = 0; i < after.length; i++) {
			perInstance[i] = after[i] - before[i];
			total += perInstance[i];
		}
		Result result = new Result(calls.size(), failed, total, perInstance, TimeUnit.NANOSECONDS.toMillis(slowest),
				this.instances.isSingleFlight());
		this.last = result;
		this.stampedes++;
		return result;
	}

	/**
	 * Return what the status page shows.
	 * @return the scenario's figures
	 */
	public Map<String, Object> status() {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("instances", this.instances.count());
		status.put("callersPerInstance", this.callers);
		status.put("singleFlight", this.instances.isSingleFlight());
		status.put("databaseLatencyMs", this.service.latency().toMillis());
		long total = 0;
		for (long calls : this.service.databaseCalls()) {
			total += calls;
		}
		status.put("databaseCalls", total);
		synchronized (this) {
			status.put("stampedes", this.stampedes);
		}
		status.put("last", this.last);
		return status;
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

	/**
	 * One stampede.
	 *
	 * @param callers the callers, all instances together
	 * @param failed the callers that got an exception
	 * @param databaseCalls the database calls they caused
	 * @param databaseCallsPerInstance the same, per instance
	 * @param slowestMs the slowest caller
	 * @param singleFlight whether single flight across instances was on
	 */
	public record Result(int callers, int failed, long databaseCalls, long[] databaseCallsPerInstance, long slowestMs,
			boolean singleFlight) {

	}

}

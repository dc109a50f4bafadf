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

package io.github.resilientredis.test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits, in test support code, for a topology to reach a state; tests themselves use
 * Awaitility.
 *
 * @author resilient-redis contributors
 */
final class Polling {

	private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private Polling() {
	}

	/**
	 * Poll the condition until it holds; a condition that throws counts as not holding.
	 * @param timeout how long to wait
	 * @param condition the condition
	 * @param state what is waited for and the state seen last, for the failure message
	 * @throws IllegalStateException if the condition does not hold in time
	 */
	static void await(Duration timeout, BooleanSupplier condition, Supplier<String> state) {
		long deadline = System.nanoTime() + timeout.toNanos();
		RuntimeException lastFailure = null;
		while (true) {
			try {
				if (condition.getAsBoolean()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				lastFailure = ex;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Not reached within " + timeout.toMillis() + " ms: " + state.get(),
						lastFailure);
			}
			LockSupport.parkNanos(INTERVAL_NANOS);
		}
	}

}

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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilientredis.cache.ForgottenWrites.Reader;
import io.github.resilientredis.cache.ForgottenWrites.ServerChanges;
import io.github.resilientredis.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis server killed and restarted from an RDB snapshot older than writes it
 * acknowledged: the cache replays its recent writes, and no evicted or overwritten value
 * is read again.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisCacheRestartReplayIntegrationTests {

	private static final int REPETITIONS = 20;

	private final RedisServer server = RedisServer.builder().keepData().start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whenRedisRestartsFromAnOlderSnapshotThenNoValueFromBeforeAnAcknowledgedWriteIsRead() {
		ForgottenWrites.contextRunner(this.server).run((context) -> {
			assertThat(context).hasNotFailed();
			Catalog catalog = context.getBean(Catalog.class);
			ServerChanges changes = context.getBean(ServerChanges.class);
			List<Duration> replayed = new ArrayList<>();
			long readsInFaults = 0;
			int forgotten = 0;
			try (Reader reader = new Reader(catalog)) {
				for (int i = 0; i < REPETITIONS; i++) {
					String put = "put-" + i;
					String evicted = "evicted-" + i;
					ForgottenWrites.cacheOldValues(catalog, this.server, put, evicted);
					this.server.execute("SAVE");
					ForgottenWrites.writeNewValues(catalog, this.server, put, evicted);
					reader.read(put, evicted);
					int changesBefore = changes.events().size();
					long readsBefore = reader.reads();
					this.server.kill();
					this.server.restart();
					// Redis forgot the eviction, unless the replay was quicker than this.
					if ("1".equals(this.server.execute("EXISTS", ForgottenWrites.redisKey(evicted)))) {
						forgotten++;
					}
					replayed.add(ForgottenWrites.awaitReplayed(context, changesBefore, put, evicted));
					readsInFaults += reader.reads() - readsBefore;
				}
				System.out
					.printf("Restart from an older RDB snapshot, %d times: %d reads, %d of them from a fault to the "
							+ "end of its replay; %d of a value from before an acknowledged write; Redis seen holding the evicted value after %d restarts; "
							+ "change seen and writes replayed %s after the restart%n", REPETITIONS, reader.reads(),
							readsInFaults, reader.staleReads().size(), forgotten, ForgottenWrites.summary(replayed));
				assertThat(reader.failure()).as("no caller exception").isNull();
				assertThat(reader.staleReads()).as("reads of a value from before an acknowledged write").isEmpty();
				assertThat(reader.reads()).isPositive();
			}
			assertThat(changes.events()).hasSize(REPETITIONS);
		});
	}

	@Test
	void withoutTheReplayTheRestartedRedisServesTheEvictedValueAgain() {
		// The control experiment: the fault really undoes acknowledged writes.
		ForgottenWrites.contextRunner(this.server)
			.withPropertyValues("resilient.redis.cache.replay.window=0")
			.run((context) -> {
				Catalog catalog = context.getBean(Catalog.class);
				ResilientRedisCacheManager cacheManager = context.getBean(ResilientRedisCacheManager.class);
				ForgottenWrites.cacheOldValues(catalog, this.server, "put", "evicted");
				this.server.execute("SAVE");
				ForgottenWrites.writeNewValues(catalog, this.server, "put", "evicted");
				this.server.kill();
				this.server.restart();
				// No read before the application has reconnected: a read that fails is
				// journaled, and the journal would hide what Redis forgot.
				ServerChanges changes = context.getBean(ServerChanges.class);
				await().atMost(Duration.ofSeconds(15))
					.pollInterval(Duration.ofMillis(5))
					.until(() -> changes.events().size() == 1 && cacheManager.getCircuitBreakerState() == State.CLOSED
							&& !cacheManager.isServingFromFallback());
				assertThat(catalog.find("evicted")).as("evicted, and back")
					.isEqualTo(ForgottenWrites.OLD)
					.isNotEqualTo(ForgottenWrites.NEW);
				assertThat(catalog.find("put")).as("overwritten, and back").isEqualTo(ForgottenWrites.OLD);
			});
	}

}

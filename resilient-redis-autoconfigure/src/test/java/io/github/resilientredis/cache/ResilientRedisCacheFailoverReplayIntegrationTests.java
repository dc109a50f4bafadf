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
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilientredis.cache.ForgottenWrites.Reader;
import io.github.resilientredis.cache.ForgottenWrites.ServerChanges;
import io.github.resilientredis.test.RedisServer;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failover behind a stable endpoint (a DNS name that moves, here Lettuce's
 * {@link MappingSocketAddressResolver}) to a replica that did not receive writes the
 * primary acknowledged: the replica is detached with {@code REPLICAOF NO ONE} before the
 * writes, then the endpoint moves to it. The cache replays its recent writes, and no
 * evicted or overwritten value is read again.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisCacheFailoverReplayIntegrationTests {

	private static final int REPETITIONS = 20;

	private final RedisServer first = server();

	private final RedisServer second = server();

	private final AtomicReference<RedisServer> endpoint = new AtomicReference<>(this.first);

	@AfterEach
	void stopServers() {
		this.first.close();
		this.second.close();
	}

	@Test
	void whenTheEndpointFailsOverToALaggingReplicaThenNoValueFromBeforeAnAcknowledgedWriteIsRead() {
		RedisServer primary = this.first;
		RedisServer replica = this.second;
		replicate(replica, primary);
		ForgottenWrites.contextRunner(this.first)
			.withBean(ClientResourcesBuilderCustomizer.class,
					() -> (builder) -> builder
						.socketAddressResolver(MappingSocketAddressResolver.create(this::toEndpoint)))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Catalog catalog = context.getBean(Catalog.class);
				ServerChanges changes = context.getBean(ServerChanges.class);
				List<Duration> replayed = new ArrayList<>();
				long readsInFaults = 0;
				RedisServer current = primary;
				RedisServer standby = replica;
				try (Reader reader = new Reader(catalog)) {
					for (int i = 0; i < REPETITIONS; i++) {
						String put = "put-" + i;
						String evicted = "evicted-" + i;
						ForgottenWrites.cacheOldValues(catalog, current, put, evicted);
						assertThat(current.execute("WAIT", "1", "5000")).as("the replica has the old values")
							.isEqualTo("1");
						// The replica stops following: it will not receive the writes.
						standby.execute("REPLICAOF", "NO", "ONE");
						ForgottenWrites.writeNewValues(catalog, current, put, evicted);
						assertThat(standby.execute("EXISTS", ForgottenWrites.redisKey(evicted))).isEqualTo("1");
						reader.read(put, evicted);
						int changesBefore = changes.events().size();
						long readsBefore = reader.reads();
						// The endpoint moves, and the old primary drops its clients.
						this.endpoint.set(standby);
						current.killClients();
						replayed.add(ForgottenWrites.awaitReplayed(context, changesBefore, put, evicted));
						readsInFaults += reader.reads() - readsBefore;
						replicate(current, standby);
						RedisServer promoted = standby;
						standby = current;
						current = promoted;
					}
					System.out
						.printf("Failover to a lagging replica behind a moved endpoint, %d times: %d reads, %d of them "
								+ "from a fault to the end of its replay; %d of a value from before an acknowledged write; change seen and writes "
								+ "replayed %s after the endpoint moved%n", REPETITIONS, reader.reads(), readsInFaults,
								reader.staleReads().size(), ForgottenWrites.summary(replayed));
					assertThat(reader.failure()).as("no caller exception").isNull();
					assertThat(reader.staleReads()).as("reads of a value from before an acknowledged write").isEmpty();
					assertThat(reader.reads()).isPositive();
				}
				assertThat(changes.events()).hasSize(REPETITIONS);
			});
	}

	private static RedisServer server() {
		// A full resynchronization at once, instead of after 5 s waiting for more
		// replicas.
		return RedisServer.builder().backend(RedisServer.Backend.LOCAL).config("repl-diskless-sync-delay", "0").start();
	}

	private HostAndPort toEndpoint(HostAndPort address) {
		if (address.getPort() != this.first.port()) {
			return address;
		}
		RedisServer target = this.endpoint.get();
		return HostAndPort.of(target.host(), target.port());
	}

	private static void replicate(RedisServer replica, RedisServer primary) {
		replica.execute("REPLICAOF", primary.host(), String.valueOf(primary.port()));
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> String.valueOf(replica.execute("INFO", "replication")).contains("master_link_status:up"));
	}

}

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

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilientredis.connection.RedisServerChangedEvent;
import io.github.resilientredis.connection.RedisServerWatch;
import io.github.resilientredis.execution.RedisCommandExecutor;
import io.github.resilientredis.execution.RedisErrorClassifier;
import org.aopalliance.intercept.MethodInterceptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.cache.Cache;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.cache.RedisCache;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * A {@link RedisCacheManager} whose caches are {@link ResilientRedisCache resilient}:
 * they share the circuit breaker of a {@link RedisCommandExecutor}, keep serving from a
 * local fallback while Redis is unavailable, and never serve a value from Redis that was
 * overwritten or evicted while Redis was unavailable.
 * <p>
 * With a {@link RedisServerWatch}, they also replay the writes that Redis acknowledged
 * and then forgot: when the server turns out to have restarted (from an older RDB
 * snapshot or append-only file) or to have been replaced (by a replica that had not
 * received the writes), the keys written from
 * {@link ResilientCacheSettings#replayWindow() the replay window} before the connection
 * was lost are deleted in Redis, and read locally until then.
 * <p>
 * Writes are synchronous whatever the cache writer: with a writer that writes
 * asynchronously (the default of Spring Data Redis 4, which can overtake a later read of
 * the same thread and fail silently), a {@code put} waits for the writer's {@code store}.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public class ResilientRedisCacheManager extends RedisCacheManager implements DisposableBean, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ResilientRedisCacheManager.class);

	private final CacheRecovery recovery;

	private final @Nullable RedisServerWatch serverWatch;

	private final @Nullable RecentWrites recentWrites;

	private final Consumer<RedisServerChangedEvent> serverChangeListener = this::redisServerChanged;

	private final CacheCircuit circuit;

	private final ResilientCacheSettings settings;

	private final List<Consumer<ResilientRedisCache>> cacheListeners = new CopyOnWriteArrayList<>();

	private final Map<String, ResilientRedisCache> caches = new ConcurrentHashMap<>();

	private final @Nullable NearCacheTracking nearCacheTracking;

	private final @Nullable NearCacheSettings nearCacheSettings;

	/**
	 * Where the loads of caches with an active policy are coordinated; null when none.
	 */
	private final @Nullable RedisConnectionFactory loadConnectionFactory;

	private final Function<String, CacheLoadPolicy> loadPolicies;

	/** The threads of background refreshes; null when no loads are coordinated. */
	private final @Nullable RefreshExecutor refreshExecutor;

	/** Wakes the callers waiting for another instance's load; null when none can. */
	private final @Nullable LoadWakeups loadWakeups;

	private volatile boolean running;

	/**
	 * Create a manager from a builder, for a subclass; others use {@link #builder}.
	 * @param builder the builder
	 */
	protected ResilientRedisCacheManager(ResilientRedisCacheManagerBuilder builder) {
		super(SynchronousCacheWriter.of(builder.cacheWriter), builder.defaultCacheConfiguration,
				builder.allowRuntimeCacheCreation, builder.initialCacheConfigurations);
		ResilientCacheSettings settings = builder.settings;
		this.settings = settings;
		this.recovery = new CacheRecovery(builder.executor, builder.circuitBreaker, builder.classifier,
				getCacheWriter(), settings.journalMaxSize());
		RedisServerWatch serverWatch = builder.serverWatch;
		boolean replay = serverWatch != null && !settings.replayWindow().isZero();
		this.serverWatch = replay ? serverWatch : null;
		this.recentWrites = replay ? new RecentWrites(settings.replayMaxSize(), settings.replayWindow()) : null;
		this.circuit = new CacheCircuit(builder.executor, builder.circuitBreaker, builder.classifier, this.recovery,
				this.serverWatch);
		this.nearCacheTracking = builder.nearCacheTracking;
		this.nearCacheSettings = builder.nearCacheSettings;
		this.loadConnectionFactory = builder.loadConnectionFactory;
		this.loadPolicies = builder.loadPolicies;
		RedisConnectionFactory loadConnectionFactory = builder.loadConnectionFactory;
		// Threads and subscription only once a cache needs them.
		this.refreshExecutor = (loadConnectionFactory != null) ? new RefreshExecutor() : null;
		this.loadWakeups = (loadConnectionFactory != null) ? new LoadWakeups(loadConnectionFactory) : null;
		setTransactionAware(builder.transactionAware);
		if (this.serverWatch != null) {
			this.serverWatch.addListener(this.serverChangeListener);
		}
	}

	/**
	 * Start building a manager whose caches write through the given cache writer and
	 * share the breaker of the given executor.
	 * @param cacheWriter the cache writer, for example
	 * {@link #synchronousCacheWriter(RedisConnectionFactory)}
	 * @param executor the executor that runs Redis calls, with its retry
	 * @param circuitBreaker the circuit breaker of the executor
	 * @param classifier the classifier of Redis failures
	 * @return the builder
	 */
	public static ResilientRedisCacheManagerBuilder builder(RedisCacheWriter cacheWriter, RedisCommandExecutor executor,
			CircuitBreaker circuitBreaker, RedisErrorClassifier classifier) {
		return new ResilientRedisCacheManagerBuilder(cacheWriter, executor, circuitBreaker, classifier);
	}

	/**
	 * Return the cache writer the starter uses: Spring Data Redis's writer with
	 * synchronous writes and no cache lock. With it, a synchronized load
	 * ({@code @Cacheable(sync = true)}) is loaded inside the JVM; with a writer of your
	 * own, it goes through that writer's {@code get(key, loader)}, so that a locking
	 * writer takes its Redis lock and two instances do not load the same key. Either way
	 * the loaded value is not stored over a write of the key made since the miss.
	 * @param connectionFactory the connection factory
	 * @return the cache writer
	 */
	public static RedisCacheWriter synchronousCacheWriter(RedisConnectionFactory connectionFactory) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		return SynchronousCacheWriter.create(connectionFactory);
	}

	/**
	 * Decorate a cache interceptor so that the caches of this manager recognize the
	 * {@code put} that fills the miss its interception saw, and do not store it over a
	 * write of the key made since the miss. The auto-configuration decorates the
	 * interceptor of {@code @EnableCaching} in proxy mode; call this for an interceptor
	 * of your own.
	 * @param cacheInterceptor the interceptor that looks caches up, runs the method on a
	 * miss and puts its result
	 * @return the decorated interceptor
	 */
	public static MethodInterceptor fencingFills(MethodInterceptor cacheInterceptor) {
		return new CacheFillScope(cacheInterceptor);
	}

	@Override
	protected RedisCache createRedisCache(String name, @Nullable RedisCacheConfiguration cacheConfiguration) {
		RedisCacheConfiguration configuration = (cacheConfiguration != null) ? cacheConfiguration
				: getDefaultCacheConfiguration();
		NearCacheTracking tracking = this.nearCacheTracking;
		NearCacheSettings near = this.nearCacheSettings;
		boolean nearCached = tracking != null && near != null && near.includes(name);
		FallbackStore fallback = nearCached ? FallbackStore.createNear(this.settings, near)
				: FallbackStore.create(this.settings);
		RecentWrites recent = this.recentWrites;
		CacheLoadPolicy loadPolicy = loadPolicy(name);
		ResilientRedisCache cache = new ResilientRedisCache(name, getCacheWriter(), configuration, this.circuit,
				this.recovery, fallback, (recent != null) ? recent.source(name) : null, nearCached ? tracking : null,
				loadPolicy, loadPolicy.isActive() ? this.loadConnectionFactory : null,
				loadPolicy.singleFlight() ? this.loadWakeups : null, this.refreshExecutor);
		if (tracking != null && cache.isNearCached()) {
			tracking.register(cache);
		}
		this.caches.put(name, cache);
		this.cacheListeners.forEach((listener) -> listener.accept(cache));
		return cache;
	}

	/**
	 * Return how the synchronized loads of the named cache are coordinated.
	 * @param name the cache name
	 * @return the policy, {@link CacheLoadPolicy#NONE} when loads are not coordinated
	 */
	public CacheLoadPolicy loadPolicy(String name) {
		if (this.loadConnectionFactory == null) {
			return CacheLoadPolicy.NONE;
		}
		CacheLoadPolicy policy = this.loadPolicies.apply(name);
		return (policy != null) ? policy : CacheLoadPolicy.NONE;
	}

	/**
	 * Return the tracking link of the near cache, or {@code null} when no cache is
	 * near-cached.
	 * @return the tracking link
	 */
	public @Nullable NearCacheTracking getNearCacheTracking() {
		return this.nearCacheTracking;
	}

	/**
	 * Return the configuration of each cache, also when the caches are transaction-aware
	 * (decorated).
	 * @return the configurations by cache name
	 */
	@Override
	public Map<String, @Nullable RedisCacheConfiguration> getCacheConfigurations() {
		Map<String, @Nullable RedisCacheConfiguration> configurations = new LinkedHashMap<>();
		for (String name : getCacheNames()) {
			Cache cache = lookupCache(name);
			if (cache instanceof TransactionAwareCacheDecorator decorator) {
				cache = decorator.getTargetCache();
			}
			configurations.put(name,
					(cache instanceof RedisCache redisCache) ? redisCache.getCacheConfiguration() : null);
		}
		return Collections.unmodifiableMap(configurations);
	}

	/**
	 * Decorate the caches of a transaction-aware manager so that a fill deferred to the
	 * commit stays fenced.
	 * @param cache the cache
	 * @return the cache, decorated if the manager is transaction-aware
	 */
	@Override
	protected Cache decorateCache(Cache cache) {
		if (isTransactionAware() && cache instanceof ResilientRedisCache resilientCache) {
			return new FencedTransactionAwareCache(resilientCache);
		}
		return super.decorateCache(cache);
	}

	/**
	 * Call the listener for every cache of this manager: now for the caches that exist,
	 * later for each cache created at runtime.
	 * @param listener the listener, for example one that binds meters
	 */
	public void forEachCache(Consumer<ResilientRedisCache> listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.cacheListeners.add(listener);
		this.caches.values().forEach(listener);
	}

	/**
	 * Return whether reads are currently answered from the local fallback for some keys:
	 * the circuit breaker is not closed, or invalidations recorded while Redis was
	 * unavailable are not yet replayed.
	 * @return whether the fallback is serving
	 */
	public boolean isServingFromFallback() {
		return this.circuit.isServingFromFallback();
	}

	/**
	 * Return the state of the circuit breaker the caches share.
	 * @return the circuit breaker state
	 */
	public CircuitBreaker.State getCircuitBreakerState() {
		return this.circuit.state();
	}

	/**
	 * Return the number of keys and caches recorded while Redis was unavailable and not
	 * yet deleted or cleared in Redis.
	 * @return the size of the invalidation journal
	 */
	public int getJournalSize() {
		return this.recovery.journalSize();
	}

	/**
	 * Return the number of replays of the invalidation journal since startup.
	 * @return the number of replays
	 */
	public long getJournalReplays() {
		return this.recovery.journalReplays();
	}

	/**
	 * Return the number of keys deleted from Redis by replays of the invalidation
	 * journal.
	 * @return the number of replayed keys
	 */
	public long getJournalReplayedKeys() {
		return this.recovery.replayedKeys();
	}

	/**
	 * Return the number of times the invalidation journal overflowed and the affected
	 * caches were recorded as cleared instead.
	 * @return the number of overflows
	 */
	public long getJournalOverflows() {
		return this.recovery.journalOverflows();
	}

	/**
	 * Tell the manager that a connection to Redis has just been established or
	 * re-established, so that it probes Redis at once instead of waiting out the rest of
	 * the circuit breaker's open state.
	 */
	public void redisConnectionActivated() {
		this.recovery.connectionActivated();
	}

	/**
	 * The server restarted or another one took over: delete in Redis what was written
	 * from the replay window before the connection was lost. Runs on the watch's thread
	 * before reads from Redis resume.
	 * @param event the change
	 */
	private void redisServerChanged(RedisServerChangedEvent event) {
		RecentWrites recent = this.recentWrites;
		if (recent == null) {
			return;
		}
		RecentWrites.Replay replay = recent.since(event.getConnectionLostNanoTime());
		this.recovery.journalForgotten(replay);
		if (logger.isInfoEnabled()) {
			logger.info("Redis cache: the server changed, so the writes of the last "
					+ this.settings.replayWindow().toMillis() + " ms before the connection was lost are replayed: "
					+ replay.keyCount() + " keys of " + replay.keysByCache().size() + " caches are deleted in Redis"
					+ (replay.clears().isEmpty() ? ""
							: " and " + replay.clears().size() + " caches cleared ("
									+ String.join(", ", replay.clears())
									+ ": cleared, or more writes than resilient.redis.cache.replay.max-size)")
					+ "; reads of them are answered locally until then");
		}
	}

	/**
	 * Nothing to start: the wake-up subscription of coordinated loads subscribes when a
	 * load first waits.
	 */
	@Override
	public void start() {
		this.running = true;
		LoadWakeups wakeups = this.loadWakeups;
		if (wakeups != null) {
			wakeups.start();
		}
	}

	/**
	 * Unsubscribe the wake-ups of coordinated loads, before the connection factory stops.
	 */
	@Override
	public void stop() {
		this.running = false;
		LoadWakeups wakeups = this.loadWakeups;
		if (wakeups != null) {
			wakeups.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void destroy() {
		RedisServerWatch watch = this.serverWatch;
		if (watch != null) {
			watch.removeListener(this.serverChangeListener);
		}
		this.recovery.close();
		LoadWakeups wakeups = this.loadWakeups;
		if (wakeups != null) {
			wakeups.close();
		}
		RefreshExecutor refreshes = this.refreshExecutor;
		if (refreshes != null) {
			refreshes.shutdown();
		}
	}

	/**
	 * Builds a {@link ResilientRedisCacheManager}, as
	 * {@link RedisCacheManager.RedisCacheManagerBuilder} builds a
	 * {@link RedisCacheManager}.
	 *
	 * @since 0.1.0
	 */
	public static final class ResilientRedisCacheManagerBuilder {

		private final RedisCacheWriter cacheWriter;

		private final RedisCommandExecutor executor;

		private final CircuitBreaker circuitBreaker;

		private final RedisErrorClassifier classifier;

		private RedisCacheConfiguration defaultCacheConfiguration = RedisCacheConfiguration.defaultCacheConfig();

		private final Map<String, RedisCacheConfiguration> initialCacheConfigurations = new LinkedHashMap<>();

		private boolean allowRuntimeCacheCreation = true;

		private boolean transactionAware;

		private ResilientCacheSettings settings = ResilientCacheSettings.DEFAULTS;

		private @Nullable RedisServerWatch serverWatch;

		private @Nullable NearCacheTracking nearCacheTracking;

		private @Nullable NearCacheSettings nearCacheSettings;

		private @Nullable RedisConnectionFactory loadConnectionFactory;

		private Function<String, CacheLoadPolicy> loadPolicies = (name) -> CacheLoadPolicy.NONE;

		private ResilientRedisCacheManagerBuilder(RedisCacheWriter cacheWriter, RedisCommandExecutor executor,
				CircuitBreaker circuitBreaker, RedisErrorClassifier classifier) {
			Assert.notNull(cacheWriter, "'cacheWriter' must not be null");
			Assert.notNull(executor, "'executor' must not be null");
			Assert.notNull(circuitBreaker, "'circuitBreaker' must not be null");
			Assert.notNull(classifier, "'classifier' must not be null");
			this.cacheWriter = cacheWriter;
			this.executor = executor;
			this.circuitBreaker = circuitBreaker;
			this.classifier = classifier;
		}

		/**
		 * Set the configuration of caches created at runtime.
		 * @param defaultCacheConfiguration the configuration
		 * @return this builder
		 */
		public ResilientRedisCacheManagerBuilder cacheDefaults(RedisCacheConfiguration defaultCacheConfiguration) {
			Assert.notNull(defaultCacheConfiguration, "'defaultCacheConfiguration' must not be null");
			this.defaultCacheConfiguration = defaultCacheConfiguration;
			return this;
		}

		/**
		 * Add caches created at startup, with their configurations.
		 * @param cacheConfigurations the configurations by cache name
		 * @return this builder
		 */
		public ResilientRedisCacheManagerBuilder withInitialCacheConfigurations(
				Map<String, RedisCacheConfiguration> cacheConfigurations) {
			Assert.notNull(cacheConfigurations, "'cacheConfigurations' must not be null");
			this.initialCacheConfigurations.putAll(cacheConfigurations);
			return this;
		}

		/**
		 * Set whether caches that are not configured are created when first used.
		 * @param allowRuntimeCacheCreation whether to create them
		 * @return this builder
		 */
		public ResilientRedisCacheManagerBuilder allowRuntimeCacheCreation(boolean allowRuntimeCacheCreation) {
			this.allowRuntimeCacheCreation = allowRuntimeCacheCreation;
			return this;
		}

		/**
		 * Set whether the caches defer their writes to the commit of the running
		 * transaction.
		 * @param transactionAware whether the caches are transaction-aware
		 * @return this builder
		 */
		public ResilientRedisCacheManagerBuilder transactionAware(boolean transactionAware) {
			this.transactionAware = transactionAware;
			return this;
		}

		/**
		 * Set the settings of the fallback, the invalidation journal and the replay.
		 * @param settings the settings
		 * @return this builder
		 */
		public ResilientRedisCacheManagerBuilder settings(ResilientCacheSettings settings) {
			Assert.notNull(settings, "'settings' must not be null");
			this.settings = settings;
			return this;
		}

		/**
		 * Replay the writes Redis forgets, as the given watch sees them.
		 * @param serverWatch the watch of the Redis server, or {@code null} for no replay
		 * @return this builder
		 */
		public ResilientRedisCacheManagerBuilder serverWatch(@Nullable RedisServerWatch serverWatch) {
			this.serverWatch = serverWatch;
			return this;
		}

		/**
		 * Answer hot reads of the given caches from the JVM, invalidated by Redis through
		 * the tracking link.
		 * @param tracking the tracking link of the connection factory
		 * @param cacheNames the near-cached caches, empty for all
		 * @param maximumSize the maximum number of entries held per cache
		 * @return this builder
		 */
		public ResilientRedisCacheManagerBuilder nearCache(NearCacheTracking tracking, Set<String> cacheNames,
				long maximumSize) {
			return nearCache(tracking, cacheNames, maximumSize, false);
		}

		/**
		 * Answer hot reads of the given caches from the JVM, invalidated by Redis through
		 * the tracking link.
		 * @param tracking the tracking link of the connection factory
		 * @param cacheNames the near-cached caches, empty for all
		 * @param maximumSize the maximum number of entries held per cache
		 * @param storeByReference whether a near hit answers the instance decoded when
		 * the entry was read from Redis for values of every type, not only for values of
		 * immutable types; only for values that callers never change
		 * @return this builder
		 */
		public ResilientRedisCacheManagerBuilder nearCache(NearCacheTracking tracking, Set<String> cacheNames,
				long maximumSize, boolean storeByReference) {
			Assert.notNull(tracking, "'tracking' must not be null");
			this.nearCacheTracking = tracking;
			this.nearCacheSettings = new NearCacheSettings(cacheNames, maximumSize, storeByReference);
			return this;
		}

		/**
		 * Coordinate the synchronized loads of caches through Redis, each cache as its
		 * policy says: one load per key across instances, early refresh, stale values.
		 * @param connectionFactory the connection factory the leases and wake-ups use
		 * @param loadPolicies the policy of each cache by name;
		 * {@link CacheLoadPolicy#NONE} for a cache whose loads are not coordinated
		 * @return this builder
		 */
		public ResilientRedisCacheManagerBuilder loadPolicies(RedisConnectionFactory connectionFactory,
				Function<String, CacheLoadPolicy> loadPolicies) {
			Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
			Assert.notNull(loadPolicies, "'loadPolicies' must not be null");
			this.loadConnectionFactory = connectionFactory;
			this.loadPolicies = loadPolicies;
			return this;
		}

		/**
		 * Build the manager.
		 * @return the manager
		 */
		public ResilientRedisCacheManager build() {
			return new ResilientRedisCacheManager(this);
		}

	}

}

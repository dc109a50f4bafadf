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

package io.github.resilientredis.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for resilient Redis access: only what Spring Boot's own
 * {@code spring.data.redis.*} properties do not cover. Each setting can also be given
 * through the environment variable named in its description; a property set explicitly
 * (for example in {@code application.yml}) wins over the environment variable.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
@ConfigurationProperties("resilient.redis")
public class ResilientRedisProperties implements InitializingBean {

	/**
	 * Whether resilient Redis support is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Redis URL, 'redis://[user:password@]host[:port][/database]' or 'rediss://...' for
	 * TLS; also a Sentinel URL,
	 * 'redis-sentinel://[user:password@]host[:port],host[:port]/database#master', or a
	 * cluster URL listing several nodes, which 'spring.data.redis.url' does not accept.
	 * Environment variable REDIS_URL. Ignored when 'spring.data.redis.url',
	 * 'spring.data.redis.host', sentinel or cluster nodes are set explicitly.
	 */
	private @Nullable String url;

	private final Connection connection = new Connection();

	private final KeepAlive keepAlive = new KeepAlive();

	private final Reconnect reconnect = new Reconnect();

	private final Heartbeat heartbeat = new Heartbeat();

	private final Ssl ssl = new Ssl();

	private final Retry retry = new Retry();

	private final CircuitBreaker circuitBreaker = new CircuitBreaker();

	private final Startup startup = new Startup();

	private final Cache cache = new Cache();

	/**
	 * Fail at startup, naming the setting, when a bound value cannot work.
	 */
	@Override
	public void afterPropertiesSet() {
		ResilientRedisPropertiesValidator.validate(this);
	}

	private final Cluster cluster = new Cluster();

	private final Health health = new Health();

	private final Metrics metrics = new Metrics();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getUrl() {
		return this.url;
	}

	public void setUrl(@Nullable String url) {
		this.url = url;
	}

	public Connection getConnection() {
		return this.connection;
	}

	public KeepAlive getKeepAlive() {
		return this.keepAlive;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public Startup getStartup() {
		return this.startup;
	}

	public Cache getCache() {
		return this.cache;
	}

	public Cluster getCluster() {
		return this.cluster;
	}

	public Health getHealth() {
		return this.health;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	/**
	 * Connection settings that Spring Boot does not have. Timeouts and the pool bound are
	 * Spring Boot's own 'spring.data.redis.timeout', 'connect-timeout' and
	 * 'lettuce.pool.max-active'.
	 */
	public static class Connection {

		/**
		 * Behavior of a connection while it is disconnected. Rejecting commands fails
		 * callers in milliseconds instead of queueing them until the reconnect.
		 */
		private DisconnectedBehavior disconnectedBehavior = DisconnectedBehavior.REJECT_COMMANDS;

		/**
		 * Maximum number of commands queued on one connection before new ones are
		 * rejected.
		 */
		private int requestQueueSize = 10_000;

		public DisconnectedBehavior getDisconnectedBehavior() {
			return this.disconnectedBehavior;
		}

		public void setDisconnectedBehavior(DisconnectedBehavior disconnectedBehavior) {
			this.disconnectedBehavior = disconnectedBehavior;
		}

		public int getRequestQueueSize() {
			return this.requestQueueSize;
		}

		public void setRequestQueueSize(int requestQueueSize) {
			this.requestQueueSize = requestQueueSize;
		}

	}

	/**
	 * TCP keep-alive settings.
	 */
	public static class KeepAlive {

		/**
		 * Whether TCP keep-alive is enabled on Redis connections.
		 */
		private boolean enabled = true;

		/**
		 * Time a connection must be idle before TCP starts sending keep-alive probes.
		 */
		private Duration idle = Duration.ofSeconds(60);

		/**
		 * Time between keep-alive probes.
		 */
		private Duration interval = Duration.ofSeconds(30);

		/**
		 * Number of unanswered keep-alive probes after which the connection is dropped.
		 */
		private int count = 3;

		/**
		 * Longest time transmitted data may stay unacknowledged before the kernel drops
		 * the connection (TCP_USER_TIMEOUT). Applies only with a native transport (epoll
		 * or io_uring). Zero disables it.
		 */
		private Duration tcpUserTimeout = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getIdle() {
			return this.idle;
		}

		public void setIdle(Duration idle) {
			this.idle = idle;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public int getCount() {
			return this.count;
		}

		public void setCount(int count) {
			this.count = count;
		}

		public Duration getTcpUserTimeout() {
			return this.tcpUserTimeout;
		}

		public void setTcpUserTimeout(Duration tcpUserTimeout) {
			this.tcpUserTimeout = tcpUserTimeout;
		}

	}

	/**
	 * Reconnect back-off settings: exponential with full jitter between the two bounds.
	 */
	public static class Reconnect {

		/**
		 * Shortest delay before a reconnect attempt.
		 */
		private Duration minDelay = Duration.ofMillis(10);

		/**
		 * Longest delay before a reconnect attempt, which bounds the time from Redis
		 * accepting connections again to traffic flowing.
		 */
		private Duration maxDelay = Duration.ofMillis(500);

		public Duration getMinDelay() {
			return this.minDelay;
		}

		public void setMinDelay(Duration minDelay) {
			this.minDelay = minDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

	}

	/**
	 * Heartbeat settings: a PING on every connection that has received nothing for an
	 * interval; a PING that fails or times out closes the connection so that it
	 * reconnects.
	 */
	public static class Heartbeat {

		/**
		 * Whether heartbeat PINGs are sent.
		 */
		private boolean enabled = true;

		/**
		 * Time without any data received on a connection after which a PING is sent.
		 * Environment variable CACHE_HEALTH_CHECK_INTERVAL (seconds).
		 */
		private Duration interval = Duration.ofSeconds(30);

		/**
		 * Time a heartbeat PING may take before the connection is considered dead.
		 * Defaults to the command timeout, 'spring.data.redis.timeout'.
		 */
		private @Nullable Duration timeout;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * TLS settings. TLS itself is switched on by a 'rediss://' URL,
	 * 'spring.data.redis.ssl.enabled' or an SSL bundle ('spring.data.redis.ssl.bundle')
	 * that also supplies a custom CA.
	 */
	public static class Ssl {

		/**
		 * Whether the server certificate is verified. Environment variable
		 * REDIS_SSL_CERT_REQS ('required' or 'none').
		 */
		private CertificateRequirement certReqs = CertificateRequirement.REQUIRED;

		public CertificateRequirement getCertReqs() {
			return this.certReqs;
		}

		public void setCertReqs(CertificateRequirement certReqs) {
			this.certReqs = certReqs;
		}

	}

	/**
	 * Whether a TLS peer must present a trusted certificate.
	 */
	public enum CertificateRequirement {

		/**
		 * Verify the server certificate and host name.
		 */
		REQUIRED,

		/**
		 * Do not verify the server certificate: traffic is encrypted but the server is
		 * not authenticated.
		 */
		NONE

	}

	/**
	 * Retry settings for transient failures of idempotent operations.
	 */
	public static class Retry {

		/**
		 * Maximum number of retries after the first attempt. Environment variable
		 * CACHE_MAX_RETRIES.
		 */
		private int maxRetries = 2;

		/**
		 * Base delay before the first retry, doubled for each further retry and
		 * randomized. Environment variable CACHE_RETRY_DELAY (seconds).
		 */
		private Duration delay = Duration.ofMillis(100);

		/**
		 * Longest delay between two attempts.
		 */
		private Duration maxDelay = Duration.ofSeconds(1);

		/**
		 * Total time an operation and its retries may take; no retry starts after it.
		 * Defaults to the command timeout, 'spring.data.redis.timeout', so that an
		 * attempt that timed out is not repeated against a server that is not answering.
		 */
		private @Nullable Duration budget;

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public @Nullable Duration getBudget() {
			return this.budget;
		}

		public void setBudget(@Nullable Duration budget) {
			this.budget = budget;
		}

	}

	/**
	 * Circuit breaker settings, shared by the cache and the executor.
	 */
	public static class CircuitBreaker {

		/**
		 * Name of the circuit breaker in the Resilience4j registry.
		 */
		private String name = "redis";

		/**
		 * Failure rate, in percent, at or above which the breaker opens. Environment
		 * variable CACHE_CIRCUIT_FAILURE_RATE_THRESHOLD.
		 */
		private float failureRateThreshold = 50;

		/**
		 * Number of calls in the count-based sliding window. Environment variable
		 * CACHE_CIRCUIT_SLIDING_WINDOW_SIZE.
		 */
		private int slidingWindowSize = 20;

		/**
		 * Minimum number of calls before the failure rate is computed. Environment
		 * variable CACHE_CIRCUIT_MINIMUM_CALLS.
		 */
		private int minimumNumberOfCalls = 5;

		/**
		 * Duration above which a call counts as slow. Environment variable
		 * CACHE_CIRCUIT_SLOW_CALL_THRESHOLD_MS.
		 */
		private Duration slowCallDurationThreshold = Duration.ofSeconds(1);

		/**
		 * Slow-call rate, in percent, at or above which the breaker opens.
		 */
		private float slowCallRateThreshold = 100;

		/**
		 * Time the breaker stays open before letting probe calls through. Environment
		 * variable CACHE_CIRCUIT_WAIT_IN_OPEN_MS.
		 */
		private Duration waitDurationInOpenState = Duration.ofMillis(500);

		/**
		 * Number of probe calls permitted while half-open. Environment variable
		 * CACHE_CIRCUIT_HALF_OPEN_CALLS.
		 */
		private int permittedNumberOfCallsInHalfOpenState = 3;

		/**
		 * Number of Redis failures or slow calls in a row that open the breaker at once,
		 * whatever the sliding window says; 0 disables it. Environment variable
		 * CACHE_CIRCUIT_CONSECUTIVE_FAILURES.
		 */
		private int consecutiveFailureThreshold = 3;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
		}

		public int getSlidingWindowSize() {
			return this.slidingWindowSize;
		}

		public void setSlidingWindowSize(int slidingWindowSize) {
			this.slidingWindowSize = slidingWindowSize;
		}

		public int getMinimumNumberOfCalls() {
			return this.minimumNumberOfCalls;
		}

		public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
			this.minimumNumberOfCalls = minimumNumberOfCalls;
		}

		public Duration getSlowCallDurationThreshold() {
			return this.slowCallDurationThreshold;
		}

		public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
			this.slowCallDurationThreshold = slowCallDurationThreshold;
		}

		public float getSlowCallRateThreshold() {
			return this.slowCallRateThreshold;
		}

		public void setSlowCallRateThreshold(float slowCallRateThreshold) {
			this.slowCallRateThreshold = slowCallRateThreshold;
		}

		public Duration getWaitDurationInOpenState() {
			return this.waitDurationInOpenState;
		}

		public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
			this.waitDurationInOpenState = waitDurationInOpenState;
		}

		public int getPermittedNumberOfCallsInHalfOpenState() {
			return this.permittedNumberOfCallsInHalfOpenState;
		}

		public void setPermittedNumberOfCallsInHalfOpenState(int permittedNumberOfCallsInHalfOpenState) {
			this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
		}

		public int getConsecutiveFailureThreshold() {
			return this.consecutiveFailureThreshold;
		}

		public void setConsecutiveFailureThreshold(int consecutiveFailureThreshold) {
			this.consecutiveFailureThreshold = consecutiveFailureThreshold;
		}

	}

	/**
	 * Startup settings. By default the application starts without waiting for Redis.
	 */
	public static class Startup {

		/**
		 * Whether startup waits until Redis answers a PING.
		 */
		private boolean waitForRedis;

		/**
		 * Longest time startup waits for Redis before it fails.
		 */
		private Duration waitBudget = Duration.ofSeconds(30);

		/**
		 * Delay before the second attempt, doubled for each further attempt.
		 */
		private Duration waitInitialDelay = Duration.ofMillis(200);

		/**
		 * Longest delay between two attempts.
		 */
		private Duration waitMaxDelay = Duration.ofSeconds(5);

		public boolean isWaitForRedis() {
			return this.waitForRedis;
		}

		public void setWaitForRedis(boolean waitForRedis) {
			this.waitForRedis = waitForRedis;
		}

		public Duration getWaitBudget() {
			return this.waitBudget;
		}

		public void setWaitBudget(Duration waitBudget) {
			this.waitBudget = waitBudget;
		}

		public Duration getWaitInitialDelay() {
			return this.waitInitialDelay;
		}

		public void setWaitInitialDelay(Duration waitInitialDelay) {
			this.waitInitialDelay = waitInitialDelay;
		}

		public Duration getWaitMaxDelay() {
			return this.waitMaxDelay;
		}

		public void setWaitMaxDelay(Duration waitMaxDelay) {
			this.waitMaxDelay = waitMaxDelay;
		}

	}

	/**
	 * Circuit-breaking cache manager settings.
	 */
	public static class Cache {

		/**
		 * Whether Spring's Redis cache manager is replaced by one that keeps serving from
		 * a local fallback while Redis is unavailable.
		 */
		private boolean enabled = true;

		private final Fallback fallback = new Fallback();

		private final Journal journal = new Journal();

		private final Near near = new Near();

		private final Replay replay = new Replay();

		private final SingleFlight singleFlight = new SingleFlight();

		private final EarlyRefresh earlyRefresh = new EarlyRefresh();

		private final Stale stale = new Stale();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Fallback getFallback() {
			return this.fallback;
		}

		public Journal getJournal() {
			return this.journal;
		}

		public Replay getReplay() {
			return this.replay;
		}

		public Near getNear() {
			return this.near;
		}

		public SingleFlight getSingleFlight() {
			return this.singleFlight;
		}

		public EarlyRefresh getEarlyRefresh() {
			return this.earlyRefresh;
		}

		public Stale getStale() {
			return this.stale;
		}

	}

	/**
	 * Single flight across instances: a miss of a synchronized load
	 * ({@code @Cacheable(sync = true)}, {@code Cache.get(key, loader)}) takes a lease on
	 * the key in Redis, so that one caller of all instances runs the loader while the
	 * others wait for its value, woken by Redis.
	 */
	public static class SingleFlight {

		/**
		 * Whether a synchronized load runs once per key across every instance, not once
		 * per instance. While Redis is unavailable it runs once per instance.
		 */
		private boolean enabled;

		/**
		 * Names of the caches loaded once across instances; empty for every cache.
		 */
		private List<String> cacheNames = new ArrayList<>();

		/**
		 * Longest time a lease on a key is held: a holder that dies, or that loads for
		 * longer, lets another caller load the key after it.
		 */
		private Duration leaseTime = Duration.ofSeconds(10);

		/**
		 * Longest time a caller waits for the value of another instance's load before it
		 * runs the loader itself.
		 */
		private Duration waitTime = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getCacheNames() {
			return this.cacheNames;
		}

		public void setCacheNames(List<String> cacheNames) {
			this.cacheNames = cacheNames;
		}

		public Duration getLeaseTime() {
			return this.leaseTime;
		}

		public void setLeaseTime(Duration leaseTime) {
			this.leaseTime = leaseTime;
		}

		public Duration getWaitTime() {
			return this.waitTime;
		}

		public void setWaitTime(Duration waitTime) {
			this.waitTime = waitTime;
		}

	}

	/**
	 * Early refresh of synchronized loads: a hit may reload the value in the background
	 * before it expires, with the probability of optimal probabilistic early expiration
	 * (XFetch), so that no caller waits on an expiring key.
	 */
	public static class EarlyRefresh {

		/**
		 * Whether hits of synchronized loads refresh their value in the background before
		 * it expires, one refresh per key across instances.
		 */
		private boolean enabled;

		/**
		 * Names of the caches refreshed early; empty for every cache.
		 */
		private List<String> cacheNames = new ArrayList<>();

		/**
		 * How early a refresh starts: a hit refreshes when the time to live left is at
		 * most the measured load time times beta times -ln(random). Above 1 refreshes
		 * earlier, below 1 later.
		 */
		private double beta = 1.0;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getCacheNames() {
			return this.cacheNames;
		}

		public void setCacheNames(List<String> cacheNames) {
			this.cacheNames = cacheNames;
		}

		public double getBeta() {
			return this.beta;
		}

		public void setBeta(double beta) {
			this.beta = beta;
		}

	}

	/**
	 * Stale-while-revalidate and stale-if-error for synchronized loads: an expired entry
	 * is kept in Redis for a grace period, served at once while one refresh runs, and
	 * served instead of the loader's failure. Only expiry makes a value stale: an evicted
	 * or cleared value is gone.
	 */
	public static class Stale {

		/**
		 * How long an expired entry stays available as a stale value; zero for none.
		 */
		private Duration timeToLive = Duration.ZERO;

		/**
		 * Names of the caches that serve stale values; empty for every cache.
		 */
		private List<String> cacheNames = new ArrayList<>();

		/**
		 * How long after a failed refresh of a key (of a stale value, or early) this
		 * instance waits before it refreshes the key again, serving the value it holds
		 * meanwhile; zero to retry at the next hit.
		 */
		private Duration refreshBackoff = Duration.ofSeconds(1);

		public Duration getTimeToLive() {
			return this.timeToLive;
		}

		public void setTimeToLive(Duration timeToLive) {
			this.timeToLive = timeToLive;
		}

		public List<String> getCacheNames() {
			return this.cacheNames;
		}

		public void setCacheNames(List<String> cacheNames) {
			this.cacheNames = cacheNames;
		}

		public Duration getRefreshBackoff() {
			return this.refreshBackoff;
		}

		public void setRefreshBackoff(Duration refreshBackoff) {
			this.refreshBackoff = refreshBackoff;
		}

	}

	/**
	 * Near cache: hot reads answered from the JVM, each key invalidated by Redis itself
	 * through client-side caching (CLIENT TRACKING) on a dedicated connection.
	 */
	public static class Near {

		/**
		 * Whether reads of the near-cached caches are answered from the JVM while the
		 * tracking connection is known to be alive. Standalone and Sentinel only.
		 */
		private boolean enabled;

		/**
		 * Names of the near-cached caches; empty for every cache.
		 */
		private List<String> cacheNames = new ArrayList<>();

		/**
		 * Longest time a local hit may lag Redis when invalidations stop arriving: local
		 * hits stop when the tracking connection has not answered, as a master, a ROLE
		 * sent within it. It is asked every third of this.
		 */
		private Duration maxStaleness = Duration.ofMillis(250);

		/**
		 * Maximum number of entries held locally per near-cached cache.
		 */
		private long maximumSize = 10_000;

		/**
		 * Whether a near hit answers the instance decoded when the entry was read from
		 * Redis, for values of every type. Only for values that callers never change:
		 * otherwise only values of immutable JDK types are, and every other near hit
		 * deserializes a new instance.
		 */
		private boolean storeByReference;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getCacheNames() {
			return this.cacheNames;
		}

		public void setCacheNames(List<String> cacheNames) {
			this.cacheNames = cacheNames;
		}

		public Duration getMaxStaleness() {
			return this.maxStaleness;
		}

		public void setMaxStaleness(Duration maxStaleness) {
			this.maxStaleness = maxStaleness;
		}

		public long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(long maximumSize) {
			this.maximumSize = maximumSize;
		}

		public boolean isStoreByReference() {
			return this.storeByReference;
		}

		public void setStoreByReference(boolean storeByReference) {
			this.storeByReference = storeByReference;
		}

	}

	/**
	 * Redis Cluster settings that Spring Boot does not have. The periodic refresh is
	 * Spring Boot's own 'spring.data.redis.lettuce.cluster.refresh.period'.
	 */
	public static class Cluster {

		/**
		 * Whether the topology is also refreshed as soon as the client sees it change:
		 * redirects, repeated reconnects, slots without a node, unknown nodes, or
		 * commands that time out (a master that went silent without closing its
		 * connections).
		 */
		private boolean adaptiveRefresh = true;

		/**
		 * Shortest time between two adaptive refreshes; triggers within it are ignored. A
		 * refresh that runs before a failover completes is repeated after it, so this
		 * bounds how long slots of a failed-over master stay unreachable.
		 */
		private Duration adaptiveRefreshTimeout = Duration.ofSeconds(1);

		public boolean isAdaptiveRefresh() {
			return this.adaptiveRefresh;
		}

		public void setAdaptiveRefresh(boolean adaptiveRefresh) {
			this.adaptiveRefresh = adaptiveRefresh;
		}

		public Duration getAdaptiveRefreshTimeout() {
			return this.adaptiveRefreshTimeout;
		}

		public void setAdaptiveRefreshTimeout(Duration adaptiveRefreshTimeout) {
			this.adaptiveRefreshTimeout = adaptiveRefreshTimeout;
		}

	}

	/**
	 * Local fallback of each cache, answering reads while Redis is unavailable.
	 */
	public static class Fallback {

		/**
		 * Whether reads are answered from a local copy while Redis is unavailable. When
		 * disabled, they are misses and the cached method runs.
		 */
		private boolean enabled = true;

		/**
		 * Maximum number of entries held locally per cache.
		 */
		private long maximumSize = 10_000;

		/**
		 * Longest time an entry is held locally; never longer than its time to live in
		 * Redis.
		 */
		private Duration timeToLive = Duration.ofMinutes(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(long maximumSize) {
			this.maximumSize = maximumSize;
		}

		public Duration getTimeToLive() {
			return this.timeToLive;
		}

		public void setTimeToLive(Duration timeToLive) {
			this.timeToLive = timeToLive;
		}

	}

	/**
	 * Invalidation journal: keys written or evicted while Redis is unavailable, deleted
	 * from Redis before it serves them again.
	 */
	public static class Journal {

		/**
		 * Maximum number of keys recorded; beyond it, the affected caches are cleared in
		 * Redis when it returns.
		 */
		private int maxSize = 10_000;

		public int getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(int maxSize) {
			this.maxSize = maxSize;
		}

	}

	/**
	 * Replay of the cache writes that Redis acknowledged and then forgot: when the server
	 * turns out, after a reconnect, to have restarted (its 'run_id' changed, for example
	 * after a restart from an older RDB snapshot or an append-only file written once a
	 * second) or to have been replaced (its 'master_replid' changed or its replication
	 * offset went back, for example after a failover to a replica that had not received
	 * the writes), the keys written in the window are deleted in Redis, and read locally
	 * until then.
	 */
	public static class Replay {

		/**
		 * How long before the connection was lost the cache writes are replayed: cover
		 * the writes your Redis can lose (the time between RDB snapshots, about a second
		 * with 'appendfsync everysec', the replication lag of a failover). Zero disables
		 * the replay.
		 */
		private Duration window = Duration.ofMinutes(1);

		/**
		 * Maximum number of recent cache writes recorded for a replay; when more fall
		 * within the window, the caches they belong to are cleared in Redis instead.
		 */
		private int maxSize = 10_000;

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public int getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(int maxSize) {
			this.maxSize = maxSize;
		}

	}

	/**
	 * Health indicator and '/actuator/redis' endpoint settings.
	 */
	public static class Health {

		/**
		 * Longest time a health check waits for Redis (its PING and INFO, and the nodes
		 * of a Sentinel or cluster topology, all at once), independent of the command
		 * timeout.
		 */
		private Duration timeout = Duration.ofSeconds(1);

		/**
		 * Time a probe result is reused by further health checks, so that frequent probes
		 * do not each reach Redis. Zero disables caching.
		 */
		private Duration cacheTime = Duration.ofSeconds(1);

		/**
		 * Whether a Redis that cannot serve the application (unreachable, a cluster shard
		 * down, out of memory, a replica, or the circuit breaker not closed) is reported
		 * as DEGRADED rather than DOWN while the resilient cache manager keeps the
		 * application serving.
		 */
		private boolean reportDegraded = true;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getCacheTime() {
			return this.cacheTime;
		}

		public void setCacheTime(Duration cacheTime) {
			this.cacheTime = cacheTime;
		}

		public boolean isReportDegraded() {
			return this.reportDegraded;
		}

		public void setReportDegraded(boolean reportDegraded) {
			this.reportDegraded = reportDegraded;
		}

	}

	/**
	 * Meters that Spring Boot does not record.
	 */
	public static class Metrics {

		/**
		 * Whether to record Lettuce's own latency timers of every command
		 * ('lettuce.command.completion' and 'lettuce.command.firstresponse' by command,
		 * with client-side p50, p95 and p99), shown as 'client.command_latency' in
		 * /actuator/redis/stats. Off by default: Spring Boot's observation of Lettuce
		 * already times every command, and the second recording with client-side
		 * percentiles allocates about 100 bytes more per command.
		 */
		private boolean commandLatency;

		public boolean isCommandLatency() {
			return this.commandLatency;
		}

		public void setCommandLatency(boolean commandLatency) {
			this.commandLatency = commandLatency;
		}

	}

}

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

import org.springframework.util.Assert;

/**
 * Settings of the local fallback, of the invalidation journal and of the replay of writes
 * that Redis forgets, of a {@link ResilientRedisCacheManager}.
 *
 * @param fallbackEnabled whether reads are answered from a local copy while Redis is
 * unavailable; without it they are misses
 * @param fallbackMaximumSize maximum number of entries held locally per cache
 * @param fallbackTimeToLive longest time an entry is held locally (never longer than its
 * time to live in Redis)
 * @param journalMaxSize maximum number of keys recorded while Redis is unavailable;
 * beyond it the affected caches are cleared in Redis instead
 * @param replayWindow how long before a connection loss the writes are replayed (deleted
 * in Redis) when the server turns out to have restarted or been replaced; zero disables
 * the replay
 * @param replayMaxSize maximum number of recent writes recorded for a replay; when more
 * fall within the window, their caches are cleared instead
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public record ResilientCacheSettings(boolean fallbackEnabled, long fallbackMaximumSize, Duration fallbackTimeToLive,
		int journalMaxSize, Duration replayWindow, int replayMaxSize) {

	/**
	 * Default window of the replay of writes that Redis forgets.
	 */
	public static final Duration DEFAULT_REPLAY_WINDOW = Duration.ofMinutes(1);

	/**
	 * Default number of recent writes recorded for a replay.
	 */
	public static final int DEFAULT_REPLAY_MAX_SIZE = 10_000;

	/**
	 * Default settings: fallback enabled with 10,000 entries per cache for at most 5
	 * minutes, a journal of 10,000 keys, the writes of the last minute replayed (at most
	 * 10,000).
	 */
	static final ResilientCacheSettings DEFAULTS = new ResilientCacheSettings(true, 10_000, Duration.ofMinutes(5),
			10_000);

	public ResilientCacheSettings {
		Assert.isTrue(fallbackMaximumSize >= 0, "'fallbackMaximumSize' must not be negative");
		Assert.notNull(fallbackTimeToLive, "'fallbackTimeToLive' must not be null");
		Assert.isTrue(!fallbackTimeToLive.isNegative(), "'fallbackTimeToLive' must not be negative");
		Assert.isTrue(journalMaxSize > 0, "'journalMaxSize' must be positive");
		Assert.notNull(replayWindow, "'replayWindow' must not be null");
		Assert.isTrue(!replayWindow.isNegative(), "'replayWindow' must not be negative");
		Assert.isTrue(replayMaxSize > 0, "'replayMaxSize' must be positive");
	}

	/**
	 * Create settings with the default replay of writes that Redis forgets.
	 * @param fallbackEnabled whether reads are answered from a local copy while Redis is
	 * unavailable
	 * @param fallbackMaximumSize maximum number of entries held locally per cache
	 * @param fallbackTimeToLive longest time an entry is held locally
	 * @param journalMaxSize maximum number of keys recorded while Redis is unavailable
	 */
	public ResilientCacheSettings(boolean fallbackEnabled, long fallbackMaximumSize, Duration fallbackTimeToLive,
			int journalMaxSize) {
		this(fallbackEnabled, fallbackMaximumSize, fallbackTimeToLive, journalMaxSize, DEFAULT_REPLAY_WINDOW,
				DEFAULT_REPLAY_MAX_SIZE);
	}

}

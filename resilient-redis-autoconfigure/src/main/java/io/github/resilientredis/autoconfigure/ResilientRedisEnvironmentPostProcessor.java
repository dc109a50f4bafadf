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

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Contributes the starter's defaults for Spring Boot's own Redis properties, maps the
 * environment variables that operators already use for Redis ({@code REDIS_URL},
 * {@code CACHE_SOCKET_TIMEOUT_MS} and friends) onto Spring Boot's properties where Boot
 * has one and onto {@code resilient.redis.*} otherwise, and applies the deprecated
 * {@code resilient.redis.*} keys that Spring Boot's keys replace. A Redis URL becomes
 * Spring Boot's {@code spring.data.redis.url}, or, for a Sentinel or cluster URL, its
 * sentinel or cluster properties ({@link RedisTopologyUrl}).
 * <p>
 * Everything is added as one property source of the lowest precedence, as Spring Boot's
 * DevTools adds its defaults: a property the user sets anywhere (in
 * {@code application.yml}, a system property, the command line, or Boot's relaxed
 * environment variables such as {@code SPRING_DATA_REDIS_TIMEOUT}) wins. Within the
 * source, a deprecated key wins over an environment variable, which wins over the
 * starter's default. Spring Boot's explicit connection settings
 * ({@code spring.data.redis.url}, {@code host}, {@code port}, sentinel, cluster or
 * master/replica nodes) win over the Redis URL.
 *
 * @author resilient-redis contributors
 */
class ResilientRedisEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "resilientRedisDefaults";

	private static final String URL_PROPERTY = "resilient.redis.url";

	private static final String URL_VARIABLE = "REDIS_URL";

	private static final List<String> SPRING_CONNECTION_PROPERTIES = List.of("spring.data.redis.url",
			"spring.data.redis.host", "spring.data.redis.port", "spring.data.redis.sentinel.master",
			"spring.data.redis.sentinel.nodes", "spring.data.redis.cluster.nodes",
			"spring.data.redis.masterreplica.nodes");

	/**
	 * The starter's defaults for Spring Boot's own properties, tuned for failure: Boot
	 * leaves the command timeout at Lettuce's minute, an exhausted pool waiting forever,
	 * and the cluster topology never refreshed periodically.
	 */
	static final Map<String, String> DEFAULTS;

	/**
	 * Keys of earlier releases that Spring Boot's own keys replace, with their
	 * replacement. Declared with it in
	 * {@code META-INF/additional-spring-configuration-metadata.json}.
	 */
	static final Map<String, String> DEPRECATED_KEYS;

	private static final BigDecimal MAX_DURATION_MILLIS = BigDecimal.valueOf(Duration.ofDays(1).toMillis());

	private static final Map<String, Mapping> MAPPINGS;

	static {
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("spring.data.redis.timeout", "2s");
		defaults.put("spring.data.redis.connect-timeout", "2s");
		defaults.put("spring.data.redis.lettuce.pool.max-active", "20");
		// An exhausted pool must not block a caller longer than a command may take.
		defaults.put("spring.data.redis.lettuce.pool.max-wait", "${spring.data.redis.timeout}");
		defaults.put("spring.data.redis.lettuce.cluster.refresh.period", "30s");
		DEFAULTS = Collections.unmodifiableMap(defaults);
		Map<String, String> deprecated = new LinkedHashMap<>();
		deprecated.put("resilient.redis.connection.command-timeout", "spring.data.redis.timeout");
		deprecated.put("resilient.redis.connection.connect-timeout", "spring.data.redis.connect-timeout");
		deprecated.put("resilient.redis.connection.max-connections", "spring.data.redis.lettuce.pool.max-active");
		deprecated.put("resilient.redis.read-from", "spring.data.redis.lettuce.read-from");
		deprecated.put("resilient.redis.cluster.topology-refresh-period",
				"spring.data.redis.lettuce.cluster.refresh.period");
		DEPRECATED_KEYS = Collections.unmodifiableMap(deprecated);
		Map<String, Mapping> mappings = new LinkedHashMap<>();
		mappings.put("CACHE_SOCKET_CONNECT_TIMEOUT_MS",
				new Mapping("spring.data.redis.connect-timeout", milliseconds(), "2000"));
		mappings.put("CACHE_SOCKET_TIMEOUT_MS", new Mapping("spring.data.redis.timeout", milliseconds(), "2000"));
		mappings.put("CACHE_HEALTH_CHECK_INTERVAL", new Mapping("resilient.redis.heartbeat.interval", seconds(), "30"));
		mappings.put("CACHE_MAX_CONNECTIONS", new Mapping("spring.data.redis.lettuce.pool.max-active",
				integer(1, ResilientRedisPropertiesValidator.MAX_CONNECTIONS), "20"));
		mappings.put("CACHE_MAX_RETRIES", new Mapping("resilient.redis.retry.max-retries",
				integer(0, ResilientRedisPropertiesValidator.MAX_RETRIES), "2"));
		mappings.put("CACHE_RETRY_DELAY", new Mapping("resilient.redis.retry.delay", seconds(), "0.1"));
		mappings.put("REDIS_SSL_CERT_REQS", new Mapping("resilient.redis.ssl.cert-reqs", certReqs(), "required"));
		mappings.put("CACHE_CIRCUIT_FAILURE_RATE_THRESHOLD",
				new Mapping("resilient.redis.circuit-breaker.failure-rate-threshold", percentage(), "50"));
		mappings.put("CACHE_CIRCUIT_SLIDING_WINDOW_SIZE",
				new Mapping("resilient.redis.circuit-breaker.sliding-window-size", integer(1, 10_000), "20"));
		mappings.put("CACHE_CIRCUIT_MINIMUM_CALLS",
				new Mapping("resilient.redis.circuit-breaker.minimum-number-of-calls", integer(1, 10_000), "5"));
		mappings.put("CACHE_CIRCUIT_SLOW_CALL_THRESHOLD_MS",
				new Mapping("resilient.redis.circuit-breaker.slow-call-duration-threshold", milliseconds(), "1000"));
		mappings.put("CACHE_CIRCUIT_WAIT_IN_OPEN_MS",
				new Mapping("resilient.redis.circuit-breaker.wait-duration-in-open-state", milliseconds(), "500"));
		mappings.put("CACHE_CIRCUIT_CONSECUTIVE_FAILURES",
				new Mapping("resilient.redis.circuit-breaker.consecutive-failure-threshold", integer(0, 10_000), "3"));
		mappings.put("CACHE_CIRCUIT_HALF_OPEN_CALLS",
				new Mapping("resilient.redis.circuit-breaker.permitted-number-of-calls-in-half-open-state",
						integer(1, 1_000), "3"));
		MAPPINGS = Collections.unmodifiableMap(mappings);
	}

	private final Log logger;

	ResilientRedisEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(ResilientRedisEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		// After config data (application.yml) is loaded, so explicit properties are seen.
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		MutablePropertySources propertySources = environment.getPropertySources();
		// Everything below reads what the user set, without this starter's own source.
		propertySources.remove(PROPERTY_SOURCE_NAME);
		Map<String, Object> properties = new LinkedHashMap<>();
		Map<String, String> variables = variables(propertySources);
		if (environment.getProperty("resilient.redis.enabled", Boolean.class, true)) {
			properties.putAll(DEFAULTS);
			MAPPINGS.forEach((variable, mapping) -> {
				String value = variables.get(variable);
				if (value != null) {
					properties.put(mapping.property(), OriginTrackedValue.of(mapping.convert(variable, value),
							new SystemEnvironmentOrigin(variable)));
				}
			});
			applyDeprecatedKeys(ConfigurationPropertySources.get(environment), properties);
		}
		applyUrl(environment, properties, variables.get(URL_VARIABLE));
		leaveToDefaultProperties(propertySources, properties);
		propertySources.addLast(new OriginTrackedMapPropertySource(PROPERTY_SOURCE_NAME, properties));
	}

	private static Map<String, String> variables(MutablePropertySources propertySources) {
		PropertySource<?> systemEnvironment = propertySources
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		Map<String, String> variables = new LinkedHashMap<>();
		if (systemEnvironment != null) {
			Stream.concat(Stream.of(URL_VARIABLE), MAPPINGS.keySet().stream()).forEach((variable) -> {
				Object value = systemEnvironment.getProperty(variable);
				if (value != null) {
					variables.put(variable, value.toString());
				}
			});
		}
		return variables;
	}

	private void applyDeprecatedKeys(Iterable<ConfigurationPropertySource> sources, Map<String, Object> properties) {
		DEPRECATED_KEYS.forEach((deprecated, replacement) -> {
			ConfigurationProperty property = find(sources, deprecated);
			if (property == null) {
				return;
			}
			String origin = (property.getOrigin() != null) ? " (" + property.getOrigin() + ")" : "";
			if (find(sources, replacement) != null) {
				this.logger.warn("The deprecated property " + deprecated + origin + " is ignored because " + replacement
						+ " is set; remove " + deprecated);
				return;
			}
			this.logger.warn("The property " + deprecated + origin + " is deprecated: set Spring Boot's " + replacement
					+ " instead. This release still applies it to " + replacement + ".");
			properties.put(replacement, OriginTrackedValue.of(property.getValue(), property.getOrigin()));
		});
	}

	private static @Nullable ConfigurationProperty find(Iterable<ConfigurationPropertySource> sources, String name) {
		ConfigurationPropertyName propertyName = ConfigurationPropertyName.of(name);
		for (ConfigurationPropertySource source : sources) {
			ConfigurationProperty property = source.getConfigurationProperty(propertyName);
			if (property != null) {
				return property;
			}
		}
		return null;
	}

	/**
	 * Spring Boot moves the application's default properties
	 * ({@link SpringApplication#setDefaultProperties(Map)}) after every other source,
	 * this one included, once post-processing is done: a key the application set there is
	 * the application's choice and is left to it.
	 * @param propertySources the property sources of the environment
	 * @param properties the properties this starter contributes
	 */
	private static void leaveToDefaultProperties(MutablePropertySources propertySources,
			Map<String, Object> properties) {
		PropertySource<?> defaultProperties = propertySources.get(DefaultPropertiesPropertySource.NAME);
		ConfigurationPropertySource source = (defaultProperties != null)
				? ConfigurationPropertySource.from(defaultProperties) : null;
		if (source != null) {
			properties.keySet()
				.removeIf((name) -> source.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null);
		}
	}

	private void applyUrl(ConfigurableEnvironment environment, Map<String, Object> properties,
			@Nullable String variable) {
		String springUrl = environment.getProperty("spring.data.redis.url");
		if (springUrl != null && !springUrl.isEmpty()) {
			RedisTopologyUrl.rejectInSpringBootUrl("spring.data.redis.url", springUrl);
			RedisUrlValidator.validateForSpringBoot("spring.data.redis.url", springUrl);
		}
		String url = environment.getProperty(URL_PROPERTY);
		String setting = URL_PROPERTY;
		if (url == null && variable != null) {
			url = variable;
			setting = URL_VARIABLE;
			properties.put(URL_PROPERTY, OriginTrackedValue.of(url, new SystemEnvironmentOrigin(URL_VARIABLE)));
		}
		if (url == null) {
			return;
		}
		Map<String, String> topology = RedisTopologyUrl.springProperties(setting, url);
		if (topology == null) {
			RedisUrlValidator.validate(setting, url);
		}
		String explicit = SPRING_CONNECTION_PROPERTIES.stream()
			.filter(environment::containsProperty)
			.findFirst()
			.orElse(null);
		if (explicit != null) {
			this.logger.info(setting + " is ignored because " + explicit
					+ " is set; Spring Boot's own connection settings take precedence");
			return;
		}
		if (topology != null) {
			properties.putAll(topology);
		}
		else {
			properties.put("spring.data.redis.url", RedisUrlValidator.withDefaultPort(url));
		}
	}

	private static Function<String, String> milliseconds() {
		return (value) -> duration(parseDecimal(value, false), "86400000");
	}

	private static Function<String, String> seconds() {
		return (value) -> duration(parseDecimal(value, false).movePointRight(3), "86400");
	}

	private static String duration(BigDecimal milliseconds, String oneDay) {
		if (milliseconds.compareTo(MAX_DURATION_MILLIS) > 0) {
			throw new IllegalArgumentException("must be at most " + oneDay + " (one day)");
		}
		if (milliseconds.compareTo(BigDecimal.ONE) < 0) {
			throw new IllegalArgumentException("must be at least one millisecond");
		}
		return milliseconds.toBigInteger() + "ms";
	}

	private static Function<String, String> integer(int minimum, int maximum) {
		return (value) -> parseInteger(value, minimum, maximum);
	}

	private static Function<String, String> percentage() {
		return (value) -> {
			BigDecimal number = parseDecimal(value, false);
			if (number.compareTo(BigDecimal.ONE) < 0 || number.compareTo(BigDecimal.valueOf(100)) > 0) {
				throw new IllegalArgumentException("must be a percentage between 1 and 100");
			}
			return number.toPlainString();
		};
	}

	private static Function<String, String> certReqs() {
		return (value) -> {
			String lower = value.strip().toLowerCase(Locale.ROOT);
			if (!lower.equals("required") && !lower.equals("none")) {
				throw new IllegalArgumentException("must be 'required' or 'none'");
			}
			return lower;
		};
	}

	private static String parseInteger(String value, int minimum, int maximum) {
		BigDecimal number = parseDecimal(value, true);
		if (number.scale() > 0 && number.stripTrailingZeros().scale() > 0) {
			throw new IllegalArgumentException("must be a whole number");
		}
		if (number.compareTo(BigDecimal.valueOf(minimum)) < 0 || number.compareTo(BigDecimal.valueOf(maximum)) > 0) {
			throw new IllegalArgumentException("must be a whole number from " + minimum + " to " + maximum);
		}
		return number.toBigInteger().toString();
	}

	private static BigDecimal parseDecimal(String value, boolean allowZero) {
		BigDecimal number;
		try {
			number = new BigDecimal(value.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("must be a number");
		}
		if (number.signum() < 0 || (!allowZero && number.signum() == 0)) {
			throw new IllegalArgumentException(allowZero ? "must not be negative" : "must be greater than zero");
		}
		return number;
	}

	private record Mapping(String property, Function<String, String> converter, @Nullable String example) {

		String convert(String variable, String value) {
			try {
				return this.converter.apply(value);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRedisConfigurationException(
						"environment variable " + variable + " (" + this.property + ")", ex.getMessage(),
						variable + "=" + this.example);
			}
		}

	}

}

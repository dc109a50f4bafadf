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

import java.util.LinkedHashMap;
import java.util.Map;

import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import io.lettuce.core.resource.SocketAddressResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A host name that stands in for a cloud primary endpoint, whose DNS record moves to the
 * promoted server on a failover: Lettuce's {@link MappingSocketAddressResolver} resolves
 * it to whichever {@link RedisServer} it points at now, each time a connection is opened.
 * Connections already open stay where they are, as with a real DNS move.
 * <p>
 * Install the resolver in the application's client resources, for example with a
 * {@code ClientResourcesBuilderCustomizer} bean
 * {@code (builder) -> builder.socketAddressResolver(endpoint.socketAddressResolver())},
 * and connect the application with {@link #springProperties()}. Needs Lettuce on the
 * classpath.
 *
 * @author resilient-redis contributors
 * @since 0.1.0
 */
public final class StableEndpoint {

	/**
	 * Port the application is configured with; the resolver replaces it with the port of
	 * the server the endpoint points at.
	 */
	private static final int PORT = 6379;

	private final String hostName;

	private volatile RedisServer target;

	private StableEndpoint(String hostName, RedisServer target) {
		this.hostName = hostName;
		this.target = target;
	}

	/**
	 * Create an endpoint that points at the given server.
	 * @param hostName the host name the application connects to, for example
	 * {@code primary.redis.test}; it is never looked up in DNS
	 * @param target the server the endpoint points at first
	 * @return the endpoint
	 */
	public static StableEndpoint of(String hostName, RedisServer target) {
		Assert.hasText(hostName, "A host name is required");
		Assert.notNull(target, "A target server is required");
		return new StableEndpoint(hostName, target);
	}

	/**
	 * Return the host name the application connects to.
	 * @return the host name
	 */
	public String hostName() {
		return this.hostName;
	}

	/**
	 * Return the server the endpoint points at now.
	 * @return the server
	 */
	public RedisServer target() {
		return this.target;
	}

	/**
	 * Point the endpoint at another server, as a failover moves a DNS record: new
	 * connections reach it, open ones stay where they are.
	 * @param target the server to point at
	 */
	public void moveTo(RedisServer target) {
		Assert.notNull(target, "A target server is required");
		this.target = target;
	}

	/**
	 * Return a resolver that resolves {@link #hostName()} to the server the endpoint
	 * points at when a connection is opened, and any other host as Lettuce does.
	 * @return the resolver
	 */
	public SocketAddressResolver socketAddressResolver() {
		return MappingSocketAddressResolver.create(this::resolve);
	}

	private HostAndPort resolve(HostAndPort address) {
		if (!this.hostName.equalsIgnoreCase(address.getHostText())) {
			return address;
		}
		RedisServer server = this.target;
		return HostAndPort.of(server.host(), server.port());
	}

	/**
	 * Return the {@code spring.data.redis.*} properties that connect an application to
	 * this endpoint (with the credentials of the server it points at now), as
	 * {@code name=value} pairs for {@code ApplicationContextRunner.withPropertyValues}.
	 * @return the properties
	 */
	public String[] springProperties() {
		Map<String, @Nullable String> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.host", this.hostName);
		properties.put("spring.data.redis.port", String.valueOf(PORT));
		RedisServer server = this.target;
		properties.put("spring.data.redis.username", server.username());
		properties.put("spring.data.redis.password", server.password());
		return properties.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() != null)
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
	}

	@Override
	public String toString() {
		return "StableEndpoint[" + this.hostName + " -> " + this.target + "]";
	}

}

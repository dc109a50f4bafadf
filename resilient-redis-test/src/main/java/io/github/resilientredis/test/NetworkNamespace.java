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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Network namespace reached from the host over a veth pair with a private {@code /30}:
 * the host side gets {@code .1}, the namespace side {@code .2}. A server bound to the
 * namespace address can be partitioned silently with a blackhole route back to the host
 * address: packets are dropped, no RST is sent.
 * <p>
 * Names start with {@code rrt-<pid>-}, so namespaces left behind by a crashed JVM are
 * recognized and removed the next time one is created.
 *
 * @author resilient-redis contributors
 */
final class NetworkNamespace implements AutoCloseable {

	private static final String PREFIX = "rrt";

	private static final Pattern NAMESPACE_NAME = Pattern.compile("^" + PREFIX + "-(\\d+)-\\d+$");

	private static final Pattern VETH_NAME = Pattern.compile("^" + PREFIX + "(\\d+)[hn]\\d+$");

	private static final Pattern ADDRESS = Pattern
		.compile("\\b(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(/\\d{1,2})?");

	private static final int[] POOLS = { (10 << 24) | (213 << 16), (172 << 24) | (30 << 16) };

	private static final AtomicInteger counter = new AtomicInteger();

	private static final Object monitor = new Object();

	private static @Nullable Boolean supported;

	private final String name;

	private final String hostInterface;

	private final String hostAddress;

	private final String namespaceAddress;

	private volatile boolean blackholed;

	private final List<Integer> blackholedPorts = new ArrayList<>();

	private NetworkNamespace(String name, String hostInterface, String hostAddress, String namespaceAddress) {
		this.name = name;
		this.hostInterface = hostInterface;
		this.hostAddress = hostAddress;
		this.namespaceAddress = namespaceAddress;
	}

	/**
	 * Return whether namespaces and veth pairs can be created here: Linux, root and the
	 * {@code ip} command.
	 * @return whether namespaces are supported
	 */
	static boolean isSupported() {
		synchronized (monitor) {
			if (supported == null) {
				supported = System.getProperty("os.name", "").toLowerCase().contains("linux") && isRoot()
						&& SystemCommand.isOnPath("ip")
						&& SystemCommand.runQuietly("ip", "netns", "list").exitCode() == 0;
			}
			return supported;
		}
	}

	private static boolean isRoot() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("Uid:")) {
					return line.split("\\s+")[1].equals("0");
				}
			}
			return false;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Create a namespace with its veth pair, first removing those left behind by JVMs
	 * that no longer run.
	 * @return the namespace
	 */
	static NetworkNamespace create() {
		if (!isSupported()) {
			throw new UnsupportedOperationException("An isolated network needs Linux, root and the 'ip' command "
					+ "(iproute2) to create network namespaces and veth pairs");
		}
		long pid = ProcessHandle.current().pid();
		int number = counter.incrementAndGet() % 10000;
		String name = PREFIX + "-" + pid + "-" + number;
		String hostInterface = PREFIX + pid + "h" + number;
		String namespaceInterface = PREFIX + pid + "n" + number;
		// Other JVMs may pick subnets at the same time: choose and claim under a file
		// lock
		synchronized (monitor) {
			try (FileChannel channel = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "rrt-netns.lock"),
					StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
				removeStale();
				int subnet = freeSubnet(pid, number);
				String hostAddress = toAddress(subnet + 1);
				String namespaceAddress = toAddress(subnet + 2);
				NetworkNamespace namespace = new NetworkNamespace(name, hostInterface, hostAddress, namespaceAddress);
				try {
					SystemCommand.run("ip", "netns", "add", name);
					SystemCommand.run("ip", "link", "add", hostInterface, "type", "veth", "peer", "name",
							namespaceInterface);
					SystemCommand.run("ip", "link", "set", namespaceInterface, "netns", name);
					SystemCommand.run("ip", "addr", "add", hostAddress + "/30", "dev", hostInterface);
					SystemCommand.run("ip", "link", "set", hostInterface, "up");
					namespace.exec("ip", "addr", "add", namespaceAddress + "/30", "dev", namespaceInterface);
					namespace.exec("ip", "link", "set", namespaceInterface, "up");
					namespace.exec("ip", "link", "set", "lo", "up");
					return namespace;
				}
				catch (RuntimeException ex) {
					namespace.close();
					throw ex;
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not lock the network namespace allocation", ex);
			}
		}
	}

	private static void removeStale() {
		for (String line : SystemCommand.runQuietly("ip", "netns", "list").output().split("\n")) {
			String candidate = line.strip().split("\\s+")[0];
			Matcher matcher = NAMESPACE_NAME.matcher(candidate);
			if (matcher.matches() && isDead(matcher.group(1))) {
				SystemCommand.runQuietly("ip", "netns", "delete", candidate);
			}
		}
		for (String line : SystemCommand.runQuietly("ip", "-o", "link", "show").output().split("\n")) {
			String[] fields = line.split(":\\s+");
			if (fields.length > 1) {
				String candidate = fields[1].split("@")[0];
				Matcher matcher = VETH_NAME.matcher(candidate);
				if (matcher.matches() && isDead(matcher.group(1))) {
					SystemCommand.runQuietly("ip", "link", "delete", candidate);
				}
			}
		}
	}

	private static boolean isDead(String pid) {
		return ProcessHandle.of(Long.parseLong(pid)).map((process) -> !process.isAlive()).orElse(true);
	}

	private static int freeSubnet(long pid, int number) {
		List<long[]> used = usedNetworks();
		for (int pool : POOLS) {
			int start = (int) ((pid * 31 + number) % 16384);
			for (int i = 0; i < 16384; i++) {
				int subnet = pool + ((start + i) % 16384) * 4;
				if (!overlaps(used, subnet & 0xFFFFFFFFL, 4)) {
					return subnet;
				}
			}
		}
		throw new IllegalStateException("No free /30 for a test network in 10.213.0.0/16 or 172.30.0.0/16");
	}

	private static List<long[]> usedNetworks() {
		String routes = SystemCommand.run("ip", "-4", "route", "show", "table", "all");
		String addresses = SystemCommand.run("ip", "-4", "-o", "addr", "show");
		List<long[]> networks = new ArrayList<>();
		Matcher matcher = ADDRESS.matcher(routes + "\n" + addresses);
		while (matcher.find()) {
			long address = 0;
			for (int i = 1; i <= 4; i++) {
				address = (address << 8) | Integer.parseInt(matcher.group(i));
			}
			int prefix = (matcher.group(5) != null) ? Integer.parseInt(matcher.group(5).substring(1)) : 32;
			long size = 1L << (32 - prefix);
			networks.add(new long[] { address & ~(size - 1) & 0xFFFFFFFFL, size });
		}
		return networks;
	}

	private static boolean overlaps(List<long[]> networks, long start, long size) {
		for (long[] network : networks) {
			if (start < network[0] + network[1] && network[0] < start + size) {
				return true;
			}
		}
		return false;
	}

	private static String toAddress(int address) {
		return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
				+ (address & 0xFF);
	}

	/**
	 * Return the name of the namespace.
	 * @return the name
	 */
	String name() {
		return this.name;
	}

	/**
	 * Return the address of the namespace side, where servers bind.
	 * @return the namespace address
	 */
	String namespaceAddress() {
		return this.namespaceAddress;
	}

	/**
	 * Return the given command prefixed to run inside the namespace.
	 * @param command the command
	 * @return the command run through {@code ip netns exec}
	 */
	List<String> command(String... command) {
		List<String> result = new ArrayList<>(List.of("ip", "netns", "exec", this.name));
		result.addAll(List.of(command));
		return result;
	}

	private String exec(String... command) {
		return SystemCommand.run(command(command).toArray(String[]::new));
	}

	/**
	 * Drop every packet from the namespace to the host, without any RST.
	 */
	synchronized void blackhole() {
		if (!this.blackholed) {
			exec("ip", "route", "add", "blackhole", this.hostAddress + "/32");
			this.blackholed = true;
		}
	}

	/**
	 * Remove the blackhole route.
	 */
	synchronized void heal() {
		if (this.blackholed) {
			exec("ip", "route", "del", "blackhole", this.hostAddress + "/32");
			this.blackholed = false;
		}
	}

	/**
	 * Drop every packet from the namespace to one TCP port of the host, without any RST:
	 * one client connection, by its local port, goes silent while the others keep
	 * working.
	 * @param hostPort the local port of the client connection on the host
	 */
	synchronized void blackholeConnection(int hostPort) {
		if (!this.blackholedPorts.contains(hostPort)) {
			exec("ip", "rule", "add", "to", this.hostAddress + "/32", "ipproto", "tcp", "dport",
					Integer.toString(hostPort), "blackhole");
			this.blackholedPorts.add(hostPort);
		}
	}

	/**
	 * Remove the blackhole rules of {@link #blackholeConnection(int)}.
	 */
	synchronized void healConnections() {
		for (Integer port : this.blackholedPorts) {
			SystemCommand.runQuietly(command("ip", "rule", "del", "to", this.hostAddress + "/32", "ipproto", "tcp",
					"dport", Integer.toString(port), "blackhole")
				.toArray(String[]::new));
		}
		this.blackholedPorts.clear();
	}

	/**
	 * Delete the namespace and the veth pair.
	 */
	@Override
	public void close() {
		SystemCommand.runQuietly("ip", "netns", "delete", this.name);
		// Deleting the namespace destroys its veth end and the peer; this covers a failed
		// creation where the pair never moved into the namespace
		SystemCommand.runQuietly("ip", "link", "delete", this.hostInterface);
	}

}

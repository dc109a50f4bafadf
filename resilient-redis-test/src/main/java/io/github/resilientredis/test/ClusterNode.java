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

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code CLUSTER NODES}: the node's port, role, failure state and slots.
 *
 * @param port the client port
 * @param master whether the node is a master
 * @param failed whether the cluster considers the node failed
 * @param slots the slot ranges it serves, each {@code [first, last]}
 * @author resilient-redis contributors
 */
record ClusterNode(int port, boolean master, boolean failed, List<int[]> slots) {

	boolean serves(int slot) {
		return this.slots.stream().anyMatch((range) -> range[0] <= slot && slot <= range[1]);
	}

	static List<ClusterNode> parse(String clusterNodes) {
		List<ClusterNode> nodes = new ArrayList<>();
		for (String line : clusterNodes.split("\n")) {
			String[] fields = line.strip().split(" ");
			if (fields.length < 8) {
				continue;
			}
			// <id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link>
			// <slot>...
			String address = fields[1];
			int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
			List<String> flags = List.of(fields[2].split(","));
			List<int[]> slots = new ArrayList<>();
			for (int i = 8; i < fields.length; i++) {
				if (fields[i].startsWith("[")) {
					continue; // a slot being migrated or imported
				}
				String[] range = fields[i].split("-");
				int first = Integer.parseInt(range[0]);
				slots.add(new int[] { first, (range.length > 1) ? Integer.parseInt(range[1]) : first });
			}
			nodes.add(new ClusterNode(port, flags.contains("master"), flags.contains("fail") || flags.contains("fail?"),
					slots));
		}
		return nodes;
	}

}

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

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs operating system commands ({@code ip}, {@code kill}, {@code openssl}) and reports
 * their output when they fail.
 *
 * @author resilient-redis contributors
 */
final class SystemCommand {

	private static final long TIMEOUT_SECONDS = 30;

	private SystemCommand() {
	}

	/**
	 * Run the given command and return its output.
	 * @param command the command and its arguments
	 * @return the standard output and error of the command
	 * @throws IllegalStateException if the command cannot be run or exits with a non-zero
	 * status
	 */
	static String run(String... command) {
		Result result = execute(command);
		if (result.exitCode() != 0) {
			throw new IllegalStateException("Command '" + String.join(" ", command) + "' failed with exit code "
					+ result.exitCode() + ": " + result.output().strip());
		}
		return result.output();
	}

	/**
	 * Run the given command, ignoring failures. Used for clean-up, where a missing
	 * resource is not an error.
	 * @param command the command and its arguments
	 * @return the result, or an exit code of {@code -1} if the command could not be run
	 */
	static Result runQuietly(String... command) {
		try {
			return execute(command);
		}
		catch (RuntimeException ex) {
			return new Result(-1, String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * Return whether an executable of the given name is on the {@code PATH}.
	 * @param name the name of the executable
	 * @return whether it was found
	 */
	static boolean isOnPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String entry : path.split(File.pathSeparator)) {
			if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, name))) {
				return true;
			}
		}
		return false;
	}

	private static Result execute(String... command) {
		try {
			Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.start();
			String output;
			try (InputStream in = process.getInputStream()) {
				output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(
						"Command '" + String.join(" ", command) + "' did not finish within " + TIMEOUT_SECONDS + "s");
			}
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run '" + String.join(" ", command) + "'", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running '" + String.join(" ", command) + "'", ex);
		}
	}

	/**
	 * Outcome of a command.
	 *
	 * @param exitCode the exit code
	 * @param output the standard output and error
	 */
	record Result(int exitCode, String output) {

	}

}

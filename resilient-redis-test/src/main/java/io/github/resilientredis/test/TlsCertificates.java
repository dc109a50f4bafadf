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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed CA and a server certificate signed by it, generated with {@code openssl}
 * for one test server. The server certificate is valid for {@code localhost},
 * {@code 127.0.0.1} and the address the server is reached on.
 *
 * @author resilient-redis contributors
 */
final class TlsCertificates {

	private final Path caCertificate;

	private final Path serverCertificate;

	private final Path serverKey;

	private TlsCertificates(Path directory) {
		this.caCertificate = directory.resolve("ca.crt");
		this.serverCertificate = directory.resolve("server.crt");
		this.serverKey = directory.resolve("server.key");
	}

	/**
	 * Generate a CA and a server certificate into the given directory.
	 * @param directory the directory to write to
	 * @param serverAddress the address the server is reached on
	 * @return the certificates
	 */
	static TlsCertificates generate(Path directory, String serverAddress) {
		if (!SystemCommand.isOnPath("openssl")) {
			throw new IllegalStateException("TLS test servers need 'openssl' on the PATH to generate certificates");
		}
		try {
			Files.createDirectories(directory);
			TlsCertificates certificates = new TlsCertificates(directory);
			String caKey = directory.resolve("ca.key").toString();
			String csr = directory.resolve("server.csr").toString();
			Set<String> names = new LinkedHashSet<>();
			names.add("DNS:localhost");
			names.add("IP:127.0.0.1");
			names.add((serverAddress.matches("[0-9.]+") ? "IP:" : "DNS:") + serverAddress);
			Path extensions = directory.resolve("server.ext");
			Files.writeString(extensions, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
					+ "extendedKeyUsage=serverAuth\nsubjectAltName=" + String.join(",", names) + "\n");
			SystemCommand.run("openssl", "req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt",
					"ec_paramgen_curve:prime256v1", "-keyout", caKey, "-out", certificates.caCertificate.toString(),
					"-days", "7", "-subj", "/CN=resilient-redis-test CA", "-addext",
					"basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
			SystemCommand.run("openssl", "req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt",
					"ec_paramgen_curve:prime256v1", "-keyout", certificates.serverKey.toString(), "-out", csr, "-subj",
					"/CN=localhost");
			SystemCommand.run("openssl", "x509", "-req", "-in", csr, "-CA", certificates.caCertificate.toString(),
					"-CAkey", caKey, "-CAcreateserial", "-out", certificates.serverCertificate.toString(), "-days", "7",
					"-extfile", extensions.toString());
			return certificates;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not generate TLS certificates in " + directory, ex);
		}
	}

	Path caCertificate() {
		return this.caCertificate;
	}

	Path serverCertificate() {
		return this.serverCertificate;
	}

	Path serverKey() {
		return this.serverKey;
	}

	/**
	 * Create an {@link SSLContext} that trusts the generated CA only.
	 * @return the SSL context
	 */
	SSLContext sslContext() {
		try (InputStream in = Files.newInputStream(this.caCertificate)) {
			Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
			KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
			trustStore.load(null, null);
			trustStore.setCertificateEntry("resilient-redis-test-ca", ca);
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trustStore);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + this.caCertificate, ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not create an SSL context trusting " + this.caCertificate, ex);
		}
	}

}

package dev.stratus.dimse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A small PKI made with the openssl command line, as a hospital's would be: a CA, server and client certificates it
 * signs (RSA 2048, PEM, unencrypted PKCS#8 keys), and a self-signed certificate nobody trusts.
 */
final class TestCertificates {
    final Path dir;

    /** A certificate and its key, as files. */
    record Pair(Path certificate, Path key) {}

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Skips visibly without openssl, except on CI where it is required. */
    static TestCertificates in(Path dir) throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/openssl"));
        if (!present && "true".equals(System.getenv("CI"))) throw new IllegalStateException("openssl missing on CI: apt-get install openssl");
        assumeTrue(present, "openssl is not installed: apt-get install openssl");
        TestCertificates pki = new TestCertificates(Files.createDirectories(dir));
        pki.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Test Hospital CA");
        return pki;
    }

    Path ca() {
        return dir.resolve("ca.pem");
    }

    /** A certificate the CA signs for {@code subject} ("/CN=.../O=..."), with these subjectAltName entries and purpose. */
    Pair signed(String name, String subject, String subjectAltName, boolean server) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltName + "\nextendedKeyUsage=" + (server ? "serverAuth" : "clientAuth") + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", name + ".ext", "-out", name + ".pem");
        return new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    /** A certificate signed by its own key: no CA vouches for it. */
    Pair selfSigned(String name, String subject) throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", subject);
        return new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
    }
}

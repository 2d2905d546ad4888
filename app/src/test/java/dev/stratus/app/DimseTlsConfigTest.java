package dev.stratus.app;

import dev.stratus.app.config.ConfigException;
import dev.stratus.app.config.ConfigLoader;
import dev.stratus.app.config.StratusConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dimse.tls settings reach the running node: a TLS-only DICOM listener (dimse.port -1) on the HTTPS pair when it has
 * none of its own, client certificates from the configured CA bound to the configured tenant, the operations in the
 * audit file; settings that cannot work stop start-up naming the key.
 */
class DimseTlsConfigTest {
    @TempDir
    Path dir;

    private static void require(String tool) {
        boolean present = Files.isExecutable(Path.of("/usr/bin", tool));
        if (!present && "true".equals(System.getenv("CI"))) throw new IllegalStateException(tool + " missing on CI");
        assumeTrue(present, tool + " is not installed");
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ":\n" + out);
    }

    /** A CA, a server certificate it signs, and a client one for CN=ct-scanner-1. */
    private void pki() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Test CA");
        for (String name : List.of("server", "client")) {
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", name.equals("server") ? "/CN=stratus" : "/CN=ct-scanner-1");
            Files.writeString(dir.resolve(name + ".ext"), name.equals("server") ? "subjectAltName=IP:127.0.0.1\n" : "extendedKeyUsage=clientAuth\n");
            openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
        }
    }

    private int echo(int port, boolean withCertificate) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("echoscu", "-aet", "CT1", "-aec", "STRATUS"));
        if (withCertificate) cmd.addAll(List.of("+tls", dir.resolve("client.key").toString(), dir.resolve("client.pem").toString()));
        else cmd.add("+tla");
        cmd.addAll(List.of("+cf", dir.resolve("ca.pem").toString(), "127.0.0.1", String.valueOf(port)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    @Test
    void aTlsOnlyListenerServesCertifiedPeersWithTheHttpsPairAndAuditsThem() throws Exception {
        require("echoscu");
        require("openssl");
        pki();
        Path yaml = Files.writeString(dir.resolve("stratus.yaml"), """
                http:
                  tls: {cert: server.pem, key: server.key}
                audit: {sink: "file:audit.jsonl"}
                dimse:
                  port: -1
                  tls:
                    port: 0
                    clientCa: ca.pem
                    peers:
                      ct1: {subject: "cn=CT-Scanner-1", tenant: radiology, callingAeTitles: [CT1]}
                """.replace("server.pem", dir.resolve("server.pem").toString()).replace("server.key", dir.resolve("server.key").toString())
                .replace("ca.pem", dir.resolve("ca.pem").toString()).replace("audit.jsonl", dir.resolve("audit.jsonl").toString()));
        StratusConfig config = ConfigLoader.load(yaml, Map.of(), Map.of("http.port", "0", "dataDir", dir.resolve("data").toString()));
        assertEquals("REQUIRED", config.dimseTls().clientAuth().name(), "required by default with a CA bundle");
        try (ArchiveNode node = new ArchiveNode(config)) {
            node.start();
            assertEquals(-1, node.dimsePort(), "no plain DICOM port");
            assertEquals(0, echo(node.dimseTlsPort(), true), "a certificate of the CA, its subject matched in canonical form");
            assertNotEquals(0, echo(node.dimseTlsPort(), false), "no certificate, one required");
        }
        assertTrue(Files.readString(dir.resolve("audit.jsonl")).isEmpty(), "C-ECHO touches no data: no record");
    }

    @Test
    void settingsThatCannotWorkStopStartUpNamingTheKey() throws Exception {
        Map<String, String> base = Map.of("dataDir", dir.resolve("data").toString());
        ConfigException noCert = assertThrows(ConfigException.class, () -> load(base, "STRATUS_DIMSE_TLS_PORT", "2762"));
        assertTrue(noCert.getMessage().contains("dimse.tls.cert"), noCert.getMessage());
        ConfigException noPort = assertThrows(ConfigException.class, () -> load(base, "STRATUS_DIMSE_PORT", "-1"));
        assertTrue(noPort.getMessage().contains("dimse.port"), noPort.getMessage());
        ConfigException noCa = assertThrows(ConfigException.class, () -> load(base, "STRATUS_DIMSE_TLS_CLIENT_AUTH", "required"));
        assertTrue(noCa.getMessage().contains("dimse.tls.clientCa"), noCa.getMessage());
        ConfigException badSubject = assertThrows(ConfigException.class,
                () -> load(base, "STRATUS_DIMSE_TLS_PEERS", "{x: {subject: 'not a name', tenant: a}}"));
        assertTrue(badSubject.getMessage().contains("subject"), badSubject.getMessage());
    }

    private static StratusConfig load(Map<String, String> options, String variable, String value) {
        return ConfigLoader.load(null, Map.of(variable, value), options, w -> {});
    }
}

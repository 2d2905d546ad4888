package dev.stratus.app;

import dev.stratus.codec.Uids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real thing end to end: Keycloak (its Maven Central distribution, started offline with {@code start-dev} and the
 * realm of src/test/resources/keycloak imported) issues a token by the client-credentials grant, and `stratus serve
 * --auth-issuer` stores, searches and retrieves with it. Runs in CI (CI=true) and with {@code -Pkeycloak} (see app/pom.xml,
 * which unpacks the distribution); in a plain local build it is skipped visibly, since a start costs about a minute.
 */
class KeycloakEndToEndTest {
    private static final String REALM = "stratus", AUDIENCE = "stratus", CLIENT = "stratus-loader", SECRET = "loader-secret";

    @TempDir
    Path dir;

    @Test
    void aClientCredentialsTokenFromKeycloakStoresSearchesAndRetrieves() throws Exception {
        String home = System.getProperty("stratus.keycloak.home");
        if (home == null && "true".equals(System.getenv("CI"))) throw new IllegalStateException("CI=true but Keycloak is not unpacked: the keycloak profile of app/pom.xml activates on CI=true");
        assumeTrue(home != null, "local mode: run with -Pkeycloak (downloads Keycloak, 177 MB; starts in 1 to 3 minutes)");
        Path keycloak = Path.of(home);
        Files.createDirectories(keycloak.resolve("data/import"));
        try (InputStream realm = KeycloakEndToEndTest.class.getResourceAsStream("/keycloak/stratus-realm.json")) {
            Files.copy(realm, keycloak.resolve("data/import/stratus-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        int port = freePort(), management = freePort();
        Path log = dir.resolve("keycloak.log");
        ProcessBuilder start = new ProcessBuilder(keycloak.resolve("bin/kc.sh").toString(), "start-dev", "--import-realm",
                "--http-port", String.valueOf(port), "--http-management-port", String.valueOf(management))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        start.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process kc = start.start();
        try {
            String issuer = "http://127.0.0.1:" + port + "/realms/" + REALM;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            awaitIssuer(http, kc, issuer, log);
            String token = clientCredentialsToken(http, issuer);

            try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"),
                    List.of("--no-dimse", "--auth-issuer", issuer, "--auth-audience", AUDIENCE))) {
                String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
                byte[] instance = ArchiveClient.instance(study, series, sop, 1);
                HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, anonymous.statusCode(), anonymous.body());
                HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", ArchiveClient.STOW_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(ArchiveClient.multipart(instance))).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, stored.statusCode(), stored.body() + server.logTail(30));
                HttpResponse<String> found = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies?StudyInstanceUID=" + study))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, found.statusCode(), found.body());
                assertTrue(found.body().contains(study), found.body());
                HttpResponse<byte[]> retrieved = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies/" + study
                                + "/series/" + series + "/instances/" + sop)).header("Authorization", "Bearer " + token)
                        .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, retrieved.statusCode());
                assertTrue(new String(retrieved.body(), StandardCharsets.ISO_8859_1).contains(new String(instance, StandardCharsets.ISO_8859_1)),
                        "the instance comes back byte for byte");
            }
        } finally {
            kc.descendants().forEach(ProcessHandle::destroy);
            kc.destroy();
            if (!kc.waitFor(30, TimeUnit.SECONDS)) kc.destroyForcibly();
        }
    }

    private static void awaitIssuer(HttpClient http, Process kc, String issuer, Path log) throws Exception {
        URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
        while (System.nanoTime() < deadline) {
            if (!kc.isAlive()) throw new AssertionError("Keycloak exited:\n" + tail(log));
            try {
                if (http.send(HttpRequest.newBuilder(discovery).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("Keycloak did not publish " + discovery + " within 6 minutes:\n" + tail(log));
    }

    private static String clientCredentialsToken(HttpClient http, String issuer) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + CLIENT + "&client_secret=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}

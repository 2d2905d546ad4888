package dev.stratus.web;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every answer carries and withholds: no caching of PHI, no sniffing, JSON errors that quote nothing back. */
class DicomWebHardeningTest {
    @TempDir
    Path dir;

    private static void assertProtective(HttpResponse<?> r) {
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null), r.uri().toString());
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), r.uri().toString());
    }

    private static byte[] instance(String patientId) throws Exception {
        return GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "Hard^Ening", patientId, 1, 1),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void everyAnswerForbidsCachingAndSniffing() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            HttpResponse<String> stored = archive.stow("/dicomweb/studies", new Multipart().part(instance("H1")).end());
            assertEquals(200, stored.statusCode());
            assertProtective(stored);
            assertProtective(archive.get("/dicomweb/studies?PatientID=H1", null));
            assertProtective(archive.get("/dicomweb/studies/1.2.3/metadata", null));
            assertProtective(archive.get("/no/such/thing", null));
        }
    }

    @Test
    void errorsAreJsonAndDoNotQuoteThePath() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            String marker = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
            HttpResponse<String> missing = archive.get("/dicomweb/" + marker, null);
            assertEquals(404, missing.statusCode());
            assertTrue(missing.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"), missing.headers().map() + missing.body());
            assertFalse(missing.body().contains("script"), missing.body());
            HttpResponse<byte[]> notAllowed = archive.send(HttpRequest.newBuilder(URI.create(archive.base + "/health/live/" + marker))
                    .PUT(HttpRequest.BodyPublishers.noBody()));
            assertFalse(new String(notAllowed.body(), StandardCharsets.UTF_8).contains("script"));
        }
    }

    @Test
    void errorsJettyAnswersItselfAreJsonToo() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            int port = URI.create(archive.base).getPort();
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                out.write("GET /dicomweb/%zz<b>studies HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
                assertTrue(answer.toLowerCase().contains("content-type: application/json"), answer);
                assertFalse(answer.contains("<b>") || answer.toLowerCase().contains("<html"), answer);
            }
        }
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
        try (TestArchive archive = new TestArchive(dir, s -> s.withTrustedProxies(List.of("10.0.0.0/8", "fd00::/8")))) {
            Multipart body = new Multipart().part(instance("H2")).end();
            HttpResponse<String> r = archive.http.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies"))
                    .header("Content-Type", body.contentType())
                    .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "evil.example.org")
                    .header("Forwarded", "proto=https;host=evil.example.org")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertFalse(r.body().contains("evil.example.org"), r.body());
            assertTrue(r.body().contains("\"" + archive.base + "/dicomweb/studies/"), r.body());
        }
    }

    @Test
    void metricsOnTheMainPortNeedTheMetricsPermission() throws Exception {
        try (TestIdentityProvider idp = new TestIdentityProvider();
             TestArchive archive = new TestArchive(dir, Map.of(), TestBackend.SQLITE, s -> s.withAuthorization(idp.authorization()),
                     HttpClient.newHttpClient())) {
            HttpRequest.Builder metrics = HttpRequest.newBuilder(URI.create(archive.base + "/metrics"));
            assertEquals(401, archive.send(metrics).statusCode());
            String reader = idp.token(List.of("default"), "dicom.read");
            assertEquals(403, archive.send(metrics.copy().header("Authorization", "Bearer " + reader)).statusCode());
            String scraper = idp.token("prometheus", Map.of("scope", "stratus.metrics"));
            HttpResponse<byte[]> scraped = archive.send(metrics.copy().header("Authorization", "Bearer " + scraper));
            assertEquals(200, scraped.statusCode());
            assertTrue(new String(scraped.body(), StandardCharsets.UTF_8).contains("stratus_http_requests"));
            assertEquals(200, archive.get("/health/live", null).statusCode(), "health stays open");
            assertEquals(403, archive.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies"))
                    .header("Authorization", "Bearer " + scraper)).statusCode(), "the scraper reads no tenant's data");
        }
    }

    @Test
    void aBrowsersPreflightNeedsNoTokenAndMaySendOne() throws Exception {
        try (TestIdentityProvider idp = new TestIdentityProvider();
             TestArchive archive = new TestArchive(dir, Map.of(), TestBackend.SQLITE, s -> s.withAuthorization(idp.authorization()),
                     HttpClient.newHttpClient())) {
            HttpResponse<byte[]> r = archive.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://viewer.local")
                    .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization"));
            assertEquals(200, r.statusCode(), r.headers().map().toString());
            assertTrue(r.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase().contains("authorization"),
                    r.headers().map().toString());
        }
    }

    @Test
    void metricsOnAPortOfTheirOwnNeedNoTokenAndLeaveTheMainPort() throws Exception {
        try (TestIdentityProvider idp = new TestIdentityProvider();
             TestArchive archive = new TestArchive(dir, Map.of(), TestBackend.SQLITE,
                     s -> s.withAuthorization(idp.authorization()).withMetricsPort(0), HttpClient.newHttpClient())) {
            int metricsPort = archive.server.metricsPort();
            assertTrue(metricsPort != URI.create(archive.base).getPort());
            HttpResponse<String> scraped = archive.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scraped.statusCode());
            assertTrue(scraped.body().contains("jvm") || scraped.body().contains("stratus") || scraped.body().isEmpty() || scraped.body().contains("#"),
                    scraped.body());
            String all = idp.token(List.of("default"), TestIdentityProvider.ALL_SCOPES);
            assertEquals(404, archive.send(HttpRequest.newBuilder(URI.create(archive.base + "/metrics"))
                    .header("Authorization", "Bearer " + all)).statusCode());
            assertEquals(404, archive.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/dicomweb/studies")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the metrics port serves nothing else");
        }
    }
}

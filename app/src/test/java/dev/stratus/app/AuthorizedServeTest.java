package dev.stratus.app;

import dev.stratus.codec.Uids;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `stratus serve --auth-issuer … --auth-audience …` as an operator starts it, against a real OpenID provider in-process
 * (mock-oauth2-server): no token is 401, a token for the tenant stores, searches and retrieves, another tenant's is 403.
 */
class AuthorizedServeTest {
    private static final String IDP = "stratus-idp", AUDIENCE = "stratus";
    private static MockOAuth2Server provider;

    @TempDir
    Path dir;

    @BeforeAll
    static void startProvider() {
        provider = new MockOAuth2Server();
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.shutdown();
    }

    private static String token(List<String> tenants, String scope) {
        return provider.issueToken(IDP, "radiologist-1", AUDIENCE, Map.of("tenant", tenants, "scope", scope), 3600).serialize();
    }

    @Test
    void noTokenIs401ATokenForTheTenantStoresSearchesAndRetrievesAnotherTenantIs403() throws Exception {
        String issuer = provider.issuerUrl(IDP).toString();
        Path trail = dir.resolve("audit.jsonl");
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"),
                List.of("--no-dimse", "--auth-issuer", issuer, "--auth-audience", AUDIENCE), Map.of("STRATUS_AUDIT_SINK", "file:" + trail))) {
            assertTrue(server.log().contains("stratus: authorization on: DICOMweb requests need a bearer token of " + issuer), server.log());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
            byte[] instance = ArchiveClient.instance(study, series, sop, 1);
            byte[] body = ArchiveClient.multipart(instance);
            String reader = token(List.of("default"), "dicom.read dicom.write");

            HttpResponse<String> anonymous = http.send(request(server, "/dicomweb/studies", null).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            assertEquals("Bearer realm=\"stratus\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
            HttpResponse<String> anonymousStow = http.send(request(server, "/dicomweb/studies", null).header("Content-Type", ArchiveClient.STOW_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymousStow.statusCode(), "nothing is stored without a token: " + anonymousStow.body());

            HttpResponse<String> stored = http.send(request(server, "/dicomweb/studies", reader).header("Content-Type", ArchiveClient.STOW_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stored.statusCode(), stored.body() + server.logTail(30));
            HttpResponse<String> found = http.send(request(server, "/dicomweb/studies?StudyInstanceUID=" + study, reader).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, found.statusCode(), found.body());
            assertTrue(found.body().contains(study), found.body());
            HttpResponse<byte[]> retrieved = http.send(request(server, "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop, reader)
                    .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, retrieved.statusCode());
            assertTrue(new String(retrieved.body(), StandardCharsets.ISO_8859_1).contains(new String(instance, StandardCharsets.ISO_8859_1)),
                    "the instance comes back byte for byte");

            String otherTenant = token(List.of("hospital-b"), "dicom.read dicom.write");
            HttpResponse<String> refused = http.send(request(server, "/dicomweb/studies?StudyInstanceUID=" + study, otherTenant).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(!refused.body().contains(study), refused.body());
            HttpResponse<String> intoOther = http.send(request(server, "/tenants/hospital-b/dicomweb/studies", reader)
                    .header("Content-Type", ArchiveClient.STOW_TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, intoOther.statusCode(), "a token for default does not store into hospital-b: " + intoOther.body());
            assertEquals(200, http.send(request(server, "/health/ready", null).build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                    "the probes need no token");
        }
        List<String> audit = Files.readAllLines(trail);
        assertEquals(7, audit.size(), "one line per DICOMweb request, written out by the stop: " + audit);
        assertTrue(audit.get(0).contains("\"status\":401") && audit.get(2).contains("\"subject\":\"radiologist-1\""), audit.toString());
        assertTrue(audit.stream().noneMatch(l -> l.contains("Good^Instance")), "no patient name: " + audit);
    }

    private static HttpRequest.Builder request(ServerProcess server, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + path)).timeout(Duration.ofSeconds(60));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }
}

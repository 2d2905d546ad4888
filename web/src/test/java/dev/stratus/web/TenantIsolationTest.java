package dev.stratus.web;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.json.DicomJsonReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A token for tenant A reads A and nothing else: not B by its URL, not B through the x-tenant header of the system
 * Stratus descends from, which only ever narrows a request to a tenant the token already grants.
 */
class TenantIsolationTest {
    private static final int RetrieveURL = 0x00081190, ReferencedSOPSequence = 0x00081199;

    @TempDir
    Path dir;
    TestIdentityProvider idp;
    TestArchive archive;
    final HttpClient http = HttpClient.newHttpClient();
    final DicomJsonReader json = new DicomJsonReader();
    String alpha, beta, both;

    @BeforeEach
    void start() throws Exception {
        idp = new TestIdentityProvider();
        archive = new TestArchive(dir, Map.of(), TestBackend.SQLITE, s -> s.withAuthorization(idp.authorization()), http);
        alpha = idp.token(List.of("alpha"), TestIdentityProvider.ALL_SCOPES);
        beta = idp.token(List.of("beta"), TestIdentityProvider.ALL_SCOPES);
        both = idp.token(List.of("alpha", "beta"), "dicom.read");
    }

    @AfterEach
    void stop() {
        archive.close();
        idp.close();
    }

    private HttpResponse<String> send(String path, String token, String xTenant, byte[] stow) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(archive.base + path)).header("Authorization", "Bearer " + token);
        if (xTenant != null) b.header("x-tenant", xTenant);
        if (stow != null) {
            Multipart body = new Multipart().part(stow).end();
            b.header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] instance(String study, String patientId) throws Exception {
        return GeneratedCt.part10(GeneratedCt.ct(study, Uids.generate(), Uids.generate(), "Iso^Lation", patientId, 1, 1),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private List<String> patientIds(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return json.readArray(r.body()).stream().map(d -> d.getString(0x00100020)).toList();
    }

    @Test
    void aTokenForAlphaNeverReachesBeta() throws Exception {
        String study = Uids.generate();
        assertEquals(200, send("/tenants/alpha/dicomweb/studies", alpha, null, instance(study, "PA")).statusCode());
        assertEquals(200, send("/tenants/beta/dicomweb/studies", beta, null, instance(study, "PB")).statusCode());

        assertEquals(List.of("PA"), patientIds(send("/tenants/alpha/dicomweb/studies", alpha, null, null)));
        assertEquals(403, send("/tenants/beta/dicomweb/studies", alpha, null, null).statusCode());
        assertEquals(403, send("/tenants/beta/dicomweb/studies/" + study + "/metadata", alpha, null, null).statusCode());
        assertEquals(403, send("/tenants/beta/dicomweb/studies", alpha, null, instance(study, "PX")).statusCode(), "no writing either");
        assertEquals(403, send("/dicomweb/studies", alpha, null, null).statusCode(), "the default tenant is a tenant like any other");
        assertEquals(List.of("PB"), patientIds(send("/tenants/beta/dicomweb/studies", both, null, null)), "two grants, never mixed");
        assertEquals(List.of("PA"), patientIds(send("/tenants/alpha/dicomweb/studies", both, null, null)));
    }

    @Test
    void theTenantHeaderNarrowsButNeverWidens() throws Exception {
        String study = Uids.generate();
        // STOW through the alias of the older system, the tenant named by its header
        HttpResponse<String> stored = send("/stow-rs/v1/studies", alpha, "alpha", instance(study, "PA"));
        assertEquals(200, stored.statusCode(), stored.body());
        DataSet item = json.read(stored.body()).getItems(ReferencedSOPSequence).getFirst();
        assertTrue(item.getString(RetrieveURL).startsWith(archive.base + "/tenants/alpha/dicomweb/studies/" + study),
                "the URL names the tenant, so it works without the header: " + item.getString(RetrieveURL));
        assertEquals(List.of("PA"), patientIds(send("/wado-rs/v1/studies", alpha, "alpha", null)));
        assertEquals(List.of("PA"), patientIds(send("/dicomweb/studies", alpha, "alpha", null)));

        HttpResponse<String> widened = send("/dicomweb/studies", alpha, "beta", null);
        assertEquals(403, widened.statusCode(), widened.body());
        assertTrue(widened.body().contains("does not grant the tenant 'beta'"), widened.body());
        assertEquals(403, send("/wado-rs/v1/studies/" + study + "/metadata", alpha, "beta", null).statusCode());
        assertEquals(400, send("/tenants/alpha/dicomweb/studies", alpha, "beta", null).statusCode(), "URL and header disagree");
        assertEquals(400, send("/dicomweb/studies", alpha, "../alpha", null).statusCode());
        assertEquals(403, send("/dicomweb/studies", beta, "alpha", null).statusCode());
    }

    @Test
    void withAuthorizationOffTheTenantHeaderIsHonoured(@TempDir Path other) throws Exception {
        try (TestArchive open = new TestArchive(other)) {
            Multipart body = new Multipart().part(instance(Uids.generate(), "PO")).end();
            HttpResponse<String> stored = open.http.send(HttpRequest.newBuilder(URI.create(open.base + "/stow-rs/v1/studies"))
                    .header("x-tenant", "alpha").header("Content-Type", body.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stored.statusCode(), stored.body());
            assertEquals("[]", open.get("/dicomweb/studies", null).body());
            assertTrue(open.get("/tenants/alpha/dicomweb/studies", null).body().contains("PO"));
            HttpResponse<String> viaHeader = open.http.send(HttpRequest.newBuilder(URI.create(open.base + "/wado-rs/v1/studies"))
                    .header("x-tenant", "alpha").build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(viaHeader.body().contains("PO"), viaHeader.body());
        }
    }
}

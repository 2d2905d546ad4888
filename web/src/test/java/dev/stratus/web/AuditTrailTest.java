package dev.stratus.web;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.archive.audit.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One audit line per DICOMweb request, through the real server with authorization on: who (subject, client), the
 * tenant, the action, the UIDs of the URL, the outcome and the client's address (from a trusted proxy's headers only),
 * and never the patient's name or ID, though both were searched for and stored.
 */
class AuditTrailTest {
    @TempDir
    Path dir;

    @Test
    void everyRequestLeavesOneLineSayingWhoDidWhatWhereWithWhatOutcomeAndNoPatientData() throws Exception {
        Path trail = dir.resolve("access.jsonl");
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        byte[] file = GeneratedCt.part10(GeneratedCt.ct(study, series, sop, "Doe^Johanna", "PID-4711", 1, 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        try (TestIdentityProvider idp = new TestIdentityProvider()) {
            AuditLog audit = AuditLog.open("file:" + trail, 100);
            String token = idp.token("radiologist-7", Map.of("tenant", List.of("default"), "scope", TestIdentityProvider.ALL_SCOPES, "client_id", "viewer-app"));
            String otherTenant = idp.token("radiologist-8", Map.of("tenant", List.of("hospital-b"), "scope", TestIdentityProvider.ALL_SCOPES));
            try (TestArchive archive = new TestArchive(dir.resolve("data"), Map.of(), TestBackend.SQLITE,
                    s -> s.withAuthorization(idp.authorization()).withTrustedProxies(List.of("127.0.0.1")).withAudit(audit), HttpClient.newHttpClient())) {
                Multipart body = new Multipart().part(file).end();
                assertEquals(401, send(archive, HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies")), null));
                assertEquals(200, send(archive, HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies/" + study))
                        .header("Content-Type", body.contentType()).header("X-Forwarded-For", "198.51.100.20, 203.0.113.7")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())), token));
                assertEquals(200, send(archive, HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies?PatientName=Doe%5EJohanna&PatientID=PID-4711"))
                        .header("Accept", "application/dicom+json"), token));
                assertEquals(200, send(archive, HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop))
                        .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*"), token));
                assertEquals(200, send(archive, HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies/" + study + "/metadata")), token));
                assertEquals(403, send(archive, HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies/" + study + "/series")), otherTenant));
                assertEquals(400, send(archive, HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies/not-a-uid")), token));
                assertEquals(200, send(archive, HttpRequest.newBuilder(URI.create(archive.base + "/health/ready")), null));
            }
            audit.close();
        }
        List<String> lines = Files.readAllLines(trail);
        for (String line : lines) {
            assertFalse(line.contains("Doe") || line.contains("Johanna") || line.contains("PID-4711"), "no patient name or ID: " + line);
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (String line : lines) records.add(JSONObjectUtils.parse(line));
        assertEquals(7, records.size(), "one line per DICOMweb request, none for the health probe: " + lines);

        Map<String, Object> anonymous = records.get(0);
        assertEquals(List.of("search", 401L, "denied", "default", "127.0.0.1"), List.of(anonymous.get("action"), anonymous.get("status"),
                anonymous.get("outcome"), anonymous.get("tenant"), anonymous.get("address")));
        assertNull(anonymous.get("subject"));

        Map<String, Object> stored = records.get(1);
        assertEquals(List.of("store", "WRITE", "radiologist-7", "viewer-app", study, 200L, "success"), List.of(stored.get("action"),
                stored.get("capability"), stored.get("subject"), stored.get("client"), stored.get("study"), stored.get("status"), stored.get("outcome")));
        assertEquals("203.0.113.7", stored.get("address"), "the address the trusted proxy forwarded for, read from the right");
        assertEquals(List.of(1L, List.of(study)), List.of(stored.get("stored"), stored.get("storedStudies")), "what the store stored");

        assertEquals("search", records.get(2).get("action"));
        Map<String, Object> retrieved = records.get(3);
        assertEquals(List.of("retrieve", study, series, sop), List.of(retrieved.get("action"), retrieved.get("study"), retrieved.get("series"),
                retrieved.get("instance")));
        assertEquals("retrieve-metadata", records.get(4).get("action"));
        Map<String, Object> otherTenantsRecord = records.get(5);
        assertEquals(List.of("search", "default", "radiologist-8", 403L, "denied"), List.of(otherTenantsRecord.get("action"),
                otherTenantsRecord.get("tenant"), otherTenantsRecord.get("subject"), otherTenantsRecord.get("status"),
                otherTenantsRecord.get("outcome")), "the tenant addressed, which the token does not grant");
        assertEquals("(invalid)", records.get(6).get("study"), "what is no UID is not copied into the trail");
        for (Map<String, Object> r : records) assertTrue(r.get("time") instanceof String t && t.endsWith("Z"), r.toString());
    }

    private static int send(TestArchive archive, HttpRequest.Builder request, String token) throws Exception {
        if (token != null) request.header("Authorization", "Bearer " + token);
        return archive.http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

package dev.stratus.web;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.json.DicomJsonReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real clients disagree on details; each variant listed in the archive issue is accepted. */
class ClientVariantsTest {
    @TempDir
    Path dir;
    TestArchive archive;
    final DicomJsonReader json = new DicomJsonReader();

    @BeforeEach
    void start() throws Exception {
        // this machine is the trusted proxy here; DicomWebHardeningTest shows the headers ignored from anyone else
        archive = new TestArchive(dir, Map.of("strings", new WebSettings.TenantOptions(true, true)), TestBackend.SQLITE,
                s -> s.withTrustedProxies(List.of("127.0.0.0/8")), java.net.http.HttpClient.newHttpClient());
    }

    @AfterEach
    void stop() {
        archive.close();
    }

    private byte[] instance(String patientId) throws Exception {
        return GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "Variant^Client", patientId, 1, 1),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void unquotedBoundaryAndTypeNoLeadingCrlfNoTrailingCrlf() throws Exception {
        byte[] file = instance("V1");
        String b = "plainBoundary42";
        Multipart body = new Multipart(b).contentType("multipart/related; type=application/dicom; boundary=" + b)
                .raw("--" + b + "\r\nContent-Type: application/dicom\r\n\r\n");
        body.raw(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1)).raw("\r\n--" + b + "--");
        assertEquals(200, archive.stow("/dicomweb/studies", body).statusCode());
        assertEquals(1, json.readArray(archive.get("/dicomweb/studies?PatientID=V1", null).body()).size());
    }

    @Test
    void chunkedTransferEncodingWithoutContentLength() throws Exception {
        Multipart body = new Multipart().part(instance("V2")).end();
        HttpResponse<String> r = archive.http.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies"))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.bytes()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void partHeadersWithTransferSyntaxParameter() throws Exception {
        Multipart body = new Multipart().part("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", instance("V3")).end();
        assertEquals(200, archive.stow("/dicomweb/studies", body).statusCode());
    }

    @Test
    void acceptHeadersThatCombineTypesOrUseWildcardsOrRepeatParameters() throws Exception {
        archive.stow("/dicomweb/studies", new Multipart().part(instance("V4")).end());
        for (String accept : List.of("application/dicom+json, multipart/related; type=application/octet-stream", "*/*",
                "application/*", "application/dicom+json; charset=utf-8; charset=utf-8", "application/json")) {
            HttpResponse<String> r = archive.get("/dicomweb/studies?PatientID=V4", accept);
            assertEquals(200, r.statusCode(), accept + " -> " + r.body());
            assertEquals(1, json.readArray(r.body()).size(), accept);
        }
        HttpResponse<String> bad = archive.get("/dicomweb/studies?PatientID=V4", "image/png");
        assertEquals(406, bad.statusCode());
        assertTrue(bad.body().contains("application/dicom+json"), bad.body());
    }

    @Test
    void acceptQueryParameterOverridesTheHeader() throws Exception {
        archive.stow("/dicomweb/studies", new Multipart().part(instance("V5")).end());
        HttpResponse<String> r = archive.get("/dicomweb/studies?PatientID=V5&accept=application/dicom%2Bxml", "application/dicom+json");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("multipart/related"), r.headers().map().toString());
        assertTrue(r.body().contains("NativeDicomModel"));
    }

    @Test
    void retrieveUrlsHonourForwardedHeadersFromATrustedProxy() throws Exception {
        Multipart body = new Multipart().part(instance("V6")).end();
        HttpResponse<String> r = archive.http.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies"))
                .header("Content-Type", body.contentType())
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "pacs.example.org")
                .header("X-Forwarded-Prefix", "/archive")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"https://pacs.example.org/archive/dicomweb/studies/"), r.body());
        HttpResponse<String> q = archive.http.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies?PatientID=V6"))
                .header("Forwarded", "proto=https;host=\"viewer.example.org:8443\"").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(q.body().contains("https://viewer.example.org:8443/dicomweb/studies/"), q.body());
    }

    @Test
    void perTenantNumbersAsStringsAndEmptySearchAs204() throws Exception {
        assertEquals(204, archive.get("/tenants/strings/dicomweb/studies?PatientID=none", null).statusCode());
        assertEquals("[]", archive.get("/dicomweb/studies?PatientID=none", null).body());
        archive.stow("/tenants/strings/dicomweb/studies", new Multipart().part(instance("V7")).end());
        String body = archive.get("/tenants/strings/dicomweb/studies?PatientID=V7", null).body();
        assertTrue(body.contains("\"00201208\":{\"vr\":\"IS\",\"Value\":[\"1\"]}"), body);
        archive.stow("/dicomweb/studies", new Multipart().part(instance("V8")).end());
        String numbers = archive.get("/dicomweb/studies?PatientID=V8", null).body();
        assertTrue(numbers.contains("\"00201208\":{\"vr\":\"IS\",\"Value\":[1]}"), numbers);
    }

    @Test
    void corsAndGzipWhenAsked() throws Exception {
        archive.stow("/dicomweb/studies", new Multipart().part(instance("V9")).end());
        HttpResponse<byte[]> r = archive.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies?PatientID=V9"))
                .header("Origin", "http://viewer.local").header("Accept-Encoding", "gzip"));
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isPresent(), r.headers().map().toString());
        byte[] body = r.body();
        if ("gzip".equals(r.headers().firstValue("Content-Encoding").orElse(""))) {
            body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
        }
        List<DataSet> found = json.readArray(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("V9", found.getFirst().getString(0x00100020));
    }

    @Test
    void limitCutsResultsWithAWarningHeader() throws Exception {
        for (int i = 0; i < 3; i++) archive.stow("/dicomweb/studies", new Multipart().part(instance("VL")).end());
        HttpResponse<String> r = archive.get("/dicomweb/studies?PatientID=VL&limit=2", null);
        assertEquals(2, json.readArray(r.body()).size());
        assertTrue(r.headers().firstValue("Warning").orElse("").startsWith("299"), r.headers().map().toString());
        HttpResponse<String> rest = archive.get("/dicomweb/studies?PatientID=VL&limit=2&offset=2", null);
        assertEquals(1, json.readArray(rest.body()).size());
        HttpResponse<String> bad = archive.get("/dicomweb/studies?limit=ten", null);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("limit"), bad.body());
        HttpResponse<String> unknown = archive.get("/dicomweb/studies?NoSuchKeyword=1", null);
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("NoSuchKeyword"), unknown.body());
    }

    @Test
    void studyIdFromQidoIsUsableForWado() throws Exception {
        archive.stow("/dicomweb/studies", new Multipart().part(instance("VW")).end());
        DataSet study = json.readArray(archive.get("/dicomweb/studies?PatientID=VW", null).body()).getFirst();
        String url = study.getString(0x00081190);
        HttpResponse<String> meta = archive.http.send(HttpRequest.newBuilder(URI.create(url + "/metadata")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, meta.statusCode());
        assertEquals(study.getString(Tag.StudyInstanceUID), json.readArray(meta.body()).getFirst().getString(Tag.StudyInstanceUID));
    }
}

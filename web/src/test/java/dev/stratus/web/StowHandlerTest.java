package dev.stratus.web;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.Uids;
import dev.stratus.codec.json.DicomJsonReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** STOW-RS bodies that break off or never end: the answer lists exactly what was stored, and comes quickly. */
class StowHandlerTest {
    private static final int ReasonText = 0x00091001;

    @TempDir
    Path dir;
    final DicomJsonReader json = new DicomJsonReader();

    /** 45 instances of one series as parts; part 41 replaced by {@code broken}, which ends the body or breaks its framing. */
    private record Body(String study, List<String> sops, byte[] bytes) {}

    private Body fortyFiveWithPart41(String broken) throws Exception {
        String study = Uids.generate();
        List<byte[]> files = TestObjects.series(study, Uids.generate(), 45, "Broken^Body", "SH1");
        List<String> sops = new ArrayList<>();
        Multipart body = new Multipart();
        for (int i = 0; i < 45; i++) {
            if (i == 40) {
                body.raw(broken);
                continue;
            }
            sops.add(DicomReader.read(files.get(i)).dataSet().getString(Tag.SOPInstanceUID));
            body.part(files.get(i));
        }
        return new Body(study, sops, body.end().bytes());
    }

    @Test
    void aBodyBrokenAtPart41Answers202NamingEachOfThe40StoredInstancesAndNothingElseIsStored() throws Exception {
        String[] breaks = {
                "\r\n--stratus-test-boundary\r\nContent-Type: application/dicom\r\nthis line is no header\r\n\r\n",
                "\r\n--stratus-test-boundary\r\nContent-Type: application/dicom\r\n\r\nDICM and then the connection ends",
        };
        for (String broken : breaks) {
            try (TestArchive archive = new TestArchive(dir.resolve(String.valueOf(broken.length())))) {
                Body body = fortyFiveWithPart41(broken);
                byte[] bytes = broken.endsWith("ends") ? cutAfter(body.bytes(), broken) : body.bytes();
                HttpResponse<String> r = archive.http.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies"))
                        .header("Content-Type", new Multipart().contentType()).header("Accept", "application/dicom+json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, r.statusCode(), r.body());
                DataSet answer = json.read(r.body());
                List<String> reported = answer.getItems(Tag.ReferencedSOPSequence).stream().map(i -> i.getString(Tag.ReferencedSOPInstanceUID)).toList();
                assertEquals(body.sops().subList(0, 40), reported);
                List<DataSet> failed = answer.getItems(Tag.FailedSOPSequence);
                assertEquals(1, failed.size(), r.body());
                assertTrue(failed.getFirst().getString(ReasonText).matches("malformed multipart body: .*part 41.*"), r.body());
                for (String sop : reported) {
                    HttpResponse<String> meta = archive.get("/dicomweb/studies/" + body.study() + "/instances?SOPInstanceUID=" + sop, null);
                    assertEquals(1, json.readArray(meta.body()).size(), sop + " is retrievable");
                }
                HttpResponse<String> all = archive.get("/dicomweb/studies/" + body.study() + "/instances", null);
                assertEquals(40, json.readArray(all.body()).size(), "nothing stored that the answer does not name");
            }
        }
    }

    private static byte[] cutAfter(byte[] body, String marker) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return Arrays.copyOf(body, text.indexOf(marker) + marker.length());
    }

    @Test
    void aBodyBrokenBeforeAnythingIsStoredIs400WithTheReason() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            HttpResponse<String> r = archive.stow("/dicomweb/studies",
                    new Multipart().raw("\r\n--stratus-test-boundary\r\nContent-Type application/dicom\r\n\r\n").end());
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(json.read(r.body()).getItems(Tag.FailedSOPSequence).getFirst().getString(ReasonText)
                    .contains("malformed multipart body"), r.body());
        }
    }

    @Test
    void partsBeyondTheLimitAreNotReadAndThoseBeforeAreStoredAndNamed() throws Exception {
        try (TestArchive archive = new TestArchive(dir, s -> s.withStowMaxParts(10))) {
            String study = Uids.generate();
            Multipart body = new Multipart();
            for (byte[] f : TestObjects.series(study, Uids.generate(), 12, "Too^Many", "SH2")) body.part(f);
            HttpResponse<String> r = archive.stow("/dicomweb/studies", body.end());
            assertEquals(202, r.statusCode(), r.body());
            DataSet answer = json.read(r.body());
            assertEquals(10, answer.getItems(Tag.ReferencedSOPSequence).size());
            assertTrue(answer.getItems(Tag.FailedSOPSequence).getFirst().getString(ReasonText).contains("more than 10 parts"), r.body());
            assertEquals(10, json.readArray(archive.get("/dicomweb/studies/" + study + "/instances", null).body()).size());
        }
    }

    @Test
    void aMillionEmptyPartsAreRefusedQuicklyWithABoundedAnswer() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] empty = "\r\n--x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 1_000_000; i++) body.writeBytes(empty);
            body.writeBytes("\r\n--x--\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            HttpResponse<String> r = archive.http.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=x")
                    .header("Accept", "application/dicom+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
            long seconds = (System.nanoTime() - start) / 1_000_000_000;
            assertEquals(413, r.statusCode(), r.body().substring(0, Math.min(500, r.body().length())));
            assertTrue(seconds < 30, "answered in " + seconds + " s");
            assertTrue(r.body().length() < 1_000_000, r.body().length() + " characters");
            DataSet answer = json.read(r.body());
            List<DataSet> failed = answer.getItems(Tag.FailedSOPSequence);
            assertEquals(1_001, failed.size());
            assertTrue(failed.getLast().getString(ReasonText).contains("more than 10000 parts"), failed.getLast().toString());
            assertEquals("9000 more failed instances are not listed: the first 1000 are", answer.getString(ReasonText));
            assertTrue(r.headers().firstValue("Warning").orElse("").contains("9000 more failed instances"), r.headers().map().toString());
            assertEquals(200, archive.get("/health/ready", null).statusCode());
        }
    }

    /**
     * Found by the STOW fuzzer (app StowFuzzTest, 2 of 10,000 bodies): a STOW refused before its body was read (415,
     * or a Content-Type without boundary) left the body unread, so the connection closed with unread bytes, a reset
     * that can destroy the answer before the client reads it. The body is now read and dropped first: the answer
     * comes whole, and the connection stays open for the next request.
     */
    @Test
    void aStowRefusedBeforeItsBodyIsReadStillReadsTheBodyAndKeepsTheConnection() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            URI base = URI.create(archive.base);
            for (String contentType : new String[] {"text/plain", "multipart/related; type=\"application/dicom\""}) {
                try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
                    socket.setSoTimeout(10_000);
                    java.io.OutputStream out = socket.getOutputStream();
                    byte[] body = new byte[256 * 1024];
                    out.write(("POST /dicomweb/studies HTTP/1.1\r\nHost: x\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, 0, 1024);
                    out.flush();
                    Thread.sleep(300); // the server refuses while most of the body is still to come
                    out.write(body, 1024, body.length - 1024);
                    out.write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String answers = new String(readUntil(socket.getInputStream(), "{\"status\":\"UP\"}"), StandardCharsets.ISO_8859_1);
                    assertTrue(answers.startsWith("HTTP/1.1 4"), contentType + ": " + answers);
                    assertTrue(!answers.toLowerCase().contains("connection: close"), contentType + ": " + answers);
                    assertTrue(answers.contains("{\"status\":\"UP\"}"), "the next request on the connection is answered: " + answers);
                }
            }
        }
    }

    private static byte[] readUntil(java.io.InputStream in, String end) throws java.io.IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while (!got.toString(StandardCharsets.ISO_8859_1).contains(end) && (n = in.read(buf)) > 0) got.write(buf, 0, n);
        return got.toByteArray();
    }
}

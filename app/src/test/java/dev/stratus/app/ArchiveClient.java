package dev.stratus.app;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the real-server tests ask of a running server: store well-formed instances and get them back whole, health, spool. */
final class ArchiveClient {
    static final String STOW_TYPE = "multipart/related; type=\"application/dicom\"; boundary=stratus-test";
    static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

    /** How long a request waits for its answer: a hang guard, not a speed bound (a loaded machine answers slowly). */
    static final Duration HANG_GUARD = Duration.ofMinutes(5);
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ServerProcess server;
    private final Path dataDir;

    ArchiveClient(ServerProcess server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** A Secondary Capture instance in Explicit VR Little Endian with {@code frames} frames of 16×16 8-bit pixels. */
    static byte[] instance(String study, String series, String sop, int frames) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, SECONDARY_CAPTURE);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(0x00100010, VR.PN, "Good^Instance");
        ds.setString(0x00080060, VR.CS, "OT");
        ds.setInt(0x00280002, VR.US, 1);
        ds.setString(0x00280004, VR.CS, "MONOCHROME2");
        ds.setString(0x00280008, VR.IS, String.valueOf(frames));
        ds.setInt(0x00280010, VR.US, 16);
        ds.setInt(0x00280011, VR.US, 16);
        ds.setInt(0x00280100, VR.US, 8);
        ds.setInt(0x00280101, VR.US, 8);
        ds.setInt(0x00280102, VR.US, 7);
        ds.setInt(0x00280103, VR.US, 0);
        byte[] pixels = new byte[256 * frames];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i / 256 + i);
        ds.put(new ValueElement(Tag.PixelData, VR.OB, pixels));
        return part10(ds);
    }

    static byte[] part10(DataSet ds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A multipart/related body of application/dicom parts, boundary {@code stratus-test} (see {@link #STOW_TYPE}). */
    static byte[] multipart(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes("\r\n--stratus-test\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(p);
        }
        out.writeBytes("\r\n--stratus-test--\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    HttpResponse<String> stow(byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies")).header("Content-Type", STOW_TYPE)
                .timeout(HANG_GUARD).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + path)).timeout(HANG_GUARD);
        if (accept != null) b.header("Accept", accept);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The one part of a WADO-RS answer for the instance, as stored. */
    byte[] retrieve(String study, String series, String sop) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies/" + study + "/series/" + series
                        + "/instances/" + sop)).timeout(HANG_GUARD)
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), "retrieve " + sop);
        String type = r.headers().firstValue("Content-Type").orElseThrow();
        Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(type);
        assertTrue(m.find(), type);
        String text = new String(r.body(), StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\r\n\r\n", text.indexOf("--" + m.group(1))) + 4;
        int end = text.indexOf("\r\n--" + m.group(1), start);
        return Arrays.copyOfRange(r.body(), start, end);
    }

    /** The server is alive, live and ready, stores a fresh instance (200) and serves it back byte for byte. */
    void assertStillServes(String after) throws Exception {
        assertTrue(server.isAlive(), "the server exited (after " + after + ")" + server.logTail(60));
        assertEquals(200, get("/health/live", null).statusCode(), "live after " + after);
        HttpResponse<String> ready = get("/health/ready", null);
        assertEquals(200, ready.statusCode(), "ready after " + after + ": " + ready.body());
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        byte[] good = instance(study, series, sop, 1);
        HttpResponse<String> stored = stow(multipart(good));
        assertEquals(200, stored.statusCode(), "a good instance stored after " + after + ": " + stored.body() + server.logTail(40));
        assertArrayEquals(good, retrieve(study, series, sop), "the good instance stored after " + after + " comes back whole");
    }

    /** Files in the spool directories (STOW-RS and C-STORE), after waiting up to 10 s for requests winding down. */
    List<Path> spoolLeftovers() throws Exception {
        List<Path> left = List.of();
        for (int i = 0; i < 50; i++) {
            left = new ArrayList<>();
            for (String d : List.of("spool", "dimse-spool")) {
                Path spool = dataDir.resolve(d);
                if (!Files.isDirectory(spool)) continue;
                try (Stream<Path> files = Files.list(spool)) {
                    left.addAll(files.toList());
                }
            }
            if (left.isEmpty()) return left;
            Thread.sleep(200);
        }
        return left;
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}

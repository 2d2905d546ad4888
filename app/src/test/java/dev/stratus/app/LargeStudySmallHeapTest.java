package dev.stratus.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real executable, started with a 64 MiB heap, stores a 768 MiB instance sent with chunked encoding
 * and serves it back: bodies are streamed end to end, never held in memory.
 */
class LargeStudySmallHeapTest {
    private static final long PIXEL_BYTES = 768L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aStudyLargerThanTheHeapGoesThroughStowAndWado() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"), "-Xmx64m")) {
            HttpClient http = HttpClient.newHttpClient();
            String study = Uids.generate();
            HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=big")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body(study))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stored.statusCode(), stored.body() + server.log());
            HttpResponse<InputStream> retrieved = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies/" + study))
                    .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, retrieved.statusCode());
            long size;
            try (InputStream in = retrieved.body()) {
                size = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            assertTrue(size > PIXEL_BYTES, "the whole object came back: " + size + " bytes");
            assertTrue(server.isAlive(), "the server did not run out of memory" + server.log());
        }
    }

    /** One part: a Part 10 header whose Pixel Data declares PIXEL_BYTES, then those bytes generated on the fly. */
    private static InputStream body(String study) {
        try {
            DataSet ds = new DataSet();
            ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
            ds.setString(Tag.SOPInstanceUID, VR.UI, Uids.generate());
            ds.setString(Tag.StudyInstanceUID, VR.UI, study);
            ds.setString(Tag.SeriesInstanceUID, VR.UI, Uids.generate());
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes("--big\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            DicomWriter w = new DicomWriter(head, null);
            w.writePreambleAndMeta(DicomWriter.fileMetaFor(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null));
            w.writeDataSet(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            w.flush();
            // (7FE0,0010) OB with a 32-bit length, then the value
            head.writeBytes(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0,
                    (byte) PIXEL_BYTES, (byte) (PIXEL_BYTES >> 8), (byte) (PIXEL_BYTES >> 16), (byte) (PIXEL_BYTES >> 24)});
            InputStream pixels = new InputStream() {
                long left = PIXEL_BYTES;

                @Override
                public int read() {
                    return left-- > 0 ? (int) (left & 0x7F) : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left <= 0) return -1;
                    int n = (int) Math.min(len, left);
                    for (int i = 0; i < n; i++) b[off + i] = (byte) i;
                    left -= n;
                    return n;
                }
            };
            InputStream tail = new java.io.ByteArrayInputStream("\r\n--big--\r\n".getBytes(StandardCharsets.US_ASCII));
            return new SequenceInputStream(java.util.Collections.enumeration(List.of(
                    new java.io.ByteArrayInputStream(head.toByteArray()), pixels, tail)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

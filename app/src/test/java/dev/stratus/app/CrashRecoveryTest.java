package dev.stratus.app;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real executable on the embedded default is killed (SIGKILL) right after acknowledging a run of stores;
 * started again on the same data directory, it serves every instance it acknowledged. (On the H2 index of earlier
 * versions the last commits were lost here; SQLite's commit is durable when the store is acknowledged.)
 */
class CrashRecoveryTest {
    static final int STORES = 40;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedInstanceIsServedAfterTheServerIsKilled() throws Exception {
        Path data = dir.resolve("data");
        HttpClient http = HttpClient.newHttpClient();
        String study = Uids.generate(), series = Uids.generate();
        List<String> acknowledged = new ArrayList<>();
        ServerProcess first = ServerProcess.start(data, dir.resolve("first.log"));
        try {
            for (int i = 1; i <= STORES; i++) {
                String sop = Uids.generate();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(first.base + "/dicomweb/studies"))
                        .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=b")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(part(study, series, sop, i))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                acknowledged.add(sop);
            }
        } finally {
            first.kill();
        }
        try (ServerProcess second = ServerProcess.start(data, dir.resolve("second.log"))) {
            HttpResponse<String> found = http.send(HttpRequest.newBuilder(URI.create(second.base + "/dicomweb/studies/" + study
                    + "/instances?includefield=00080018&limit=1000")).header("Accept", "application/dicom+json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, found.statusCode(), found.body() + second.log());
            for (String sop : acknowledged) assertTrue(found.body().contains("\"" + sop + "\""), sop + " is found" + second.log());
            String last = acknowledged.getLast();
            HttpResponse<byte[]> retrieved = http.send(HttpRequest.newBuilder(URI.create(second.base + "/dicomweb/studies/" + study
                    + "/series/" + series + "/instances/" + last)).header("Accept", "multipart/related; type=\"application/dicom\"").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, retrieved.statusCode(), "the last acknowledged instance is retrievable" + second.log());
        }
    }

    private static byte[] part(String study, String series, String sop, int number) throws Exception {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(0x00200013, VR.IS, String.valueOf(number));
        ds.put(new ValueElement(Tag.PixelData, VR.OB, new byte[8192]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("--b\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
        out.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}

package dev.stratus.web;

import dev.stratus.codec.TestFiles;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.Uids;
import dev.stratus.codec.json.DicomJsonReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every pydicom test file through STOW-RS: stored and then retrieved byte for byte (as stored), with its
 * metadata readable; or refused with a failure reason that says why (missing or invalid UIDs, unreadable).
 */
class RealFilesThroughDicomWebTest {
    @TempDir
    static Path dir;
    static TestArchive archive;
    static final java.util.concurrent.atomic.AtomicInteger FILE_NUMBER = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        archive = new TestArchive(dir);
    }

    @AfterAll
    static void stop() {
        archive.close();
    }

    @TestFactory
    List<DynamicTest> everyTestFileIsStoredOrRefusedWithAReason() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : TestFiles.all()) {
            tests.add(DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
        }
        return tests;
    }

    private void check(Path p) throws Exception {
        byte[] bytes = Files.readAllBytes(p);
        String tenant = "file-" + FILE_NUMBER.incrementAndGet(); // each file alone: some share UIDs
        HttpResponse<String> r = archive.stow("/tenants/" + tenant + "/dicomweb/studies", new Multipart().part(bytes).end());
        DataSet response = new DicomJsonReader().read(r.body());
        DicomFile parsed;
        try {
            parsed = DicomReader.read(bytes);
        } catch (DicomParseException e) {
            assertEquals(409, r.statusCode(), r.body());
            assertEquals(0xC000, response.getItems(0x00081198).getFirst().getInt(0x00081197, -1));
            return;
        }
        DataSet ds = parsed.dataSet();
        boolean hasUids = Uids.isValid(ds.getString(Tag.SOPInstanceUID)) && Uids.isValid(ds.getString(Tag.SOPClassUID))
                && Uids.isValid(ds.getString(Tag.StudyInstanceUID)) && Uids.isValid(ds.getString(Tag.SeriesInstanceUID));
        if (!hasUids) {
            assertEquals(409, r.statusCode(), r.body());
            assertEquals(0xA900, response.getItems(0x00081198).getFirst().getInt(0x00081197, -1));
            assertTrue(r.body().contains("UID"), r.body());
            return;
        }
        assertTrue(r.statusCode() == 200 || r.statusCode() == 202, r.statusCode() + " " + r.body());
        String study = ds.getString(Tag.StudyInstanceUID);
        String root = archive.base + "/tenants/" + tenant + "/dicomweb/studies/" + study;
        HttpResponse<byte[]> retrieved = archive.send(HttpRequest.newBuilder(URI.create(root))
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*"));
        assertEquals(200, retrieved.statusCode());
        byte[] stored = TestObjects.parts(retrieved.headers().firstValue("Content-Type").orElseThrow(), retrieved.body()).getFirst();
        if (parsed.hasPreamble() && parsed.fileMeta().getString(Tag.TransferSyntaxUID) != null) {
            assertArrayEquals(bytes, stored, "stored as received");
        } else {
            DicomFile normalised = DicomReader.read(stored);
            assertEquals(ds.getString(Tag.SOPInstanceUID), normalised.dataSet().getString(Tag.SOPInstanceUID));
            assertTrue(normalised.hasPreamble(), "stored as a proper Part 10 file");
        }
        HttpResponse<String> meta = archive.get("/tenants/" + tenant + "/dicomweb/studies/" + study + "/metadata", null);
        assertEquals(200, meta.statusCode(), meta.body());
        List<DataSet> instances = new DicomJsonReader().readArray(meta.body());
        assertEquals(ds.getString(Tag.SOPInstanceUID), instances.getFirst().getString(Tag.SOPInstanceUID));
    }
}

package dev.stratus.web;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TestFiles;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.json.DicomJsonReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * STOW, QIDO, WADO and DELETE over real HTTP against a real archive (SQLite index, files on disk). Public, with a
 * protected {@link #open}: app's ClusterTest runs the same suite through the API nodes of a cluster.
 */
public class DicomWebEndToEndTest {

    @TempDir
    Path dir;
    DicomWebEndpoint archive;
    final DicomJsonReader json = new DicomJsonReader();

    /** Subclasses run the same tests on the other index databases. */
    TestBackend backend() {
        return TestBackend.SQLITE;
    }

    /** Subclasses run the same tests on another archive (with authorization on, say; a cluster). */
    protected DicomWebEndpoint open(Path dir) throws Exception {
        return new TestArchive(dir, backend());
    }

    @BeforeEach
    void start() throws Exception {
        archive = open(dir);
    }

    @AfterEach
    void stop() {
        archive.close();
    }

    @Test
    void storedInstanceIsFoundAndRetrievedByteForByte() throws Exception {
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        byte[] file = GeneratedCt.part10(GeneratedCt.ct(study, series, sop, "Doe^John", "P1", 1, 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        HttpResponse<String> stored = archive.stow("/dicomweb/studies", new Multipart().part(file).end());
        assertEquals(200, stored.statusCode(), stored.body());
        DataSet response = json.read(stored.body());
        DataSet item = response.getItems(Tag.ReferencedSOPSequence).getFirst();
        assertEquals(archive.base() + "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop, item.getString(Tag.RetrieveURL));

        HttpResponse<String> found = archive.get("/dicomweb/studies?PatientID=P1", "application/dicom+json");
        assertEquals(200, found.statusCode(), found.body());
        List<DataSet> studies = json.readArray(found.body());
        assertEquals(1, studies.size());
        assertEquals(study, studies.getFirst().getString(Tag.StudyInstanceUID));
        assertEquals(1, studies.getFirst().getInt(0x00201208, -1), "NumberOfStudyRelatedInstances");

        HttpResponse<byte[]> retrieved = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study))
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*"));
        assertEquals(200, retrieved.statusCode());
        List<byte[]> parts = TestObjects.parts(retrieved.headers().firstValue("Content-Type").orElseThrow(), retrieved.body());
        assertEquals(1, parts.size());
        assertArrayEquals(file, parts.getFirst());
    }

    @Test
    void stowRejectsStudyUidMismatchWith409AndSaysWhy() throws Exception {
        byte[] file = GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "A^B", "P2", 1, 1),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        String other = Uids.generate();
        HttpResponse<String> r = archive.stow("/dicomweb/studies/" + other, new Multipart().part(file).end());
        assertEquals(409, r.statusCode(), r.body());
        DataSet failed = json.read(r.body()).getItems(Tag.FailedSOPSequence).getFirst();
        assertEquals(0xA900, failed.getInt(Tag.FailureReason, -1));
        assertTrue(r.body().contains("does not match the study " + other), r.body());
        assertEquals("[]", archive.get("/dicomweb/studies?PatientID=P2", null).body());
    }

    @Test
    void stowOfAnythingButMultipartRelatedIs415WithAReason() throws Exception {
        HttpResponse<String> r = archive.http().send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, r.statusCode());
        assertTrue(r.body().contains("multipart/related"), r.body());
    }

    @Test
    void stowWithoutBoundaryIs400() throws Exception {
        HttpResponse<String> r = archive.stow("/dicomweb/studies",
                new Multipart().contentType("multipart/related; type=\"application/dicom\"").raw("garbage"));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().toLowerCase().contains("boundary"), r.body());
    }

    @Test
    void garbagePartFailsWithCannotUnderstandWhileGoodPartIsStored() throws Exception {
        byte[] good = GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "A^B", "P3", 1, 1),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        HttpResponse<String> r = archive.stow("/dicomweb/studies", new Multipart().part(good).part("not dicom at all".getBytes()).end());
        assertEquals(202, r.statusCode(), r.body());
        DataSet body = json.read(r.body());
        assertEquals(1, body.getItems(Tag.ReferencedSOPSequence).size());
        assertEquals(0xC000, body.getItems(Tag.FailedSOPSequence).getFirst().getInt(Tag.FailureReason, -1));
    }

    @Test
    void aCommaSeparatedUidListMatchesEachStudyInIt() throws Exception {
        String first = Uids.generate(), second = Uids.generate(), third = Uids.generate();
        for (String study : List.of(first, second, third)) {
            byte[] file = GeneratedCt.part10(GeneratedCt.ct(study, Uids.generate(), Uids.generate(), "List^Match", "PL", 1, 1),
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            assertEquals(200, archive.stow("/dicomweb/studies", new Multipart().part(file).end()).statusCode());
        }
        HttpResponse<String> found = archive.get("/dicomweb/studies?StudyInstanceUID=" + first + "," + third, null);
        assertEquals(200, found.statusCode(), found.body());
        assertEquals(java.util.Set.of(first, third),
                json.readArray(found.body()).stream().map(d -> d.getString(Tag.StudyInstanceUID)).collect(java.util.stream.Collectors.toSet()));
        HttpResponse<String> backslash = archive.get("/dicomweb/studies?StudyInstanceUID=" + second + "%5C" + third, null);
        assertEquals(2, json.readArray(backslash.body()).size(), backslash.body());
    }

    @Test
    void tenantsNeverSeeEachOthersStudiesEvenWithTheSameUids() throws Exception {
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        byte[] a = GeneratedCt.part10(GeneratedCt.ct(study, series, sop, "Tenant^A", "PA", 1, 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] b = GeneratedCt.part10(GeneratedCt.ct(study, series, sop, "Tenant^B", "PB", 1, 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertEquals(200, archive.stow("/tenants/alpha/dicomweb/studies", new Multipart().part(a).end()).statusCode());
        assertEquals(200, archive.stow("/tenants/beta/dicomweb/studies", new Multipart().part(b).end()).statusCode());
        List<DataSet> inAlpha = json.readArray(archive.get("/tenants/alpha/dicomweb/studies", null).body());
        assertEquals(1, inAlpha.size());
        assertEquals("PA", inAlpha.getFirst().getString(0x00100020));
        assertEquals("[]", archive.get("/dicomweb/studies", null).body(), "the default tenant sees neither");
        assertEquals(404, archive.get("/tenants/gamma/dicomweb/studies/" + study + "/metadata", null).statusCode());
        assertEquals(400, archive.get("/tenants/bad%20name/dicomweb/studies", null).statusCode());
    }

    @Test
    void metadataGivesBulkDataUrisThatServeTheValues() throws Exception {
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        DataSet ct = GeneratedCt.ct(study, series, sop, "Bulk^Data", "P4", 1, 1);
        archive.stow("/dicomweb/studies", new Multipart().part(GeneratedCt.part10(ct, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).end());
        HttpResponse<String> r = archive.get("/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop + "/metadata", null);
        assertEquals(200, r.statusCode(), r.body());
        String uri = r.body().replaceAll("(?s).*\"7FE00010\":\\{\"vr\":\"OW\",\"BulkDataURI\":\"([^\"]+)\".*", "$1");
        assertTrue(uri.startsWith(archive.base() + "/dicomweb/studies/" + study), r.body());
        HttpResponse<byte[]> bulk = archive.send(HttpRequest.newBuilder(URI.create(uri)).header("Accept", "application/octet-stream"));
        assertEquals(200, bulk.statusCode());
        assertArrayEquals(ct.getBytes(Tag.PixelData), bulk.body());
        HttpResponse<byte[]> ranged = archive.send(HttpRequest.newBuilder(URI.create(uri)).header("Accept", "application/octet-stream")
                .header("Range", "bytes=2-5"));
        assertEquals(206, ranged.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(ct.getBytes(Tag.PixelData), 2, 6), ranged.body());
    }

    @Test
    void longTextIsWrittenInlineInJsonAndXmlMetadataFromTheBlob() throws Exception {
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        DataSet ct = GeneratedCt.ct(study, series, sop, "Long^Text", "P11", 1, 1);
        String text = "Ä" + "x".repeat(100_000) + "é"; // over the 64 KiB a metadata read holds in memory: left in the blob
        ct.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ct.put(new ValueElement(0x0040A160, VR.UT, text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, archive.stow("/dicomweb/studies", new Multipart().part(GeneratedCt.part10(ct, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).end()).statusCode());
        String path = "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop + "/metadata";
        HttpResponse<String> r = archive.get(path, "application/dicom+json");
        assertEquals(200, r.statusCode());
        assertEquals(text, json.readArray(r.body()).getFirst().getString(0x0040A160), "TextValue inline, as stored");
        HttpResponse<byte[]> xml = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + path))
                .header("Accept", "multipart/related; type=\"application/dicom+xml\""));
        assertEquals(200, xml.statusCode());
        String part = new String(TestObjects.parts(xml.headers().firstValue("Content-Type").orElseThrow(), xml.body()).getFirst(), StandardCharsets.UTF_8);
        assertTrue(part.contains("<Value number=\"1\">" + text + "</Value>"), "TextValue inline in XML");
    }

    @Test
    void framesOfNativePixelDataAreCutBySeeking() throws Exception {
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        DataSet ct = GeneratedCt.ct(study, series, sop, "Multi^Frame", "P5", 1, 3);
        archive.stow("/dicomweb/studies", new Multipart().part(GeneratedCt.part10(ct, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).end());
        HttpResponse<byte[]> r = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study
                + "/series/" + series + "/instances/" + sop + "/frames/3,1")).header("Accept", "multipart/related; type=application/octet-stream"));
        assertEquals(200, r.statusCode(), new String(r.body()));
        List<byte[]> parts = TestObjects.parts(r.headers().firstValue("Content-Type").orElseThrow(), r.body());
        byte[] pixels = ct.getBytes(Tag.PixelData);
        int frame = 16 * 16 * 2;
        assertArrayEquals(java.util.Arrays.copyOfRange(pixels, 2 * frame, 3 * frame), parts.get(0));
        assertArrayEquals(java.util.Arrays.copyOfRange(pixels, 0, frame), parts.get(1));
        HttpResponse<String> missing = archive.get("/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop + "/frames/4", null);
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("3 frame(s)"), missing.body());
    }

    /** Frames larger than a gathered write go from a direct buffer to the response: each arrives whole and in place. */
    @Test
    void largeFramesArriveWholeAsPartsAndAsASinglePartBody() throws Exception {
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        DataSet ct = GeneratedCt.ct(study, series, sop, "Large^Frames", "P6", 1, 3);
        int rows = 300, columns = 256, frame = rows * columns * 2;
        ct.setInt(Tag.Rows, VR.US, rows);
        ct.setInt(Tag.Columns, VR.US, columns);
        byte[] pixels = new byte[3 * frame];
        new java.util.Random(6).nextBytes(pixels);
        ct.put(new dev.stratus.codec.ValueElement(Tag.PixelData, VR.OW, pixels));
        archive.stow("/dicomweb/studies", new Multipart().part(GeneratedCt.part10(ct, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).end());
        String frames = archive.base() + "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop + "/frames/";
        HttpResponse<byte[]> multi = archive.send(HttpRequest.newBuilder(URI.create(frames + "2,3,1"))
                .header("Accept", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*"));
        assertEquals(200, multi.statusCode(), new String(multi.body()));
        List<byte[]> parts = TestObjects.parts(multi.headers().firstValue("Content-Type").orElseThrow(), multi.body());
        assertEquals(3, parts.size());
        assertEquals(String.valueOf(multi.body().length), multi.headers().firstValue("Content-Length").orElse(null),
                "the stored frames' length is known before the body, parts and all");
        int[] order = {2, 3, 1};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(pixels, (order[i] - 1) * frame, order[i] * frame), parts.get(i), "frame " + order[i]);
        }
        HttpResponse<byte[]> single = archive.send(HttpRequest.newBuilder(URI.create(frames + "3")).header("Accept", "application/octet-stream"));
        assertEquals(200, single.statusCode(), new String(single.body()));
        assertEquals(String.valueOf(frame), single.headers().firstValue("Content-Length").orElse(null), "the length is known before the body");
        assertArrayEquals(java.util.Arrays.copyOfRange(pixels, 2 * frame, 3 * frame), single.body());
    }

    /** The header the ingest parsed is kept for the frames that follow: never that of a version replaced or deleted since. */
    @Test
    void framesOfAnInstanceStoredAgainAreItsNewVersionAndNoneOnceDeleted() throws Exception {
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        String frames = archive.base() + "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop + "/frames/";
        String accept = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
        for (int version = 1; version <= 2; version++) {
            DataSet ct = GeneratedCt.ct(study, series, sop, "Stored^Again", "P8", 1, version == 1 ? 3 : 2);
            ct.setInt(Tag.Rows, VR.US, version == 1 ? 16 : 24); // another frame size: an old header would cut the wrong bytes
            byte[] pixels = new byte[(version == 1 ? 3 : 2) * (version == 1 ? 16 : 24) * 16 * 2];
            new java.util.Random(version).nextBytes(pixels);
            ct.put(new dev.stratus.codec.ValueElement(Tag.PixelData, VR.OW, pixels));
            assertEquals(200, archive.stow("/dicomweb/studies", new Multipart().part(GeneratedCt.part10(ct, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).end()).statusCode());
            HttpResponse<byte[]> r = archive.send(HttpRequest.newBuilder(URI.create(frames + "2")).header("Accept", accept));
            assertEquals(200, r.statusCode(), new String(r.body()));
            int frame = pixels.length / (version == 1 ? 3 : 2);
            assertArrayEquals(java.util.Arrays.copyOfRange(pixels, frame, 2 * frame),
                    TestObjects.parts(r.headers().firstValue("Content-Type").orElseThrow(), r.body()).getFirst(), "frame 2 of version " + version);
        }
        assertEquals(404, archive.send(HttpRequest.newBuilder(URI.create(frames + "3")).header("Accept", accept)).statusCode(),
                "the version stored last has 2 frames");
        assertEquals(204, archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study + "/series/" + series
                + "/instances/" + sop)).DELETE()).statusCode());
        assertEquals(404, archive.send(HttpRequest.newBuilder(URI.create(frames + "1")).header("Accept", accept)).statusCode());
    }

    @Test
    void deleteRemovesFromIndexAndThenAnswers404() throws Exception {
        String study = Uids.generate();
        for (byte[] f : TestObjects.series(study, Uids.generate(), 2, "Del^Me", "P6")) {
            archive.stow("/dicomweb/studies", new Multipart().part(f).end());
        }
        HttpResponse<byte[]> del = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study)).DELETE());
        assertEquals(204, del.statusCode());
        assertEquals(404, archive.get("/dicomweb/studies/" + study + "/metadata", null).statusCode());
        assertEquals("[]", archive.get("/dicomweb/studies?PatientID=P6", null).body());
        assertEquals(404, archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study)).DELETE()).statusCode());
        assertTrue(archive.blobs("tenants").isEmpty(), "blobs are gone: " + archive.blobs("tenants"));
    }

    @Test
    void stowAnswersInXmlWhenAskedForXml() throws Exception {
        byte[] file = GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "X^Ml", "P7", 1, 1),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        HttpResponse<String> r = archive.stow("/dicomweb/studies", new Multipart().part(file).end(), "application/dicom+xml");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/dicom+xml"));
        assertTrue(r.body().contains("NativeDicomModel") && r.body().contains("ReferencedSOPSequence"), r.body());
    }

    @Test
    void seriesMetadataIsCurrentBeforeAndAfterTheWorkerBuildsIt() throws Exception {
        String study = Uids.generate(), series = Uids.generate();
        List<byte[]> files = TestObjects.series(study, series, 3, "Meta^Data", "P8");
        archive.stow("/dicomweb/studies", new Multipart().part(files.get(0)).part(files.get(1)).end());
        String path = "/dicomweb/studies/" + study + "/series/" + series + "/metadata";
        HttpResponse<String> live = archive.get(path, null);
        assertEquals(2, json.readArray(live.body()).size());
        archive.buildSeriesMetadata(study, series);
        HttpResponse<String> fromDocument = archive.get(path, null);
        assertEquals(live.body(), fromDocument.body(), "the stored document is the live answer");
        String etag = fromDocument.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, archive.send(HttpRequest.newBuilder(URI.create(archive.base() + path)).header("If-None-Match", etag)).statusCode());
        String otherSeries = Uids.generate();
        archive.stow("/dicomweb/studies", new Multipart().part(TestObjects.series(study, otherSeries, 1, "Meta^Data", "P8").getFirst()).end());
        List<DataSet> studyMetadata = json.readArray(archive.get("/dicomweb/studies/" + study + "/metadata", null).body());
        assertEquals(3, studyMetadata.size(), "study metadata joins the stored document of one series and the live other");
        archive.stow("/dicomweb/studies", new Multipart().part(files.get(2)).end());
        assertEquals(3, json.readArray(archive.get(path, null).body()).size(), "an acknowledged instance is never missing");
        assertEquals(4, json.readArray(archive.get("/dicomweb/studies/" + study + "/metadata", null).body()).size());
    }

    @Test
    void unknownStudyIs404WithAMessage() throws Exception {
        HttpResponse<String> r = archive.get("/dicomweb/studies/1.2.3/metadata", null);
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("no study 1.2.3"), r.body());
        HttpResponse<String> bad = archive.get("/dicomweb/studies/1.2.abc/metadata", null);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("StudyInstanceUID"), bad.body());
    }

    @Test
    void compressedInstanceIsDecodedByDefaultAndServedAsStoredOnRequest() throws Exception {
        byte[] file = java.nio.file.Files.readAllBytes(TestFiles.file("MR_small_RLE.dcm"));
        DataSet ds = DicomReader.read(file).dataSet();
        HttpResponse<String> stored = archive.stow("/dicomweb/studies", new Multipart().part(file).end());
        assertEquals(200, stored.statusCode(), stored.body());
        String study = ds.getString(Tag.StudyInstanceUID);
        HttpResponse<byte[]> defaultSyntax = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study))
                .header("Accept", "multipart/related; type=\"application/dicom\""));
        assertEquals(200, defaultSyntax.statusCode());
        var decoded = DicomReader.read(TestObjects.parts(defaultSyntax.headers().firstValue("Content-Type").orElseThrow(), defaultSyntax.body()).getFirst());
        assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, decoded.transferSyntax(), "PS3.18 8.7.3.5.2: the default syntax");
        assertEquals(ds.getInt(Tag.Rows, 0) * ds.getInt(Tag.Columns, 0) * 2, decoded.dataSet().getBytes(Tag.PixelData).length);
        HttpResponse<String> bigEndian = archive.get("/dicomweb/studies/" + study,
                "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.2");
        assertEquals(406, bigEndian.statusCode());
        assertTrue(bigEndian.body().contains("1.2.840.10008.1.2.1") && bigEndian.body().contains("transfer-syntax=*"), bigEndian.body());
        HttpResponse<byte[]> asStored = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study))
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*"));
        assertEquals(200, asStored.statusCode());
        assertArrayEquals(file, TestObjects.parts(asStored.headers().firstValue("Content-Type").orElseThrow(), asStored.body()).getFirst());
        HttpResponse<byte[]> frame = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study + "/series/"
                + ds.getString(Tag.SeriesInstanceUID) + "/instances/" + ds.getString(Tag.SOPInstanceUID) + "/frames/1"))
                .header("Accept", "multipart/related; type=\"image/x-dicom-rle\""));
        assertEquals(200, frame.statusCode(), new String(frame.body()) + frame.headers().map());
        assertNotNull(frame.headers().firstValue("Content-Type").filter(ct -> ct.contains("image/x-dicom-rle")).orElse(null));
    }

    @Test
    void healthAndMetricsAnswer() throws Exception {
        assertEquals(200, archive.get("/health/live", null).statusCode());
        HttpResponse<String> ready = archive.get("/health/ready", null);
        assertEquals(200, ready.statusCode());
        assertTrue(ready.body().contains("\"index\":\"UP\""), ready.body());
        archive.get("/dicomweb/studies", null);
        String metrics = archive.get("/metrics", null).body();
        assertTrue(metrics.contains("stratus_http_requests_seconds_count{method=\"GET\",route=\"/dicomweb/studies\",status=\"200\"}"), metrics);
    }

    @Test
    void uncompressedInstancesAreConvertedToTheAskedSyntax() throws Exception {
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        DataSet ct = GeneratedCt.ct(study, series, sop, "Con^Vert", "P9", 1, 1);
        archive.stow("/dicomweb/studies", new Multipart().part(GeneratedCt.part10(ct, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).end());
        for (TransferSyntax ts : List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)) {
            HttpResponse<byte[]> r = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study
                    + "/series/" + series + "/instances/" + sop))
                    .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=" + ts.uid()));
            assertEquals(200, r.statusCode(), ts.name());
            var file = DicomReader.read(TestObjects.parts(r.headers().firstValue("Content-Type").orElseThrow(), r.body()).getFirst());
            assertEquals(ts, file.transferSyntax());
            assertArrayEquals(ct.getBytes(Tag.PixelData), file.dataSet().getBytes(Tag.PixelData), ts.name());
        }
    }

    @Test
    void metadataAsXmlHasOnePartPerInstanceWithBulkDataUris() throws Exception {
        String study = Uids.generate(), series = Uids.generate();
        for (byte[] f : TestObjects.series(study, series, 2, "Xml^Meta", "P10")) archive.stow("/dicomweb/studies", new Multipart().part(f).end());
        HttpResponse<byte[]> r = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study + "/metadata"))
                .header("Accept", "multipart/related; type=\"application/dicom+xml\""));
        assertEquals(200, r.statusCode());
        List<byte[]> parts = TestObjects.parts(r.headers().firstValue("Content-Type").orElseThrow(), r.body());
        assertEquals(2, parts.size());
        String xml = new String(parts.getFirst(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(xml.contains("NativeDicomModel") && xml.contains("<BulkData uri=\"" + archive.base() + "/dicomweb/studies/" + study), xml);
    }

    @Test
    void framesOfMultiFrameEncapsulatedPixelDataComeInTheirOwnMediaType() throws Exception {
        byte[] file = java.nio.file.Files.readAllBytes(TestFiles.file("SC_rgb_rle_2frame.dcm"));
        DataSet ds = DicomReader.read(file).dataSet();
        assertEquals(200, archive.stow("/dicomweb/studies", new Multipart().part(file).end()).statusCode());
        var fragments = ((dev.stratus.codec.FragmentsElement) ds.get(Tag.PixelData)).dataFragments();
        HttpResponse<byte[]> r = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + ds.getString(Tag.StudyInstanceUID)
                + "/series/" + ds.getString(Tag.SeriesInstanceUID) + "/instances/" + ds.getString(Tag.SOPInstanceUID) + "/frames/2,1"))
                .header("Accept", "multipart/related; type=\"image/dicom-rle\"; transfer-syntax=1.2.840.10008.1.2.5"));
        assertEquals(200, r.statusCode(), new String(r.body()));
        List<byte[]> parts = TestObjects.parts(r.headers().firstValue("Content-Type").orElseThrow(), r.body());
        assertArrayEquals(fragments.get(1).bytes(), parts.get(0));
        assertArrayEquals(fragments.get(0).bytes(), parts.get(1));
        HttpResponse<String> octets = archive.get("/dicomweb/studies/" + ds.getString(Tag.StudyInstanceUID) + "/series/"
                + ds.getString(Tag.SeriesInstanceUID) + "/instances/" + ds.getString(Tag.SOPInstanceUID) + "/frames/1",
                "multipart/related; type=application/octet-stream");
        assertEquals(200, octets.statusCode(), "decoded");
        var pixel = dev.stratus.imaging.ImagePixel.of(ds);
        byte[] decoded = new dev.stratus.imaging.RleDecoder().decode(fragments.get(0).bytes(), pixel).pixels();
        HttpResponse<byte[]> single = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + ds.getString(Tag.StudyInstanceUID)
                + "/series/" + ds.getString(Tag.SeriesInstanceUID) + "/instances/" + ds.getString(Tag.SOPInstanceUID) + "/frames/1"))
                .header("Accept", "application/octet-stream"));
        assertEquals(200, single.statusCode());
        assertTrue(single.headers().firstValue("Content-Type").orElseThrow().contains("transfer-syntax=1.2.840.10008.1.2.1"));
        assertArrayEquals(decoded, single.body(), "a single frame, single part, decoded");
        HttpResponse<String> twoSingle = archive.get("/dicomweb/studies/" + ds.getString(Tag.StudyInstanceUID) + "/series/"
                + ds.getString(Tag.SeriesInstanceUID) + "/instances/" + ds.getString(Tag.SOPInstanceUID) + "/frames/1,2", "application/octet-stream");
        assertEquals(406, twoSingle.statusCode(), "two frames do not fit one single-part body");
    }

    @Test
    void deletingAnInstanceOrASeriesKeepsCountsRight() throws Exception {
        String study = Uids.generate(), s1 = Uids.generate(), s2 = Uids.generate();
        List<byte[]> first = TestObjects.series(study, s1, 3, "Count^Me", "P11");
        for (byte[] f : first) archive.stow("/dicomweb/studies", new Multipart().part(f).end());
        archive.stow("/dicomweb/studies", new Multipart().part(TestObjects.series(study, s2, 1, "Count^Me", "P11").getFirst()).end());
        String sop = DicomReader.read(first.getFirst()).dataSet().getString(Tag.SOPInstanceUID);
        HttpResponse<byte[]> del = archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study
                + "/series/" + s1 + "/instances/" + sop)).DELETE());
        assertEquals(204, del.statusCode());
        DataSet studyRow = json.readArray(archive.get("/dicomweb/studies?StudyInstanceUID=" + study, null).body()).getFirst();
        assertEquals(3, studyRow.getInt(0x00201208, -1));
        assertEquals(2, studyRow.getInt(0x00201206, -1), "NumberOfStudyRelatedSeries");
        assertEquals(204, archive.send(HttpRequest.newBuilder(URI.create(archive.base() + "/dicomweb/studies/" + study + "/series/" + s2)).DELETE()).statusCode());
        studyRow = json.readArray(archive.get("/dicomweb/studies?StudyInstanceUID=" + study, null).body()).getFirst();
        assertEquals(2, studyRow.getInt(0x00201208, -1));
        assertEquals(1, studyRow.getInt(0x00201206, -1));
        assertEquals(2, json.readArray(archive.get("/dicomweb/studies/" + study + "/series/" + s1 + "/metadata", null).body()).size());
    }
}

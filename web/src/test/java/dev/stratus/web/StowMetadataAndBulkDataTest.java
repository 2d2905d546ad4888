package dev.stratus.web;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.BulkDataSource;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Fragment;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.Tag;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.json.DicomJsonReader;
import dev.stratus.codec.json.DicomJsonWriter;
import dev.stratus.codec.xml.NativeXmlWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * STOW-RS of metadata and bulk data (PS3.18 10.5.1.4) through the real server: each instance becomes a Part 10
 * file that DCMTK reads, is retrieved with the same attributes and pixel bytes, and fails alone when its bulk data
 * cannot be found.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StowMetadataAndBulkDataTest {
    private static final int ReasonText = 0x00091001;
    private static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static final String JSON_BODY = "multipart/related; type=\"application/dicom+json\"; boundary=\"stratus-test-boundary\"";
    private static final String XML_BODY = "multipart/related; type=\"application/dicom+xml\"; boundary=\"stratus-test-boundary\"";

    @TempDir
    Path dir;
    final DicomJsonReader json = new DicomJsonReader();
    /** One archive for the tests with the default settings (each uses studies of its own): a start costs seconds. */
    @TempDir
    static Path sharedDir;
    private TestArchive shared;

    private TestArchive shared() throws IOException {
        if (shared == null) shared = new TestArchive(sharedDir);
        return shared;
    }

    @AfterAll
    void closeShared() {
        if (shared != null) shared.close();
    }

    /** The data set with its Pixel Data replaced by a BulkDataURI. */
    private static DataSet withPixelUri(DataSet ds, String uri, VR vr) {
        ds.put(new BulkDataElement(Tag.PixelData, vr, -1, -1, false, uri));
        return ds;
    }

    private static byte[] jsonArray(DataSet... instances) {
        StringBuilder sb = new StringBuilder("[");
        for (DataSet ds : instances) sb.append(sb.length() > 1 ? "," : "").append(DicomJsonWriter.toJson(ds));
        return sb.append("]").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Multipart bulk(Multipart body, String location, String type, byte[] bytes) {
        return body.raw("\r\n--stratus-test-boundary\r\nContent-Type: " + type + "\r\nContent-Location: " + location + "\r\n\r\n")
                .raw(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    private DataSet retrieve(TestArchive archive, DataSet ds) throws Exception {
        return DicomReader.read(retrieveBytes(archive, ds)).dataSet();
    }

    private byte[] retrieveBytes(TestArchive archive, DataSet ds) throws Exception {
        HttpResponse<byte[]> r = archive.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies/"
                        + ds.getString(Tag.StudyInstanceUID) + "/series/" + ds.getString(Tag.SeriesInstanceUID) + "/instances/"
                        + ds.getString(Tag.SOPInstanceUID)))
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*"));
        assertEquals(200, r.statusCode());
        return TestObjects.parts(r.headers().firstValue("Content-Type").orElseThrow(), r.body()).getFirst();
    }

    /** The stored blob of an instance: the file the archive wrote. */
    private static Path storedFile(TestArchive archive, String sop) throws IOException {
        try (Stream<Path> files = Files.walk(archive.blobs)) {
            return files.filter(f -> f.toString().contains(sop)).findFirst().orElseThrow(() -> new AssertionError("no blob for " + sop));
        }
    }

    /** dcmdump's reading of a file (a missing DCMTK skips the test, and fails it on CI). */
    private static String dcmdump(Path file) throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/dcmdump"));
        if (!present && "true".equals(System.getenv("CI"))) fail("dcmdump missing on CI: apt-get install dcmtk");
        assumeTrue(present, "DCMTK dcmdump not installed");
        Process p = new ProcessBuilder("dcmdump", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(!out.contains("E: "), out);
        return out;
    }

    @Test
    void jsonMetadataWithNativePixelDataIsStoredAsAPart10FileAndRetrievedWithTheSameBytes() throws Exception {
        TestArchive archive = shared();
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        DataSet original = GeneratedCt.ct(study, series, sop, "Bulk^Björn", "PB1", 1, 2);
        byte[] pixels = original.getBytes(Tag.PixelData);
        // relative BulkDataURI, absolute Content-Location: the same URI once resolved against the request's (RFC 3986 5.2)
        DataSet metadata = withPixelUri(GeneratedCt.ct(study, series, sop, "Bulk^Björn", "PB1", 1, 2), "bulk/pixels", VR.OW);
        Multipart body = new Multipart().contentType(JSON_BODY).part("application/dicom+json", jsonArray(metadata));
        bulk(body, archive.base + "/dicomweb/bulk/pixels", "application/octet-stream", pixels).end();

        HttpResponse<String> r = archive.stow("/dicomweb/studies", body);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(sop, json.read(r.body()).getItems(Tag.ReferencedSOPSequence).getFirst().getString(Tag.ReferencedSOPInstanceUID));

        DataSet back = retrieve(archive, original);
        assertArrayEquals(pixels, back.getBytes(Tag.PixelData));
        assertEquals("Bulk^Björn", back.getString(Tag.PatientName));
        assertEquals("2", back.getString(Tag.NumberOfFrames));
        String dump = dcmdump(storedFile(archive, sop));
        assertTrue(dump.contains("(0002,0010) UI =LittleEndianExplicit"), dump);
        assertTrue(dump.contains("(0002,0003) UI [" + sop + "]"), dump);
        assertTrue(dump.contains("(0002,0012) UI [2.25.31847666363088847087387258504392435519]"), dump);
        assertTrue(dump.contains("(7fe0,0010) OW") && dump.contains("# 1024, 1 PixelData"), dump);
    }

    /** The frames of an encapsulated Pixel Data element, without the offset table. */
    private static List<byte[]> frames(byte[] part10) throws IOException {
        DicomFile f = DicomReader.read(part10);
        FragmentsElement px = (FragmentsElement) f.dataSet().get(Tag.PixelData);
        List<byte[]> out = new ArrayList<>();
        for (Fragment fr : px.dataFragments()) {
            out.add(fr.isLoaded() ? fr.bytes() : BulkDataSource.of(part10).read(new BulkDataElement(Tag.PixelData, VR.OB, fr.offset(), fr.length(), false, null)));
        }
        return out;
    }

    private static byte[] pydicom(String name) throws IOException {
        Path file = PYDICOM.resolve(name);
        if (!Files.exists(file) && "true".equals(System.getenv("CI"))) fail("pydicom test files missing on CI: apt-get install python3-pydicom");
        assumeTrue(Files.exists(file), "pydicom test files not installed");
        return Files.readAllBytes(file);
    }

    @Test
    void compressedFramesOnePartEachAreStoredEncapsulatedInTheirTransferSyntaxAndRetrievedIdentical() throws Exception {
        byte[] source = pydicom("MR_small_jpeg_ls_lossless.dcm");
        byte[] frame = frames(source).getFirst();
        byte[] second = frame.clone(); // a second, different frame: the first with its last byte changed
        second[second.length - 3] ^= 1;
        TestArchive archive = shared();
        DataSet metadata = DicomReader.read(source).dataSet();
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        metadata.setString(Tag.StudyInstanceUID, VR.UI, study);
        metadata.setString(Tag.SeriesInstanceUID, VR.UI, series);
        metadata.setString(Tag.SOPInstanceUID, VR.UI, sop);
        metadata.setString(Tag.NumberOfFrames, VR.IS, "2");
        withPixelUri(metadata, "http://example.org/px/" + sop, VR.OB);
        Multipart body = new Multipart().contentType(JSON_BODY).part("application/dicom+json", jsonArray(metadata));
        bulk(body, "http://example.org/px/" + sop + "/frames/1", "image/jls", frame);
        bulk(body, "http://example.org/px/" + sop + "/frames/2", "image/jls; transfer-syntax=1.2.840.10008.1.2.4.80", second).end();

        HttpResponse<String> r = archive.stow("/dicomweb/studies/" + study, body);
        assertEquals(200, r.statusCode(), r.body());
        byte[] stored = retrieveBytes(archive, metadata);
        assertEquals("1.2.840.10008.1.2.4.80", DicomReader.read(stored).transferSyntax().uid());
        List<byte[]> back = frames(stored);
        assertEquals(2, back.size());
        assertArrayEquals(frame, back.get(0));
        assertArrayEquals(second, back.get(1));
        String dump = dcmdump(storedFile(archive, sop));
        assertTrue(dump.contains("=JPEGLSLossless"), dump);
        // an offset table (frame 2's item at 8 + 4430 = 0x1156) and two frames
        assertTrue(dump.contains("(7fe0,0010) OB (PixelSequence #=3)"), dump);
        assertTrue(dump.contains("(fffe,e000) pi 00\\00\\00\\00\\56\\11\\00\\00"), dump);
    }

    @Test
    void aJpegFrameAtItsBulkDataUriIsStoredInTheSyntaxItsPartNames() throws Exception {
        byte[] source = pydicom("JPEG-lossy.dcm");
        byte[] frame = frames(source).getFirst();
        TestArchive archive = shared();
        DataSet metadata = DicomReader.read(source).dataSet();
        String sop = Uids.generate();
        metadata.setString(Tag.SOPInstanceUID, VR.UI, sop);
        withPixelUri(metadata, "jpeg-frame", VR.OB);
        Multipart body = new Multipart().contentType(JSON_BODY).part("application/dicom+json", jsonArray(metadata));
        bulk(body, "jpeg-frame", "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.51", frame).end();

        HttpResponse<String> r = archive.stow("/dicomweb/studies", body);
        assertEquals(200, r.statusCode(), r.body());
        byte[] stored = retrieveBytes(archive, metadata);
        assertEquals("1.2.840.10008.1.2.4.51", DicomReader.read(stored).transferSyntax().uid());
        assertArrayEquals(frame, frames(stored).getFirst());
        dcmdump(storedFile(archive, sop));
    }

    @Test
    void xmlMetadataOneInstancePerPartIsStoredWithItsBulkData() throws Exception {
        TestArchive archive = shared();
        String study = Uids.generate(), series = Uids.generate();
        Multipart body = new Multipart().contentType(XML_BODY);
        List<DataSet> originals = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            DataSet original = GeneratedCt.ct(study, series, Uids.generate(), "Xml^Ödön", "PX1", i);
            original.put(new ValueElement(0x00091010, VR.LO, "ACME 1.0".getBytes(StandardCharsets.US_ASCII)));
            original.put(new ValueElement(0x00091011, VR.DS, "1.5 ".getBytes(StandardCharsets.US_ASCII)));
            originals.add(original);
            DataSet metadata = DicomReader.read(GeneratedCt.part10(original, dev.stratus.codec.TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).dataSet();
            withPixelUri(metadata, "pixels-" + i, VR.OW);
            body.part("application/dicom+xml", NativeXmlWriter.toXml(metadata).getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 1; i <= 2; i++) bulk(body, "pixels-" + i, "application/octet-stream", originals.get(i - 1).getBytes(Tag.PixelData));
        body.end();

        HttpResponse<String> r = archive.stow("/dicomweb/studies", body);
        assertEquals(200, r.statusCode(), r.body());
        for (DataSet original : originals) {
            DataSet back = retrieve(archive, original);
            assertArrayEquals(original.getBytes(Tag.PixelData), back.getBytes(Tag.PixelData));
            assertEquals("Xml^Ödön", back.getString(Tag.PatientName));
            assertEquals("ACME 1.0", back.getString(0x00091010));
            assertEquals("1.5", back.getString(0x00091011));
            assertEquals(original.getString(0x00200013), back.getString(0x00200013));
            dcmdump(storedFile(archive, original.getString(Tag.SOPInstanceUID)));
        }
    }

    @Test
    void anInstanceWhoseBulkDataIsMissingFailsWithTheReasonAndTheOthersAreStoredWith202() throws Exception {
        TestArchive archive = shared();
        String study = Uids.generate(), series = Uids.generate();
        DataSet ok = GeneratedCt.ct(study, series, Uids.generate(), "Some^One", "PM1", 1);
        byte[] pixels = ok.getBytes(Tag.PixelData);
        DataSet missing = withPixelUri(GeneratedCt.ct(study, series, Uids.generate(), "Some^One", "PM1", 2), "nowhere", VR.OW);
        Multipart body = new Multipart().contentType(JSON_BODY)
                .part("application/dicom+json", jsonArray(withPixelUri(ok, "here", VR.OW), missing));
        bulk(body, "here", "application/octet-stream", pixels).end();

        HttpResponse<String> r = archive.stow("/dicomweb/studies", body);
        assertEquals(202, r.statusCode(), r.body());
        DataSet answer = json.read(r.body());
        assertEquals(List.of(ok.getString(Tag.SOPInstanceUID)),
                answer.getItems(Tag.ReferencedSOPSequence).stream().map(i -> i.getString(Tag.ReferencedSOPInstanceUID)).toList());
        DataSet failed = answer.getItems(Tag.FailedSOPSequence).getFirst();
        assertEquals(missing.getString(Tag.SOPInstanceUID), failed.getString(Tag.ReferencedSOPInstanceUID));
        assertEquals(0xC000, failed.getInt(Tag.FailureReason, -1));
        assertTrue(failed.getString(ReasonText).contains("BulkDataURI nowhere of (7FE0,0010) PixelData matches the Content-Location of no part"), r.body());
        assertEquals(1, json.readArray(archive.get("/dicomweb/studies/" + study + "/instances", null).body()).size());
    }

    @Test
    void aContentLocationSentTwiceFailsTheInstanceThatNamesItAndAnUnreferencedPartIsIgnoredWithAWarning() throws Exception {
        TestArchive archive = shared();
        String study = Uids.generate(), series = Uids.generate();
        DataSet twice = GeneratedCt.ct(study, series, Uids.generate(), "Dup^Loc", "PD1", 1);
        byte[] pixels = twice.getBytes(Tag.PixelData);
        DataSet fine = GeneratedCt.ct(study, series, Uids.generate(), "Dup^Loc", "PD1", 2);
        Multipart body = new Multipart().contentType(JSON_BODY)
                .part("application/dicom+json", jsonArray(withPixelUri(twice, "same", VR.OW), withPixelUri(fine, "other", VR.OW)));
        bulk(body, "same", "application/octet-stream", pixels);
        bulk(body, "same", "application/octet-stream", pixels);
        bulk(body, "other", "application/octet-stream", pixels);
        bulk(body, "nobody-asks", "application/octet-stream", pixels).end();

        HttpResponse<String> r = archive.stow("/dicomweb/studies", body);
        assertEquals(202, r.statusCode(), r.body());
        DataSet answer = json.read(r.body());
        assertEquals(1, answer.getItems(Tag.ReferencedSOPSequence).size(), r.body());
        DataSet failed = answer.getItems(Tag.FailedSOPSequence).getFirst();
        assertEquals(twice.getString(Tag.SOPInstanceUID), failed.getString(Tag.ReferencedSOPInstanceUID));
        assertTrue(failed.getString(ReasonText).contains("matches parts [2, 3]"), r.body());
        assertTrue(r.headers().firstValue("Warning").orElse("").contains("1 bulk data parts were referenced by no BulkDataURI"),
                r.headers().toString());
    }

    @Test
    void framesThatDisagreeWithNumberOfFramesOrComeInAnUnknownMediaTypeFailTheInstance() throws Exception {
        TestArchive archive = shared();
        DataSet three = withPixelUri(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "F^F", "PF", 1, 3), "f", VR.OB);
        DataSet gif = withPixelUri(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "F^F", "PF", 1), "g", VR.OB);
        Multipart body = new Multipart().contentType(JSON_BODY).part("application/dicom+json", jsonArray(three, gif));
        bulk(body, "f/frames/1", "image/jls", new byte[] {1, 2});
        bulk(body, "g", "image/gif", new byte[] {1, 2}).end();

        HttpResponse<String> r = archive.stow("/dicomweb/studies", body);
        assertEquals(409, r.statusCode(), r.body());
        List<DataSet> failed = json.read(r.body()).getItems(Tag.FailedSOPSequence);
        assertTrue(failed.get(0).getString(ReasonText).contains("NumberOfFrames is 3 but 1 compressed frames"), r.body());
        assertEquals(0xC122, failed.get(1).getInt(Tag.FailureReason, -1), r.body());
        assertTrue(failed.get(1).getString(ReasonText).contains("image/gif"), r.body());
    }

    @Test
    void metadataOverTheParseBudgetIsRefusedWithTheLimitNamedAndNothingIsStored() throws Exception {
        ParseBudget small = ParseBudget.DEFAULT.withMaxValueBytes(64 * 1024).withMaxDepth(4);
        try (TestArchive archive = TestArchive.withArchive(dir.resolve("small-budget"), s -> s.withParseBudget(small))) {
            String big = "[" + "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"" + "x".repeat(100_000) + "\"}]}}" + "]";
            String deep = "[" + "{\"00081115\":{\"vr\":\"SQ\",\"Value\":[".repeat(20) + "{}" + "]}}".repeat(20) + "]";
            String xmlDeep = "<NativeDicomModel>" + "<DicomAttribute tag=\"00081115\" vr=\"SQ\"><Item number=\"1\">".repeat(20)
                    + "</Item></DicomAttribute>".repeat(20) + "</NativeDicomModel>";
            for (String[] c : new String[][] {{JSON_BODY, "application/dicom+json", big, "larger than 65536 bytes (ingest.maxValueBytes)"},
                    {JSON_BODY, "application/dicom+json", deep, "nesting depth"},
                    {XML_BODY, "application/dicom+xml", xmlDeep, "nests sequences deeper than 4"}}) {
                HttpResponse<String> r = archive.stow("/dicomweb/studies",
                        new Multipart().contentType(c[0]).part(c[1], c[2].getBytes(StandardCharsets.UTF_8)).end());
                assertEquals(409, r.statusCode(), r.body());
                DataSet failed = json.read(r.body()).getItems(Tag.FailedSOPSequence).getFirst();
                assertEquals(0xC000, failed.getInt(Tag.FailureReason, -1));
                assertTrue(failed.getString(ReasonText).contains(c[3]), r.body());
            }
        }
    }

    @Test
    void anXmlDocumentWithADoctypeIsRefusedWithoutReadingAnyEntity() throws Exception {
        TestArchive archive = shared();
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<NativeDicomModel><DicomAttribute tag=\"00100010\" vr=\"PN\"><Value number=\"1\">&e;</Value></DicomAttribute></NativeDicomModel>";
        HttpResponse<String> r = archive.stow("/dicomweb/studies",
                new Multipart().contentType(XML_BODY).part("application/dicom+xml", xxe.getBytes(StandardCharsets.UTF_8)).end());
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(!r.body().contains("root:"), r.body());
    }
    @Test
    void inlineBinaryPixelDataAndAnApplicationDicomPartInTheSameBodyAreStoredToo() throws Exception {
        TestArchive archive = shared();
        String study = Uids.generate(), series = Uids.generate();
        DataSet inline = GeneratedCt.ct(study, series, Uids.generate(), "In^Line", "PI1", 1); // its pixels as InlineBinary
        DataSet file = GeneratedCt.ct(study, series, Uids.generate(), "In^Line", "PI1", 2);
        HttpResponse<String> r = archive.stow("/dicomweb/studies", new Multipart().contentType(JSON_BODY)
                .part("application/dicom+json", jsonArray(inline))
                .part("application/dicom", GeneratedCt.part10(file, dev.stratus.codec.TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).end());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, json.read(r.body()).getItems(Tag.ReferencedSOPSequence).size(), r.body());
        assertArrayEquals(inline.getBytes(Tag.PixelData), retrieve(archive, inline).getBytes(Tag.PixelData));
        assertArrayEquals(file.getBytes(Tag.PixelData), retrieve(archive, file).getBytes(Tag.PixelData));
    }

    @Test
    void metadataInstancesCountAgainstThePartLimitAndThoseBeyondAreNotStored() throws Exception {
        try (TestArchive archive = new TestArchive(dir.resolve("max-parts"), s -> s.withStowMaxParts(3))) {
            String study = Uids.generate(), series = Uids.generate();
            DataSet[] four = new DataSet[4];
            for (int i = 0; i < 4; i++) four[i] = GeneratedCt.ct(study, series, Uids.generate(), "Li^Mit", "PL1", i + 1);
            Multipart body = new Multipart().contentType(JSON_BODY)
                    .part("application/dicom+json", jsonArray(four[0], four[1]))
                    .part("application/dicom+json", jsonArray(four[2], four[3])).end();
            HttpResponse<String> r = archive.stow("/dicomweb/studies", body);
            assertEquals(202, r.statusCode(), r.body());
            DataSet answer = json.read(r.body());
            assertEquals(2, answer.getItems(Tag.ReferencedSOPSequence).size(), r.body());
            assertTrue(answer.getItems(Tag.FailedSOPSequence).getFirst().getString(ReasonText).contains("more than 3 parts and metadata instances"), r.body());
        }
    }
    @Test
    void onePartNamedByManyInstancesIsStoredOnceAndTheOthersFailSoThatASmallBodyCannotFillTheDisk() throws Exception {
        TestArchive archive = shared();
        String study = Uids.generate(), series = Uids.generate();
        DataSet[] three = new DataSet[3];
        for (int i = 0; i < 3; i++) three[i] = withPixelUri(GeneratedCt.ct(study, series, Uids.generate(), "Am^Plify", "PA1", i + 1), "shared", VR.OW);
        Multipart body = new Multipart().contentType(JSON_BODY).part("application/dicom+json", jsonArray(three));
        bulk(body, "shared", "application/octet-stream", new byte[GeneratedCt.FRAME_SIZE]).end();

        HttpResponse<String> r = archive.stow("/dicomweb/studies", body);
        assertEquals(202, r.statusCode(), r.body());
        DataSet answer = json.read(r.body());
        assertEquals(1, answer.getItems(Tag.ReferencedSOPSequence).size(), r.body());
        List<DataSet> failed = answer.getItems(Tag.FailedSOPSequence);
        assertEquals(2, failed.size(), r.body());
        for (DataSet f : failed) {
            assertEquals(0xA700, f.getInt(Tag.FailureReason, -1));
            assertTrue(f.getString(ReasonText).contains("use more bulk data than it sent"), r.body());
        }
    }

    @Test
    void anOddLengthFrameIsPaddedToEvenLengthInItsFragment() throws Exception {
        byte[] source = pydicom("MR_small_jpeg_ls_lossless.dcm");
        byte[] frame = frames(source).getFirst();
        byte[] odd = java.util.Arrays.copyOf(frame, frame.length + 1); // a byte after the EOI marker, which decoders ignore
        odd[frame.length] = 0x55;
        TestArchive archive = shared();
        DataSet metadata = DicomReader.read(source).dataSet();
        String sop = Uids.generate();
        metadata.setString(Tag.SOPInstanceUID, VR.UI, sop);
        withPixelUri(metadata, "odd", VR.OB);
        Multipart body = new Multipart().contentType(JSON_BODY).part("application/dicom+json", jsonArray(metadata));
        bulk(body, "odd", "image/jls", odd).end();

        HttpResponse<String> r = archive.stow("/dicomweb/studies", body);
        assertEquals(200, r.statusCode(), r.body());
        assertArrayEquals(java.util.Arrays.copyOf(odd, odd.length + 1), frames(retrieveBytes(archive, metadata)).getFirst(), "padded with 00H");
        dcmdump(storedFile(archive, sop));
    }
    /**
     * PS3.18 10.5.1.4: the Image Pixel Description attributes may be left out for compressed frames. Each file's frame
     * is sent with metadata stripped of them; the stored instance has the file's own values, read from the frame's
     * header (PixelRepresentation only where the stream says it: JPEG 2000).
     */
    @Test
    void imagePixelAttributesLeftOutForCompressedFramesAreReadFromTheFrameHeader() throws Exception {
        int[] macro = {Tag.Rows, Tag.Columns, Tag.SamplesPerPixel, Tag.PhotometricInterpretation, Tag.BitsAllocated,
                Tag.BitsStored, Tag.HighBit, Tag.PixelRepresentation, Tag.PlanarConfiguration};
        String[][] files = {{"MR_small_jpeg_ls_lossless.dcm", "image/jls"}, {"JPEG-lossy.dcm", "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.51"},
                {"JPEG2000.dcm", "image/jp2; transfer-syntax=1.2.840.10008.1.2.4.91"}, {"SC_rgb_jpeg_dcmtk.dcm", "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50"}};
        TestArchive archive = shared();
        for (String[] f : files) {
            byte[] source = pydicom(f[0]);
            DataSet original = DicomReader.read(source).dataSet();
            DataSet metadata = DicomReader.read(source).dataSet();
            for (int tag : macro) metadata.remove(tag);
            String sop = Uids.generate();
            metadata.setString(Tag.SOPInstanceUID, VR.UI, sop);
            withPixelUri(metadata, "frame", VR.OB);
            Multipart body = new Multipart().contentType(JSON_BODY).part("application/dicom+json", jsonArray(metadata));
            bulk(body, "frame", f[1], frames(source).getFirst()).end();

            HttpResponse<String> r = archive.stow("/dicomweb/studies", body);
            assertEquals(200, r.statusCode(), f[0] + ": " + r.body());
            DataSet back = retrieve(archive, metadata);
            for (int tag : macro) {
                if (tag == Tag.PixelRepresentation && !f[1].startsWith("image/jp2")) continue; // JPEG streams do not say
                assertEquals(original.getString(tag), back.getString(tag), f[0] + " " + Tag.toString(tag));
            }
            dcmdump(storedFile(archive, sop));
        }
    }
}

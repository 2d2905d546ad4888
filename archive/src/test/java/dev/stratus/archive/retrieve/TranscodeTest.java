package dev.stratus.archive.retrieve;

import dev.stratus.archive.Archive;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.ValueElement;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A compressed instance asked for in Explicit VR Little Endian is decoded into a Part 10 file DCMTK reads as its own. */
class TranscodeTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} as Explicit VR Little Endian equals {1}''s decoding")
    @CsvSource({
            "SC_rgb_rle_2frame.dcm, dcmdrle",
            "SC_rgb_rle_16bit_2frame.dcm, dcmdrle",
            "rtdose_rle.dcm, dcmdrle",
            "SC_rgb_jpeg_dcmtk.dcm, dcmdjpeg",
            "SC_rgb_dcmtk_+eb+cy+np.dcm, dcmdjpeg",
            "MR_small_jpeg_ls_lossless.dcm, dcmdjpls",
    })
    void compressedInstanceIsServedDecodedAsTheOracleDecodesIt(String name, String tool) throws Exception {
        Path file = TestFiles.file(name);
        requireTool(tool);
        try (Archive archive = Archive.open(Archive.Settings.in(dir.resolve("archive")))) {
            StoredInstance stored = ingest(archive, file);
            assertTrue(RetrieveService.canServe(stored.transferSyntaxUid(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            archive.retrieve().writeInstance(stored, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, out);
            Path ours = dir.resolve("ours.dcm");
            Files.write(ours, out.toByteArray());

            DicomFile served = DicomReader.read(out.toByteArray());
            DataSet oracle = oracle(tool, file);
            assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, served.transferSyntax());
            assertEquals("1.2.840.10008.1.2.1", served.fileMeta().getString(Tag.TransferSyntaxUID).strip());
            for (int tag : new int[] {Tag.PhotometricInterpretation, Tag.Rows, Tag.Columns, Tag.SOPInstanceUID, Tag.NumberOfFrames}) {
                assertEquals(trim(oracle.getString(tag)), trim(served.dataSet().getString(tag)), Tag.toString(tag));
            }
            byte[] expected = pixels(oracle), actual = pixels(served.dataSet());
            if (oracle.getInt(Tag.PlanarConfiguration, 0) == 1) {
                assumeTrue(false, "oracle wrote colour-by-plane; compared in the imaging module");
            }
            assertArrayEquals(expected, actual, "pixel data");
            assertEquals(0, run("dcmdump", "-q", ours.toString()), "DCMTK reads the served file");
        }
    }

    @ParameterizedTest(name = "{0} encoded as {1} and decoded by {2} gives the original pixels")
    @CsvSource({
            "CT_small.dcm, 1.2.840.10008.1.2.5, dcmdrle",
            "SC_rgb_rle_16bit_2frame.dcm, 1.2.840.10008.1.2.4.80, dcmdjpls",
            "MR_small_jpeg_ls_lossless.dcm, 1.2.840.10008.1.2.5, dcmdrle",
            "CT_small.dcm, 1.2.840.10008.1.2.4.80, dcmdjpls",
            "SC_rgb_rle_2frame.dcm, 1.2.840.10008.1.2.4.80, dcmdjpls",
            "rtdose_rle.dcm, 1.2.840.10008.1.2.5, dcmdrle",
            "CT_small.dcm, 1.2.840.10008.1.2.4.90, gdcmconv",
            "SC_rgb_rle_2frame.dcm, 1.2.840.10008.1.2.4.90, gdcmconv",
            "MR_small_jpeg_ls_lossless.dcm, 1.2.840.10008.1.2.4.90, gdcmconv",
            "SC_rgb_rle_16bit.dcm, 1.2.840.10008.1.2.4.90, gdcmconv",
    })
    void losslessEncodingIsDecodedByDcmtkToTheOriginalPixels(String name, String syntax, String tool) throws Exception {
        Path file = TestFiles.file(name);
        requireTool(tool);
        TransferSyntax wanted = TransferSyntax.of(syntax);
        try (Archive archive = Archive.open(Archive.Settings.in(dir.resolve("archive")))) {
            StoredInstance stored = ingest(archive, file);
            assumeTrue(dev.stratus.imaging.FrameEncoders.canEncode(wanted) || "true".equals(System.getenv("CI")), "no encoder for " + syntax);
            assertTrue(RetrieveService.canServe(stored.transferSyntaxUid(), wanted));
            ByteArrayOutputStream original = new ByteArrayOutputStream(), encoded = new ByteArrayOutputStream();
            archive.retrieve().writeInstance(stored, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, original);
            archive.retrieve().writeInstance(stored, wanted, encoded);
            Path ours = dir.resolve("encoded.dcm");
            Files.write(ours, encoded.toByteArray());
            assertEquals(wanted, DicomReader.read(encoded.toByteArray()).transferSyntax());
            DataSet oracle = oracle(tool, ours);
            DataSet source = DicomReader.read(original.toByteArray()).dataSet();
            assertArrayEquals(pixels(source), pixels(oracle), "pixel data after " + wanted.name() + " and " + tool);
            assertEquals(trim(source.getString(Tag.PhotometricInterpretation)), trim(oracle.getString(Tag.PhotometricInterpretation)));
            assertEquals(trim(source.getString(Tag.SOPInstanceUID)), trim(oracle.getString(Tag.SOPInstanceUID)));
        }
    }

    @Test
    void jpegBaselineOnRequestIsMarkedLossyAndDecodesCloseToTheOriginal() throws Exception {
        requireTool("dcmdjpeg");
        try (Archive archive = Archive.open(Archive.Settings.in(dir.resolve("archive")))) {
            StoredInstance stored = ingest(archive, TestFiles.file("SC_rgb_rle_2frame.dcm"));
            ByteArrayOutputStream original = new ByteArrayOutputStream(), encoded = new ByteArrayOutputStream();
            archive.retrieve().writeInstance(stored, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, original);
            archive.retrieve().writeInstance(stored, TransferSyntax.of("1.2.840.10008.1.2.4.50"), encoded);
            Path ours = dir.resolve("lossy.dcm");
            Files.write(ours, encoded.toByteArray());
            DataSet lossy = DicomReader.read(encoded.toByteArray()).dataSet();
            assertEquals("01", trim(lossy.getString(Tag.LossyImageCompression)), "C.7.6.1.1.5");
            assertEquals("ISO_10918_1", trim(lossy.getString(Tag.LossyImageCompressionMethod)));
            assertTrue(Double.parseDouble(lossy.getString(Tag.LossyImageCompressionRatio)) > 1, lossy.getString(Tag.LossyImageCompressionRatio));
            assertEquals("YBR_FULL", trim(lossy.getString(Tag.PhotometricInterpretation)));
            DataSet oracle = oracle("dcmdjpeg", ours);
            assertEquals("RGB", trim(oracle.getString(Tag.PhotometricInterpretation)));
            byte[] a = pixels(DicomReader.read(original.toByteArray()).dataSet()), b = pixels(oracle);
            assertEquals(a.length, b.length);
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                double d = (a[i] & 0xFF) - (b[i] & 0xFF);
                sum += d * d;
            }
            double psnr = 10 * Math.log10(255.0 * 255.0 * a.length / Math.max(sum, 1e-9));
            assertTrue(psnr >= 30, "quality 90 gives at least 30 dB; got " + psnr);
        }
    }

    @Test
    void sixteenBitPixelsAskedForAsJpegBaselineAreRefusedBeforeAnythingIsWritten() throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(dir.resolve("archive")))) {
            StoredInstance stored = ingest(archive, TestFiles.file("CT_small.dcm"));
            TransferSyntax baseline = TransferSyntax.of("1.2.840.10008.1.2.4.50");
            assertTrue(RetrieveService.canServe(stored.transferSyntaxUid(), baseline), "by syntax alone it could");
            NotAcceptableException e = assertThrows(NotAcceptableException.class, () -> archive.retrieve().checkEncodable(stored, baseline));
            assertTrue(e.getMessage().contains("8-bit") && e.getMessage().contains("1.2.840.10008.1.2.4.80"), e.getMessage());
            archive.retrieve().checkEncodable(stored, TransferSyntax.of("1.2.840.10008.1.2.4.80"));
        }
    }

    @Test
    void framesSplitOverSeveralFragmentsWithoutOffsetTableAreFoundByTheirStartOfImage() throws Exception {
        DicomFile source = DicomReader.read(Files.readAllBytes(TestFiles.file("SC_rgb_jpeg_dcmtk.dcm")));
        byte[] frame = ((dev.stratus.codec.FragmentsElement) source.dataSet().get(Tag.PixelData)).dataFragments().getFirst().bytes();
        int half = (frame.length / 2) & ~1;
        byte[] a = java.util.Arrays.copyOf(frame, half), b = java.util.Arrays.copyOfRange(frame, half, frame.length);
        DataSet ds = source.dataSet();
        ds.setString(Tag.NumberOfFrames, dev.stratus.codec.VR.IS, "2");
        ds.setString(Tag.SOPInstanceUID, dev.stratus.codec.VR.UI, dev.stratus.codec.Uids.generate());
        ds.put(new dev.stratus.codec.FragmentsElement(Tag.PixelData, dev.stratus.codec.VR.OB, List.of(
                new dev.stratus.codec.Fragment(0, 0, new byte[0]), new dev.stratus.codec.Fragment(0, a.length, a),
                new dev.stratus.codec.Fragment(0, b.length, b), new dev.stratus.codec.Fragment(0, a.length, a),
                new dev.stratus.codec.Fragment(0, b.length, b))));
        Path file = dir.resolve("two-frames.dcm");
        try (var out = Files.newOutputStream(file)) {
            dev.stratus.codec.DicomWriter.writeFile(out, ds, source.transferSyntax(), null);
        }
        try (Archive archive = Archive.open(Archive.Settings.in(dir.resolve("archive")))) {
            StoredInstance stored = ingest(archive, file);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            archive.retrieve().writeInstance(stored, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, out);
            byte[] pixels = pixels(DicomReader.read(out.toByteArray()).dataSet());
            var pixel = dev.stratus.imaging.ImagePixel.of(source.dataSet());
            byte[] one = new dev.stratus.imaging.JpegDecoder().decode(frame, pixel).pixels();
            assertEquals(2 * one.length, pixels.length);
            assertArrayEquals(one, java.util.Arrays.copyOf(pixels, one.length));
            assertArrayEquals(one, java.util.Arrays.copyOfRange(pixels, one.length, pixels.length));
        }
    }

    @Test
    void aSyntaxWithoutDecoderIsRefusedNamingWhatCanBeServed() throws Exception {
        String why = RetrieveService.servableAs("1.2.840.10008.1.2.4.100");
        assertTrue(why.contains("as stored") && why.contains("MPEG2"), why);
        assertTrue(!RetrieveService.canServe("1.2.840.10008.1.2.4.100", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        assertThrows(NotAcceptableException.class, () -> {
            try (Archive archive = Archive.open(Archive.Settings.in(dir.resolve("archive")))) {
                StoredInstance stored = ingest(archive, TestFiles.file("SC_rgb_rle.dcm"));
                archive.retrieve().writeInstance(stored, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, new ByteArrayOutputStream());
            }
        });
    }

    private static StoredInstance ingest(Archive archive, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            archive.ingest().ingest(TenantId.DEFAULT, in, null, "test");
        }
        DataSet ds = DicomReader.read(Files.readAllBytes(file)).dataSet();
        List<StoredInstance> found = archive.retrieve().find(TenantId.DEFAULT, trim(ds.getString(Tag.StudyInstanceUID)),
                trim(ds.getString(Tag.SeriesInstanceUID)), trim(ds.getString(Tag.SOPInstanceUID)));
        return found.getFirst();
    }

    private DataSet oracle(String tool, Path file) throws Exception {
        Path out = dir.resolve("oracle.dcm");
        int rc = tool.equals("gdcmconv") ? run(tool, "--raw", file.toString(), out.toString()) : run(tool, file.toString(), out.toString());
        assertEquals(0, rc, tool + " failed");
        return DicomReader.read(Files.readAllBytes(out)).dataSet();
    }

    private static byte[] pixels(DataSet ds) {
        byte[] b = ((ValueElement) ds.get(Tag.PixelData)).bytes();
        return b;
    }

    private static String trim(String s) { return s == null ? null : s.strip(); }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    static void requireTool(String tool) {
        for (String d : System.getenv("PATH").split(":")) if (Files.isExecutable(Path.of(d, tool))) return;
        String pkg = tool.equals("gdcmconv") ? "libgdcm-tools" : "dcmtk";
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(tool + " missing: apt-get install " + pkg);
        assumeTrue(false, tool + " not installed: test skipped");
    }
}

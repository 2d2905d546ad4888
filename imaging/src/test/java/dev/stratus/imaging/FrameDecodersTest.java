package dev.stratus.imaging;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.TransferSyntax;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every decoder, pixel for pixel against DCMTK or GDCM on pydicom's compressed test files. */
class FrameDecodersTest {
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} decoded as {1} does")
    @CsvSource({
            "MR_small_RLE.dcm, dcmdrle",
            "SC_rgb_rle.dcm, dcmdrle",
            "SC_rgb_rle_16bit.dcm, dcmdrle",
            "SC_rgb_rle_16bit_2frame.dcm, dcmdrle",
            "SC_rgb_rle_2frame.dcm, dcmdrle",
            "SC_rgb_rle_32bit.dcm, dcmdrle",
            "SC_rgb_rle_32bit_2frame.dcm, dcmdrle",
            "rtdose_rle.dcm, dcmdrle",
            "rtdose_rle_1frame.dcm, dcmdrle",
            "SC_rgb_jpeg_dcmtk.dcm, dcmdjpeg",
            "SC_rgb_small_odd_jpeg.dcm, dcmdjpeg",
            "SC_rgb_dcmtk_+eb+cr.dcm, dcmdjpeg",
            "SC_rgb_dcmtk_+eb+cy+n1.dcm, dcmdjpeg",
            "SC_rgb_dcmtk_+eb+cy+n2.dcm, dcmdjpeg",
            "SC_rgb_dcmtk_+eb+cy+np.dcm, dcmdjpeg",
            "SC_rgb_dcmtk_+eb+cy+s2.dcm, dcmdjpeg",
            "SC_rgb_dcmtk_+eb+cy+s4.dcm, dcmdjpeg",
            "SC_jpeg_no_color_transform.dcm, dcmdjpeg",
            "SC_jpeg_no_color_transform_2.dcm, dcmdjpeg",
            "SC_rgb_jpeg_app14_dcmd.dcm, dcmdjpeg",
            "SC_rgb_jpeg_lossy_gdcm.dcm, dcmdjpeg",
            "SC_rgb_jpeg_gdcm.dcm, dcmdjpeg",
            "JPGExtended.dcm, dcmdjpeg",
            "JPEG-lossy.dcm, dcmdjpeg",
            "MR_small_jpeg_ls_lossless.dcm, dcmdjpls",
            "MR_small_jp2klossless.dcm, gdcmconv",
            "JPEG2000.dcm, gdcmconv",
            "693_J2KI.dcm, gdcmconv",
            "GDCMJ2K_TextGBR.dcm, gdcmconv",
            "SC_rgb_gdcm_KY.dcm, gdcmconv",
    })
    void decodesAsTheOracleDoes(String name, String tool) throws Exception {
        assertDecodesAs(TestFiles.file(name), name, tool);
    }

    /** 16-bit signed lossless JPEG (GDCM's decoder where installed, else TwelveMonkeys), as DCMTK writes and reads it. */
    @ParameterizedTest(name = "{0} compressed by dcmcjpeg {1} decoded as dcmdjpeg does")
    @CsvSource({"CT_small.dcm, +e1", "MR_small.dcm, +e1", "CT_small.dcm, +el", "MR_small.dcm, +el"})
    void losslessJpegOf16BitPixelsAsDcmdjpegDoes(String name, String option) throws Exception {
        Oracle.require("dcmcjpeg", "dcmtk");
        Path compressed = work.resolve("lossless-" + name);
        Process p = new ProcessBuilder("dcmcjpeg", option, TestFiles.file(name).toString(), compressed.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        assertDecodesAs(compressed, name, "dcmdjpeg");
    }

    private void assertDecodesAs(Path file, String name, String tool) throws Exception {
        Oracle.require(tool, tool.equals("gdcmconv") ? "libgdcm-tools" : "dcmtk");
        DicomFile f = DicomReader.read(Files.readAllBytes(file));
        TransferSyntax ts = f.transferSyntax();
        String why = FrameDecoders.unsupported(ts);
        if (why == null && (name.startsWith("JPGExtended") || name.startsWith("JPEG-lossy"))) why = Gdcm.available() ? null : Gdcm.absence();
        if (why != null && "true".equals(System.getenv("CI"))) throw new IllegalStateException(why);
        assumeTrue(why == null, why);

        ImagePixel pixel = ImagePixel.of(f.dataSet());
        List<byte[]> frames = EncapsulatedFrames.split((FragmentsElement) f.dataSet().get(Tag.PixelData), pixel.frames());
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        ImagePixel decoded = null;
        for (byte[] frame : frames) {
            DecodedFrame d = FrameDecoders.of(ts).decode(frame, pixel);
            decoded = d.pixel();
            ours.writeBytes(d.pixels());
        }

        Oracle oracle = Oracle.decode(file, work, tool.equals("gdcmconv") ? new String[] {"gdcmconv", "--raw"} : new String[] {tool});
        DataSet o = oracle.dataSet();
        assertEquals(o.getString(Tag.PhotometricInterpretation).strip(), decoded.photometric(), "photometric interpretation");
        byte[] expected = oracle.pixels();
        ImagePixel oraclePixel = ImagePixel.of(o);
        if (oraclePixel.planarConfiguration() == 1 && oraclePixel.samplesPerPixel() > 1) expected = interleave(expected, oraclePixel);
        byte[] actual = ours.toByteArray();
        assertEquals(expected.length + (expected.length & 1), actual.length + (actual.length & 1), "pixel data length");
        for (int i = 0; i < actual.length; i++) {
            if (expected[i] != actual[i]) {
                assertArrayEquals(expected, actual, "first difference at byte " + i + " of " + actual.length);
            }
        }
    }

    private static byte[] interleave(byte[] planar, ImagePixel p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frame = p.frameBytes();
        for (int n = 0; n < p.frames(); n++) {
            byte[] one = java.util.Arrays.copyOfRange(planar, n * frame, (n + 1) * frame);
            out.writeBytes(Planes.interleave(one, p.pixels(), p.samplesPerPixel(), p.bytesPerSample()));
        }
        return out.toByteArray();
    }
}

package dev.stratus.imaging;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Fragment;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * 8-bit JPEG through libjpeg-turbo (TurboJPEG over FFM): decoded as the Java path and DCMTK decode it, coded close to the
 * original as DCMTK and ImageIO read it back, and the Java path serving alone when the library is absent.
 */
class TurboJpegTest {
    /** The same binding over a library that is not there: what a machine without libturbojpeg0 runs. */
    private static final TurboJpeg ABSENT = new TurboJpeg(NativeLibrary.open("libturbojpeg-absent.so.0", "libturbojpeg0"));
    private static final int EDGE = 512;

    @TempDir
    Path work;

    @BeforeAll
    static void requireLibrary() {
        if (TurboJpeg.INSTALLED.available()) return;
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(TurboJpeg.INSTALLED.absence());
        assumeTrue(false, TurboJpeg.INSTALLED.absence() + ": TurboJPEG tests skipped");
    }

    @ParameterizedTest(name = "{0}: by TurboJPEG {1}, as TwelveMonkeys' raster read gives it")
    @CsvSource({
            "SC_rgb_jpeg_dcmtk.dcm, true", // YBR_FULL, 4:4:4
            "SC_rgb_small_odd_jpeg.dcm, true", // 3x3
            "SC_rgb_dcmtk_+eb+cr.dcm, true", // coded as RGB
            "SC_rgb_dcmtk_+eb+cy+n1.dcm, true", // 4:2:0
            "SC_rgb_dcmtk_+eb+cy+n2.dcm, true", // 4:2:2
            "SC_rgb_dcmtk_+eb+cy+np.dcm, true", // YBR_FULL_422, 4:2:0
            "SC_rgb_dcmtk_+eb+cy+s2.dcm, true", // YBR_FULL_422, 4:2:2
            "SC_rgb_dcmtk_+eb+cy+s4.dcm, true",
            "SC_jpeg_no_color_transform_2.dcm, true",
            "SC_rgb_jpeg_app14_dcmd.dcm, true", // Adobe transform 0
            // the data set says RGB of a stream libjpeg reads as YCbCr: the samples are given as coded, which TurboJPEG does not do
            "SC_jpeg_no_color_transform.dcm, false",
            "SC_rgb_jpeg_lossy_gdcm.dcm, false",
    })
    void baselineFramesDecodeAsTheJavaDecoderDoes(String name, boolean natively) throws Exception {
        DicomFile f = DicomReader.read(Files.readAllBytes(TestFiles.file(name)));
        ImagePixel pixel = ImagePixel.of(f.dataSet());
        byte[] frame = EncapsulatedFrames.split((FragmentsElement) f.dataSet().get(Tag.PixelData), pixel.frames()).getFirst();
        DecodedFrame turbo = new JpegDecoder().turboDecoded(frame, JpegHeader.parse(frame), pixel);
        assertEquals(natively, turbo != null, "decoded by TurboJPEG");
        DecodedFrame served = new JpegDecoder().decode(frame, pixel), java = new JpegDecoder(ABSENT).decode(frame, pixel);
        assertEquals(java.pixel(), served.pixel());
        assertArrayEquals(java.pixels(), served.pixels(), "the same samples as TwelveMonkeys' raster read");
    }

    @Test
    void greyBaselineWrittenByDcmcjpegDecodesAsDcmdjpegDoes() throws Exception {
        Oracle.require("dcmcjpeg", "dcmtk");
        Path source = write(image(greyCt(), 1, "MONOCHROME2"), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Path compressed = work.resolve("grey-baseline.dcm");
        assertEquals(0, new ProcessBuilder("dcmcjpeg", "+eb", source.toString(), compressed.toString()).inheritIO().start().waitFor());
        DicomFile f = DicomReader.read(Files.readAllBytes(compressed));
        ImagePixel pixel = ImagePixel.of(f.dataSet());
        byte[] frame = EncapsulatedFrames.split((FragmentsElement) f.dataSet().get(Tag.PixelData), 1).getFirst();
        DecodedFrame ours = new JpegDecoder().turboDecoded(frame, JpegHeader.parse(frame), pixel);
        assertNotNull(ours, "decoded by TurboJPEG");
        Oracle oracle = Oracle.decode(compressed, work, "dcmdjpeg");
        assertArrayEquals(oracle.pixels(), ours.pixels(), "pixel for pixel as dcmdjpeg");
    }

    /** Quality 90 (the server's): at least 40 dB from the original as dcmdjpeg decodes it; 4:4:4, as YBR_FULL says. */
    @ParameterizedTest(name = "{0} samples per pixel")
    @ValueSource(ints = {1, 3})
    void framesCodedAsJpegBaselineDecodeCloseToTheOriginal(int samples) throws Exception {
        Oracle.require("dcmdjpeg", "dcmtk");
        DataSet original = samples == 1 ? image(greyCt(), 1, "MONOCHROME2") : image(colour(), 3, "RGB");
        ImagePixel pixel = ImagePixel.of(original);
        byte[] pixels = original.getBytes(Tag.PixelData);
        JpegBaselineEncoder encoder = new JpegBaselineEncoder(JpegBaselineEncoder.DEFAULT_QUALITY);
        byte[] coded = encoder.encode(new DecodedFrame(pixels, pixel));
        assertEquals(0, coded.length & 1, "even fragment");
        int[] factors = samplingFactors(coded);
        for (int f : factors) assertEquals(0x11, f, "every component sampled 1x1 (4:4:4)");

        ImagePixel encodedPixel = encoder.encodedPixel(pixel);
        DataSet ds = image(pixels, samples, encodedPixel.photometric());
        ds.put(new FragmentsElement(Tag.PixelData, VR.OB, List.of(new Fragment(0, 0, new byte[0]), new Fragment(0, coded.length, coded))));
        Oracle oracle = Oracle.decode(write(ds, TransferSyntax.of(FrameEncoders.JPEG_BASELINE)), work, "dcmdjpeg");
        assertEquals(samples == 1 ? "MONOCHROME2" : "RGB", oracle.dataSet().getString(Tag.PhotometricInterpretation).strip());
        double psnr = psnr(pixels, oracle.pixels());
        System.out.printf("frame, %d sample(s), quality 90: %d bytes, PSNR %.1f dB against dcmdjpeg%n", samples, coded.length, psnr);
        assertTrue(psnr >= 40, "PSNR " + psnr);
        // and our own decoder (TurboJPEG again) reads it as DCMTK does
        DecodedFrame back = new JpegDecoder().decode(coded, encodedPixel);
        assertArrayEquals(oracle.pixels(), back.pixels());
    }

    @Test
    void qualityIsHonoured() throws Exception {
        ImagePixel pixel = ImagePixel.of(image(colour(), 3, "RGB"));
        DecodedFrame frame = new DecodedFrame(colour(), pixel);
        byte[] low = new JpegBaselineEncoder(20).encode(frame), high = new JpegBaselineEncoder(95).encode(frame);
        assertTrue(low.length < high.length / 2, low.length + " bytes at quality 20, " + high.length + " at 95");
        ImagePixel coded = new JpegBaselineEncoder(20).encodedPixel(pixel);
        double lowPsnr = psnr(colour(), new JpegDecoder().decode(low, coded).pixels());
        double highPsnr = psnr(colour(), new JpegDecoder().decode(high, coded).pixels());
        assertTrue(lowPsnr + 5 < highPsnr, lowPsnr + " dB at quality 20, " + highPsnr + " at 95");

        BufferedImage image = bgr(colour());
        byte[] lowRendered = RenderedImage.encode(image, "image/jpeg", 20), highRendered = RenderedImage.encode(image, "image/jpeg", 95);
        assertTrue(lowRendered.length < highRendered.length / 2, lowRendered.length + " bytes at quality 20, " + highRendered.length + " at 95");
    }

    /** Rendered JPEG: grey as grey, colour with 4:2:0 chroma (as ImageIO wrote it); read back by ImageIO within 35 dB at 90. */
    @ParameterizedTest(name = "{0} samples per pixel")
    @ValueSource(ints = {1, 3})
    void renderedJpegReadsBackCloseToTheImage(int samples) throws Exception {
        BufferedImage image = samples == 1 ? grey(greyCt()) : bgr(colour());
        byte[] turbo = RenderedImage.encode(image, "image/jpeg", 90), java = RenderedImage.encode(image, "image/jpeg", 90, ABSENT);
        int[] factors = samplingFactors(turbo);
        assertEquals(samples, factors.length);
        if (samples == 3) assertArrayEquals(new int[] {0x22, 0x11, 0x11}, factors, "4:2:0");
        assertArrayEquals(samplingFactors(java), factors, "the sampling ImageIO's writer chooses");
        double ours = psnr(image, ImageIO.read(new ByteArrayInputStream(turbo))), imageIo = psnr(image, ImageIO.read(new ByteArrayInputStream(java)));
        System.out.printf("rendered, %d sample(s), quality 90: TurboJPEG %d bytes %.1f dB, ImageIO %d bytes %.1f dB%n", samples, turbo.length,
                ours, java.length, imageIo);
        assertTrue(ours >= 35, "PSNR " + ours);
        assertTrue(ours >= imageIo - 0.5, "TurboJPEG " + ours + " dB, ImageIO " + imageIo);
    }

    @Test
    void withoutTheLibraryTheJavaCodersServe() throws Exception {
        assertFalse(ABSENT.available());
        assertTrue(ABSENT.absence().contains("apt-get install libturbojpeg0"), ABSENT.absence());
        ImagePixel pixel = ImagePixel.of(image(greyCt(), 1, "MONOCHROME2"));
        byte[] coded = new JpegBaselineEncoder(90, ABSENT).encode(new DecodedFrame(greyCt(), pixel));
        assertTrue(psnr(greyCt(), new JpegDecoder(ABSENT).decode(coded, pixel).pixels()) >= 40);
        assertArrayEquals(new JpegDecoder(ABSENT).decode(coded, pixel).pixels(), new JpegDecoder().decode(coded, pixel).pixels());
        BufferedImage image = grey(greyCt());
        assertTrue(psnr(image, ImageIO.read(new ByteArrayInputStream(RenderedImage.encode(image, "image/jpeg", 90, ABSENT)))) >= 35);
        assertThrows(UnsupportedPixelDataException.class, () -> ABSENT.compress(greyCt(), EDGE, EDGE, TurboJpeg.GRAY, TurboJpeg.SAMPLING_GRAY, 90));
    }

    @Test
    void aLibraryWithoutTurboJpegsFunctionsIsNotUsed() {
        TurboJpeg notTurbo = new TurboJpeg(NativeLibrary.open("libc.so.6", "libturbojpeg0"));
        assertFalse(notTurbo.available());
        assertTrue(notTurbo.absence().contains("tjInitCompress") && notTurbo.absence().contains("libturbojpeg0"), notTurbo.absence());
    }

    /** A stream cut short or garbled after its header: TurboJPEG's warning or error hands it to the Java decoder, whose answer stands. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"truncated", "garbled"})
    void corruptFramesGetTheJavaDecodersAnswer(String damage) throws Exception {
        ImagePixel pixel = ImagePixel.of(image(greyCt(), 1, "MONOCHROME2"));
        byte[] coded = new JpegBaselineEncoder(90).encode(new DecodedFrame(greyCt(), pixel));
        byte[] bad = damage.equals("truncated") ? Arrays.copyOf(coded, coded.length / 3) : coded.clone();
        if (damage.equals("garbled")) for (int i = coded.length / 3; i < coded.length - 2; i += 7) bad[i] = (byte) 0xFF;
        DecodedFrame java = null, served = null;
        Exception javaFailure = null, servedFailure = null;
        try {
            java = new JpegDecoder(ABSENT).decode(bad, pixel);
        } catch (PixelDataException e) {
            javaFailure = e;
        }
        try {
            served = new JpegDecoder().decode(bad, pixel);
        } catch (PixelDataException e) {
            servedFailure = e;
        }
        assertNull(new JpegDecoder().turboDecoded(bad, JpegHeader.parse(bad), pixel), "not TurboJPEG's to answer");
        assertEquals(javaFailure == null, servedFailure == null, "the same outcome: " + javaFailure + " / " + servedFailure);
        if (java != null) assertArrayEquals(java.pixels(), served.pixels());
    }

    @Test
    void aStreamOfOtherDimensionsThanExpectedIsNotDecoded() throws Exception {
        ImagePixel pixel = ImagePixel.of(image(greyCt(), 1, "MONOCHROME2"));
        byte[] coded = new JpegBaselineEncoder(90).encode(new DecodedFrame(greyCt(), pixel));
        try (TurboJpeg.Decompression stream = TurboJpeg.INSTALLED.decompression(coded)) {
            assertEquals(new TurboJpeg.Header(EDGE, EDGE, TurboJpeg.SAMPLING_GRAY, TurboJpeg.COLOUR_GRAY), stream.header());
            assertThrows(PixelDataException.class, () -> stream.pixels(EDGE, EDGE * 2, TurboJpeg.GRAY));
            assertThrows(PixelDataException.class, () -> stream.pixels(EDGE / 2, EDGE, TurboJpeg.GRAY));
        }
        try (TurboJpeg.Decompression stream = TurboJpeg.INSTALLED.decompression(new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0})) {
            assertThrows(PixelDataException.class, stream::header);
        }
    }

    // --- test images: 512x512, 8-bit, from pydicom's files (JPEG of real pictures, not of noise)

    /** CT_small (128x128, 16-bit) tiled 4x4, its values scaled to 0..255. */
    private static byte[] greyCt() throws Exception {
        DataSet ct = DicomReader.read(Files.readAllBytes(TestFiles.file("CT_small.dcm"))).dataSet();
        return tiled(ct, 128);
    }

    /** SC_rgb_jpeg_dcmd (256x256 RGB, the source of pydicom's colour JPEG files; flat colours) tiled 2x2, textured by the CT. */
    private static byte[] colour() throws Exception {
        byte[] rgb = DicomReader.read(Files.readAllBytes(TestFiles.file("SC_rgb_jpeg_dcmd.dcm"))).dataSet().getBytes(Tag.PixelData);
        byte[] ct = greyCt(), out = new byte[EDGE * EDGE * 3];
        for (int y = 0; y < EDGE; y++) {
            for (int x = 0; x < EDGE; x++) {
                for (int c = 0; c < 3; c++) {
                    int flat = rgb[((y % 256) * 256 + x % 256) * 3 + c] & 0xFF;
                    out[(y * EDGE + x) * 3 + c] = (byte) (flat * (128 + (ct[y * EDGE + x] & 0xFF) / 2) / 255);
                }
            }
        }
        return out;
    }

    private static byte[] tiled(DataSet ds, int edge) {
        byte[] words = ds.getBytes(Tag.PixelData);
        int[] v = new int[edge * edge];
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) ((words[2 * i] & 0xFF) | words[2 * i + 1] << 8);
            min = Math.min(min, v[i]);
            max = Math.max(max, v[i]);
        }
        byte[] out = new byte[EDGE * EDGE];
        for (int y = 0; y < EDGE; y++) {
            for (int x = 0; x < EDGE; x++) out[y * EDGE + x] = (byte) ((v[(y % edge) * edge + x % edge] - min) * 255L / Math.max(1, max - min));
        }
        return out;
    }

    private static DataSet image(byte[] pixels, int samples, String photometric) throws Exception {
        DataSet ds = DicomReader.read(Files.readAllBytes(TestFiles.file("CT_small.dcm"))).dataSet();
        for (int tag : new int[] {Tag.RescaleSlope, Tag.RescaleIntercept, Tag.WindowCenter, Tag.WindowWidth, Tag.SmallestImagePixelValue,
                Tag.LargestImagePixelValue}) {
            ds.remove(tag);
        }
        ds.setInt(Tag.Rows, VR.US, EDGE);
        ds.setInt(Tag.Columns, VR.US, EDGE);
        ds.setInt(Tag.SamplesPerPixel, VR.US, samples);
        if (samples == 3) ds.setInt(Tag.PlanarConfiguration, VR.US, 0);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, photometric);
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.put(new ValueElement(Tag.PixelData, VR.OB, pixels));
        return ds;
    }

    private Path write(DataSet ds, TransferSyntax ts) throws Exception {
        Path file = Files.createTempFile(work, "image", ".dcm");
        try (OutputStream out = Files.newOutputStream(file)) {
            DicomWriter.writeFile(out, ds, ts, null);
        }
        return file;
    }

    private static BufferedImage grey(byte[] pixels) {
        BufferedImage image = new BufferedImage(EDGE, EDGE, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, EDGE, EDGE, pixels);
        return image;
    }

    private static BufferedImage bgr(byte[] rgb) {
        BufferedImage image = new BufferedImage(EDGE, EDGE, BufferedImage.TYPE_3BYTE_BGR);
        int[] samples = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) samples[i] = rgb[i] & 0xFF;
        image.getRaster().setPixels(0, 0, EDGE, EDGE, samples);
        return image;
    }

    /** Each component's H and V sampling factors (one byte, H high) from the stream's SOF segment (T.81 B.2.2). */
    private static int[] samplingFactors(byte[] jpeg) {
        for (int pos = 2; pos + 4 < jpeg.length; ) {
            int marker = jpeg[pos + 1] & 0xFF, length = (jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF);
            if (marker == 0xC0 || marker == 0xC1) {
                int[] factors = new int[jpeg[pos + 9] & 0xFF];
                for (int c = 0; c < factors.length; c++) factors[c] = jpeg[pos + 11 + 3 * c] & 0xFF;
                return factors;
            }
            pos += 2 + length;
        }
        throw new AssertionError("no SOF0/SOF1 segment");
    }

    private static double psnr(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xFF) - (b[i] & 0xFF);
            sum += d * d;
        }
        return sum == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 * a.length / sum);
    }

    private static double psnr(BufferedImage a, BufferedImage b) {
        int bands = a.getRaster().getNumBands();
        assertEquals(bands, b.getRaster().getNumBands());
        return psnr(toBytes(a.getRaster().getPixels(0, 0, EDGE, EDGE, (int[]) null)), toBytes(b.getRaster().getPixels(0, 0, EDGE, EDGE, (int[]) null)));
    }

    private static byte[] toBytes(int[] samples) {
        byte[] out = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) out[i] = (byte) samples[i];
        return out;
    }
}

package dev.stratus.imaging;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.ValueElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rendered frames against DCMTK's dcmj2pnm for the same frame and window: PSNR of at least 40 dB. */
class FrameRendererTest {
    /** 40 dB: rounding differences of a grey level here and there, nothing a viewer would see. */
    static final double MIN_PSNR = 40;

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} with {1} renders as dcmj2pnm {2}")
    @CsvSource(delimiter = ';', value = {
            "CT_small.dcm; ; +Wm",
            "CT_small.dcm; 40,400; +Ww 40 400",
            "CT_small.dcm; 40,400,SIGMOID; +Ww 40 400 +Wfs",
            "MR_small.dcm; ; +Wi 1",
            "MR_small.dcm; 600,1200; +Ww 600 1200",
            "MR_small_RLE.dcm; ; +Wi 1",
            "rtdose_1frame.dcm; ; +Wm",
            "SC_rgb_rle.dcm; ; ",
            "SC_rgb_rle_2frame.dcm; ; ",
            "SC_rgb_jpeg_dcmtk.dcm; ; ",
            "SC_rgb_dcmtk_+eb+cy+n1.dcm; ; ",
            "SC_ybr_full_422_uncompressed.dcm; ; ",
    })
    void rendersAsDcmtkDoes(String name, String window, String options) throws Exception {
        Window w = null;
        if (window != null) {
            String[] p = window.split(",");
            w = new Window(Double.parseDouble(p[0]), Double.parseDouble(p[1]), p.length > 2 ? p[2] : null);
        }
        assertRendersAsDcmtk(TestFiles.file(name), w, options, work);
    }

    /** Renders the first frame of {@code file} here and with {@code dcmj2pnm options}, and compares (PSNR ≥ 40 dB). */
    static void assertRendersAsDcmtk(Path file, Window w, String options, Path work) throws Exception {
        Oracle.require("dcmj2pnm", "dcmtk");
        DicomFile f = DicomReader.read(Files.readAllBytes(file));
        DataSet ds = f.dataSet();
        DecodedFrame frame = firstFrame(f);
        BufferedImage ours = FrameRenderer.render(frame, ds, 1, w, null);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(RenderedImage.encode(ours, "image/png", 0)));

        List<String> cmd = new ArrayList<>(List.of("dcmj2pnm", "--write-png", "+F", "1"));
        if (options != null) cmd.addAll(Arrays.asList(options.split(" ")));
        Path out = work.resolve("oracle.png");
        cmd.add(file.toString());
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(work.resolve("log")));
        BufferedImage oracle = ImageIO.read(out.toFile());

        assertEquals(oracle.getWidth(), png.getWidth());
        assertEquals(oracle.getHeight(), png.getHeight());
        double psnr = psnr(oracle, png);
        assertTrue(psnr >= MIN_PSNR, file.getFileName() + ": PSNR " + psnr + " dB against dcmj2pnm " + options);
    }

    @Test
    void monochrome1IsInvertedAndTheViewportKeepsTheAspectRatio() throws Exception {
        byte[] pixels = new byte[4 * 2 * 2];
        for (int i = 0; i < 8; i++) {
            pixels[2 * i] = (byte) (i * 30);
        }
        ImagePixel mono1 = new ImagePixel(2, 4, 1, 16, 12, 0, 0, "MONOCHROME1", 1);
        BufferedImage img = FrameRenderer.render(new DecodedFrame(pixels, mono1), new DataSet(), 1, new Window(105, 200, "LINEAR"), null);
        assertEquals(255, img.getRaster().getSample(0, 0, 0), "the lowest value is white in MONOCHROME1");
        assertEquals(0, img.getRaster().getSample(3, 1, 0), "the highest is black");
        BufferedImage fitted = FrameRenderer.render(new DecodedFrame(pixels, mono1), new DataSet(), 1, null, Viewport.of(100, 100));
        assertEquals(100, fitted.getWidth());
        assertEquals(50, fitted.getHeight());
    }

    static DecodedFrame firstFrame(DicomFile f) throws Exception {
        ImagePixel pixel = ImagePixel.of(f.dataSet());
        if (f.dataSet().get(Tag.PixelData) instanceof FragmentsElement fragments) {
            return FrameDecoders.of(f.transferSyntax()).decode(EncapsulatedFrames.split(fragments, pixel.frames()).getFirst(), pixel);
        }
        byte[] all = ((ValueElement) f.dataSet().get(Tag.PixelData)).bytes();
        if (Ybr422.subsampled(pixel)) return Ybr422.expand(Arrays.copyOf(all, Ybr422.storedFrameBytes(pixel)), pixel);
        return new DecodedFrame(Arrays.copyOf(all, pixel.frameBytes()), pixel);
    }

    static double psnr(BufferedImage a, BufferedImage b) {
        double sum = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int pa = a.getRGB(x, y), pb = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    double d = ((pa >> s) & 0xFF) - ((pb >> s) & 0xFF);
                    sum += d * d;
                    n++;
                }
            }
        }
        double mse = sum / n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}

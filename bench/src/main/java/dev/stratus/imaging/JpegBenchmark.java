package dev.stratus.imaging;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * 8-bit JPEG in one JVM, TurboJPEG against the Java path of the same coders (ImageIO's writer, TwelveMonkeys' reader), for
 * {@code scripts/bench-decode}: 512x512 grey (CT_small tiled, scaled to 8 bits) and colour (SC_rgb_jpeg_dcmd tiled,
 * textured by the CT), coded at quality 90 and decoded back. In imaging's package to reach both paths (the Java one is
 * what runs without libturbojpeg0). Prints per operation "name turbo-ms java-ms turbo-cpu-ms java-cpu-ms": the best of
 * ROUNDS rounds of 20 operations, per operation, in elapsed time and in this thread's CPU time (less moved by other
 * processes on a loaded machine).
 * <pre>java -cp benchmarks.jar dev.stratus.imaging.JpegBenchmark ROUNDS CT_small.dcm SC_rgb_jpeg_dcmd.dcm</pre>
 */
public final class JpegBenchmark {
    private static final int EDGE = 512, PER_ROUND = 20;
    private static final TurboJpeg ABSENT = new TurboJpeg(NativeLibrary.open("libturbojpeg-absent.so.0", "libturbojpeg0"));

    public static void main(String[] args) throws Exception {
        if (!TurboJpeg.INSTALLED.available()) throw new IllegalStateException(TurboJpeg.INSTALLED.absence());
        int rounds = Integer.parseInt(args[0]);
        byte[] grey = grey(Path.of(args[1])), colour = colour(Path.of(args[2]), grey);
        ImagePixel greyPixel = new ImagePixel(EDGE, EDGE, 1, 8, 8, 0, 0, "MONOCHROME2", 1);
        ImagePixel rgbPixel = new ImagePixel(EDGE, EDGE, 3, 8, 8, 0, 0, "RGB", 1);
        DecodedFrame greyFrame = new DecodedFrame(grey, greyPixel), rgbFrame = new DecodedFrame(colour, rgbPixel);
        BufferedImage greyImage = new BufferedImage(EDGE, EDGE, BufferedImage.TYPE_BYTE_GRAY);
        greyImage.getRaster().setDataElements(0, 0, EDGE, EDGE, grey);
        BufferedImage colourImage = new BufferedImage(EDGE, EDGE, BufferedImage.TYPE_3BYTE_BGR);
        int[] samples = new int[colour.length];
        for (int i = 0; i < samples.length; i++) samples[i] = colour[i] & 0xFF;
        colourImage.getRaster().setPixels(0, 0, EDGE, EDGE, samples);

        JpegBaselineEncoder turboEncoder = new JpegBaselineEncoder(90), javaEncoder = new JpegBaselineEncoder(90, ABSENT);
        JpegDecoder turboDecoder = new JpegDecoder(), javaDecoder = new JpegDecoder(ABSENT);
        byte[] greyJpeg = turboEncoder.encode(greyFrame), ybrJpeg = turboEncoder.encode(rgbFrame);
        byte[] ybr420Jpeg = RenderedImage.encode(colourImage, "image/jpeg", 90); // 4:2:0, as dcmcjpeg's +n1 writes it
        ImagePixel ybr = turboEncoder.encodedPixel(rgbPixel), ybr422 = ybr.withPhotometric("YBR_FULL_422");

        List<Case> cases = new ArrayList<>();
        cases.add(new Case("rendered-jpeg-grey", () -> RenderedImage.encode(greyImage, "image/jpeg", 90),
                () -> RenderedImage.encode(greyImage, "image/jpeg", 90, ABSENT)));
        cases.add(new Case("rendered-jpeg-colour-420", () -> RenderedImage.encode(colourImage, "image/jpeg", 90),
                () -> RenderedImage.encode(colourImage, "image/jpeg", 90, ABSENT)));
        cases.add(new Case("frame-encode-grey", () -> turboEncoder.encode(greyFrame), () -> javaEncoder.encode(greyFrame)));
        cases.add(new Case("frame-encode-rgb-444", () -> turboEncoder.encode(rgbFrame), () -> javaEncoder.encode(rgbFrame)));
        cases.add(new Case("decode-grey", () -> turboDecoder.decode(greyJpeg, greyPixel), () -> javaDecoder.decode(greyJpeg, greyPixel)));
        cases.add(new Case("decode-ybr-444", () -> turboDecoder.decode(ybrJpeg, ybr), () -> javaDecoder.decode(ybrJpeg, ybr)));
        cases.add(new Case("decode-ybr-420", () -> turboDecoder.decode(ybr420Jpeg, ybr422), () -> javaDecoder.decode(ybr420Jpeg, ybr422)));
        for (Case c : cases) {
            double[] turbo = bestMs(c.turbo(), rounds), java = bestMs(c.java(), rounds);
            System.out.printf("%s %.3f %.3f %.3f %.3f%n", c.name(), turbo[0], java[0], turbo[1], java[1]);
        }
    }

    record Case(String name, Callable<Object> turbo, Callable<Object> java) {}

    /** Elapsed and CPU ms per operation, each the best of {@code rounds} rounds (the first ones warm the JIT up). */
    private static double[] bestMs(Callable<Object> op, int rounds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE, bestCpu = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime(), cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < PER_ROUND; i++) if (op.call() == null) throw new IllegalStateException();
            best = Math.min(best, System.nanoTime() - start);
            bestCpu = Math.min(bestCpu, threads.getCurrentThreadCpuTime() - cpu);
        }
        return new double[] {best / 1e6 / PER_ROUND, bestCpu / 1e6 / PER_ROUND};
    }

    private static byte[] grey(Path ctSmall) throws Exception {
        DataSet ct = DicomReader.read(Files.readAllBytes(ctSmall)).dataSet();
        byte[] words = ct.getBytes(Tag.PixelData);
        int edge = ct.getInt(Tag.Columns, 0), rows = ct.getInt(Tag.Rows, 0);
        int[] v = new int[edge * rows];
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) ((words[2 * i] & 0xFF) | words[2 * i + 1] << 8);
            min = Math.min(min, v[i]);
            max = Math.max(max, v[i]);
        }
        byte[] out = new byte[EDGE * EDGE];
        for (int y = 0; y < EDGE; y++) {
            for (int x = 0; x < EDGE; x++) out[y * EDGE + x] = (byte) ((v[(y % rows) * edge + x % edge] - min) * 255L / Math.max(1, max - min));
        }
        return out;
    }

    private static byte[] colour(Path rgbFile, byte[] grey) throws Exception {
        DataSet ds = DicomReader.read(Files.readAllBytes(rgbFile)).dataSet();
        byte[] rgb = ds.getBytes(Tag.PixelData);
        int columns = ds.getInt(Tag.Columns, 0), rows = ds.getInt(Tag.Rows, 0);
        byte[] out = new byte[EDGE * EDGE * 3];
        for (int y = 0; y < EDGE; y++) {
            for (int x = 0; x < EDGE; x++) {
                for (int c = 0; c < 3; c++) {
                    int flat = rgb[((y % rows) * columns + x % columns) * 3 + c] & 0xFF;
                    out[(y * EDGE + x) * 3 + c] = (byte) (flat * (128 + (grey[y * EDGE + x] & 0xFF) / 2) / 255);
                }
            }
        }
        return out;
    }
}

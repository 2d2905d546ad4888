package dev.stratus.imaging;

import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.TransferSyntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** High-Throughput JPEG 2000 written by OpenJPH (an encoder no one here wrote) decodes to the pixels it was given. */
class HtJ2kDecodingTest {
    private static final TransferSyntax HTJ2K_LOSSLESS = TransferSyntax.of("1.2.840.10008.1.2.4.201");

    @TempDir
    Path work;

    @Test
    void sixteenBitGreyEncodedByOpenJphDecodesLosslessly() throws Exception {
        DecodedFrame original = FrameRendererTest.firstFrame(DicomReader.read(Files.readAllBytes(TestFiles.file("MR_small.dcm"))));
        ImagePixel unsigned = new ImagePixel(original.pixel().rows(), original.pixel().columns(), 1, 16, 16, 0, 0, "MONOCHROME2", 1);
        byte[] codestream = openJph(pnm("P5", unsigned, original.pixels(), 65535), "pgm", "true");
        DecodedFrame decoded = decoder().decode(codestream, unsigned);
        assertArrayEquals(original.pixels(), decoded.pixels());
    }

    @Test
    void rgbWithTheReversibleColourTransformDecodesToTheRgbItWasGiven() throws Exception {
        DicomFile f = DicomReader.read(Files.readAllBytes(TestFiles.file("SC_rgb_rle.dcm")));
        DecodedFrame original = FrameRendererTest.firstFrame(f);
        ImagePixel rct = original.pixel().withPhotometric("YBR_RCT");
        byte[] codestream = openJph(pnm("P6", original.pixel(), original.pixels(), 255), "ppm", "true");
        DecodedFrame decoded = decoder().decode(codestream, rct);
        assertEquals("RGB", decoded.pixel().photometric(), "PS3.5 8.2.4: the component transform is undone");
        assertArrayEquals(original.pixels(), decoded.pixels());
    }

    private static FrameDecoder decoder() throws UnsupportedPixelDataException {
        String why = FrameDecoders.unsupported(HTJ2K_LOSSLESS);
        if (why != null && "true".equals(System.getenv("CI"))) throw new IllegalStateException(why);
        assumeTrue(why == null, why);
        return FrameDecoders.of(HTJ2K_LOSSLESS);
    }

    /** PGM/PPM: big endian samples when maxval > 255. */
    private static byte[] pnm(String magic, ImagePixel p, byte[] littleEndian, int maxval) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((magic + "\n" + p.columns() + " " + p.rows() + "\n" + maxval + "\n").getBytes(StandardCharsets.US_ASCII));
        if (maxval > 255) {
            for (int i = 0; i + 1 < littleEndian.length; i += 2) {
                out.write(littleEndian[i + 1]);
                out.write(littleEndian[i]);
            }
        } else {
            out.writeBytes(littleEndian);
        }
        return out.toByteArray();
    }

    private byte[] openJph(byte[] image, String extension, String colourTransform) throws Exception {
        Oracle.require("ojph_compress", "openjph-tools");
        Path in = work.resolve("in." + extension), out = work.resolve("out.j2c");
        Files.write(in, image);
        Process p = new ProcessBuilder("ojph_compress", "-i", in.toString(), "-o", out.toString(), "-reversible", "true",
                "-colour_trans", colourTransform).redirectErrorStream(true).redirectOutput(work.resolve("log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        assertEquals(0, p.exitValue(), Files.readString(work.resolve("log")));
        return Files.readAllBytes(out);
    }
}

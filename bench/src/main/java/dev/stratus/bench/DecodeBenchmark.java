package dev.stratus.bench;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.imaging.EncapsulatedFrames;
import dev.stratus.imaging.FrameDecoder;
import dev.stratus.imaging.FrameDecoders;
import dev.stratus.imaging.ImagePixel;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Decode throughput of the {@code imaging} decoders, for {@code scripts/bench-decode}, which times DCMTK's and GDCM's
 * decoders on the same files.
 * <ul>
 *   <li>{@code make OUT CT_SMALL}: writes the test object, 50 frames of 512×512 16-bit CT (CT_small tiled 4×4 and shifted
 *   by one row and column per frame, so no two frames are alike), Explicit VR Little Endian;</li>
 *   <li>{@code make8 OUT CT_SMALL}: the same frames scaled to 8 bits (minimum to maximum), for JPEG baseline;</li>
 *   <li>{@code ROUNDS FILE...}: decodes every frame of each (compressed) file ROUNDS times in this JVM and prints, per
 *   file, "name transfer-syntax best-ms MB/s" (MB = 10^6 bytes decoded, best of the rounds: the first rounds warm up);</li>
 *   <li>{@code frames FILE DIR}: writes each frame's bytes to DIR/frame-N.j2k (for opj_decompress).</li>
 * </ul>
 */
public final class DecodeBenchmark {
    static final int FRAMES = 50, EDGE = 512;

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && (args[0].equals("make") || args[0].equals("make8"))) {
            make(Path.of(args[1]), Path.of(args[2]), args[0].equals("make8"));
            return;
        }
        if (args.length == 3 && args[0].equals("frames")) { // each JPEG 2000 frame as a codestream, for opj_decompress
            DicomFile f = DicomReader.read(Files.readAllBytes(Path.of(args[1])));
            List<byte[]> frames = EncapsulatedFrames.split((FragmentsElement) f.dataSet().get(Tag.PixelData), ImagePixel.of(f.dataSet()).frames());
            for (int i = 0; i < frames.size(); i++) Files.write(Path.of(args[2], "frame-" + (i + 1) + ".j2k"), frames.get(i));
            return;
        }
        int rounds = Integer.parseInt(args[0]);
        for (int i = 1; i < args.length; i++) {
            Path file = Path.of(args[i]);
            DicomFile f = DicomReader.read(Files.readAllBytes(file));
            ImagePixel pixel = ImagePixel.of(f.dataSet());
            List<byte[]> frames = EncapsulatedFrames.split((FragmentsElement) f.dataSet().get(Tag.PixelData), pixel.frames());
            FrameDecoder decoder = FrameDecoders.of(f.transferSyntax());
            long best = Long.MAX_VALUE, decoded = 0;
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime(), bytes = 0;
                for (byte[] frame : frames) bytes += decoder.decode(frame, pixel).pixels().length;
                best = Math.min(best, System.nanoTime() - start);
                decoded = bytes;
            }
            System.out.printf("%s %s %.0f %.0f%n", file.getFileName(), f.transferSyntax().uid(), best / 1e6, decoded / (best / 1e9) / 1e6);
        }
    }

    private static void make(Path out, Path ctSmall, boolean eightBits) throws Exception {
        DataSet ds = DicomReader.read(Files.readAllBytes(ctSmall)).dataSet();
        int rows = ds.getInt(Tag.Rows, 0), columns = ds.getInt(Tag.Columns, 0);
        byte[] tile = ((ValueElement) ds.get(Tag.PixelData)).bytes();
        byte[] all = new byte[FRAMES * EDGE * EDGE * 2];
        for (int f = 0, at = 0; f < FRAMES; f++) {
            for (int y = 0; y < EDGE; y++) {
                for (int x = 0; x < EDGE; x++, at += 2) {
                    int from = 2 * (((y + f) % rows) * columns + (x + f) % columns);
                    all[at] = tile[from];
                    all[at + 1] = tile[from + 1];
                }
            }
        }
        ds.setInt(Tag.Rows, VR.US, EDGE);
        ds.setInt(Tag.Columns, VR.US, EDGE);
        ds.setString(Tag.NumberOfFrames, VR.IS, Integer.toString(FRAMES));
        if (eightBits) {
            all = scaledTo8Bits(all);
            for (int tag : new int[] {Tag.RescaleSlope, Tag.RescaleIntercept, Tag.WindowCenter, Tag.WindowWidth, Tag.SmallestImagePixelValue,
                    Tag.LargestImagePixelValue}) {
                ds.remove(tag);
            }
            ds.setInt(Tag.BitsAllocated, VR.US, 8);
            ds.setInt(Tag.BitsStored, VR.US, 8);
            ds.setInt(Tag.HighBit, VR.US, 7);
            ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        }
        ds.put(new ValueElement(Tag.PixelData, eightBits ? VR.OB : VR.OW, all));
        try (OutputStream o = Files.newOutputStream(out)) {
            DicomWriter.writeFile(o, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
        }
    }

    /** Signed 16-bit little endian samples as 8-bit, their minimum to maximum spread over 0..255. */
    private static byte[] scaledTo8Bits(byte[] words) {
        int n = words.length / 2, min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int v = (short) ((words[2 * i] & 0xFF) | words[2 * i + 1] << 8);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) out[i] = (byte) (((short) ((words[2 * i] & 0xFF) | words[2 * i + 1] << 8) - min) * 255L / Math.max(1, max - min));
        return out;
    }
}

package dev.stratus.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.Deflater;

/** Deflated Part 10 files that inflate to far more than they weigh, for the tests of ingest's inflate budget. */
public final class DeflateBombs {
    private DeflateBombs() {}

    /**
     * A deflated Part 10 file: the identifying elements, then (0009,1010) OB declared {@code declared} bytes long,
     * followed by {@code mib} MiB of zeros. Every MiB of zeros after the first compresses to the same block, repeated.
     */
    public static byte[] deflatedZeros(DataSet ids, long declared, int mib) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter w = new DicomWriter(out, null);
        w.writePreambleAndMeta(DicomWriter.fileMetaFor(ids, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, null));
        w.flush();
        byte[] head = DicomWriter.encode(ids, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] ob = {0x09, 0x00, 0x10, 0x10, 'O', 'B', 0, 0, (byte) declared, (byte) (declared >> 8), (byte) (declared >> 16), (byte) (declared >> 24)};
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            out.writeBytes(deflate(deflater, head, Deflater.SYNC_FLUSH));
            out.writeBytes(deflate(deflater, ob, Deflater.SYNC_FLUSH));
            byte[] zeros = new byte[1 << 20];
            out.writeBytes(deflate(deflater, zeros, Deflater.SYNC_FLUSH));
            byte[] block = deflate(deflater, zeros, Deflater.SYNC_FLUSH);
            for (int i = 1; i < mib; i++) out.writeBytes(block);
            deflater.finish();
            out.writeBytes(deflate(deflater, new byte[0], Deflater.FULL_FLUSH));
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }

    private static byte[] deflate(Deflater deflater, byte[] input, int flush) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (true) {
            int n = deflater.deflate(buf, 0, buf.length, flush);
            out.write(buf, 0, n);
            if (n < buf.length && (deflater.needsInput() || deflater.finished())) return out.toByteArray();
        }
    }
}

package dev.stratus.imaging;

import java.io.ByteArrayOutputStream;

/**
 * RLE Lossless (PS3.5 Annex G): one PackBits segment per byte of each sample, most significant first, each row encoded
 * separately (G.3.1: no run crosses a row), each segment padded to even length.
 */
public final class RleEncoder implements FrameEncoder {
    @Override
    public ImagePixel encodedPixel(ImagePixel source) throws UnsupportedPixelDataException {
        if (source.bitsAllocated() == 1) throw new UnsupportedPixelDataException("RLE of 1-bit pixel data is not supported");
        if (source.samplesPerPixel() * source.bytesPerSample() > 15) throw new UnsupportedPixelDataException("RLE holds at most 15 segments");
        // the segments are planes whatever Planar Configuration says; 0 as DCMTK and GDCM write it (and our decoder gives)
        return source.withPlanarConfiguration(0);
    }

    @Override
    public byte[] encode(DecodedFrame frame) throws UnsupportedPixelDataException {
        ImagePixel p = frame.pixel();
        encodedPixel(p);
        byte[] pixels = frame.pixels();
        if (p.planarConfiguration() == 1) pixels = Planes.interleave(pixels, p.pixels(), p.samplesPerPixel(), p.bytesPerSample());
        int bytes = p.bytesPerSample(), samples = p.samplesPerPixel(), segments = samples * bytes;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] offsets = new int[segments];
        byte[] row = new byte[p.columns()];
        for (int s = 0; s < segments; s++) {
            offsets[s] = 64 + body.size();
            int sample = s / bytes, byteInSample = bytes - 1 - s % bytes;
            int stride = samples * bytes;
            for (int y = 0; y < p.rows(); y++) {
                for (int x = 0, at = (y * p.columns()) * stride + sample * bytes + byteInSample; x < p.columns(); x++, at += stride) row[x] = pixels[at];
                pack(row, body);
            }
            if ((body.size() & 1) == 1) body.write(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + body.size());
        writeInt(out, segments);
        for (int i = 0; i < 15; i++) writeInt(out, i < segments ? offsets[i] : 0);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** PackBits: runs of 2..128 equal bytes as (1-n, byte), other bytes as literals of up to 128. */
    private static void pack(byte[] row, ByteArrayOutputStream out) {
        int i = 0, n = row.length;
        while (i < n) {
            int run = 1;
            while (i + run < n && run < 128 && row[i + run] == row[i]) run++;
            if (run >= 2) {
                out.write(1 - run);
                out.write(row[i]);
                i += run;
                continue;
            }
            int start = i;
            while (i < n && i - start < 128 && !(i + 1 < n && row[i + 1] == row[i])) i++;
            if (i == start) i++; // a lone byte before a run of the next ones
            out.write(i - start - 1);
            out.write(row, start, i - start);
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >> 8);
        out.write(v >> 16);
        out.write(v >> 24);
    }
}

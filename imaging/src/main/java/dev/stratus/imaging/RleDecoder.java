package dev.stratus.imaging;

/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment per byte of each sample,
 * most significant byte first. The result is interleaved (Planar Configuration 0) whatever the source said.
 */
public final class RleDecoder implements FrameDecoder {
    @Override
    public DecodedFrame decode(byte[] encoded, ImagePixel pixel) throws PixelDataException {
        if (pixel.bitsAllocated() == 1) throw new PixelDataException("RLE of 1-bit pixel data is not supported");
        int bytesPerSample = pixel.bytesPerSample();
        int segments = pixel.samplesPerPixel() * bytesPerSample;
        if (encoded.length < 64) throw new PixelDataException("RLE frame of " + encoded.length + " bytes has no 64-byte header");
        int declared = i32(encoded, 0);
        if (declared != segments) {
            throw new PixelDataException("RLE header declares " + declared + " segments; " + pixel + " needs " + segments);
        }
        int pixels = pixel.pixels();
        byte[] out = new byte[pixel.frameBytes()];
        byte[] segment = new byte[pixels];
        for (int s = 0; s < segments; s++) {
            long start = i32(encoded, 4 + 4 * s) & 0xFFFFFFFFL;
            long end = s + 1 < segments ? i32(encoded, 8 + 4 * s) & 0xFFFFFFFFL : encoded.length;
            if (start < 64 || end > encoded.length || start > end) {
                throw new PixelDataException("RLE segment " + (s + 1) + " spans " + start + ".." + end + " outside the frame of " + encoded.length + " bytes");
            }
            unpack(encoded, (int) start, (int) end, segment, s + 1);
            int sample = s / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - s % bytesPerSample; // segment order is most significant first
            int stride = pixel.samplesPerPixel() * bytesPerSample;
            for (int p = 0, o = sample * bytesPerSample + byteInSample; p < pixels; p++, o += stride) out[o] = segment[p];
        }
        return new DecodedFrame(out, pixel.withPlanarConfiguration(0));
    }

    /** PackBits (G.3.1): n in 0..127 copies n+1 literal bytes, -127..-1 repeats the next byte 1-n times, -128 is nothing. */
    private static void unpack(byte[] in, int pos, int end, byte[] out, int segmentNumber) throws PixelDataException {
        int o = 0;
        while (pos < end && o < out.length) {
            int n = in[pos++];
            if (n >= 0) {
                int count = n + 1;
                if (pos + count > end || o + count > out.length) {
                    throw new PixelDataException("RLE segment " + segmentNumber + " overruns its " + (end - pos) + " bytes or the frame");
                }
                System.arraycopy(in, pos, out, o, count);
                pos += count;
                o += count;
            } else if (n != -128) {
                int count = 1 - n;
                if (pos >= end || o + count > out.length) {
                    throw new PixelDataException("RLE segment " + segmentNumber + " overruns its bytes or the frame");
                }
                java.util.Arrays.fill(out, o, o + count, in[pos++]);
                o += count;
            }
        }
        if (o < out.length) throw new PixelDataException("RLE segment " + segmentNumber + " decodes to " + o + " bytes, the frame needs " + out.length);
    }

    private static int i32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}

package dev.stratus.imaging;

/**
 * YBR_FULL_422 stored uncompressed (PS3.3 C.7.6.3.1.2): each two pixels of a row are stored as Y1 Y2 Cb Cr, the
 * chrominance taken once for both. Expanded here to YBR_FULL, three samples per pixel.
 */
public final class Ybr422 {
    private Ybr422() {}

    /** Whether frames of this image are stored subsampled, two samples per pixel, when uncompressed. */
    public static boolean subsampled(ImagePixel p) {
        return p.photometric().equals("YBR_FULL_422") && p.samplesPerPixel() == 3;
    }

    /** Bytes of one uncompressed YBR_FULL_422 frame: two samples per pixel. */
    public static int storedFrameBytes(ImagePixel p) {
        return p.pixels() * 2 * p.bytesPerSample();
    }

    /** The stored frame as YBR_FULL, colour-by-pixel. */
    public static DecodedFrame expand(byte[] stored, ImagePixel p) throws PixelDataException {
        if (p.columns() % 2 != 0) throw new PixelDataException("YBR_FULL_422 with an odd number of columns (" + p.columns() + ")");
        if (stored.length != storedFrameBytes(p)) {
            throw new PixelDataException("a YBR_FULL_422 frame of " + p + " takes " + storedFrameBytes(p) + " bytes, not " + stored.length);
        }
        int k = p.bytesPerSample();
        ImagePixel full = p.withPhotometric("YBR_FULL").withPlanarConfiguration(0);
        byte[] out = new byte[full.frameBytes()];
        for (int pair = 0, in = 0, o = 0; pair < p.pixels() / 2; pair++, in += 4 * k, o += 6 * k) {
            // Y1 Cb Cr, Y2 Cb Cr
            System.arraycopy(stored, in, out, o, k);
            System.arraycopy(stored, in + 2 * k, out, o + k, 2 * k);
            System.arraycopy(stored, in + k, out, o + 3 * k, k);
            System.arraycopy(stored, in + 2 * k, out, o + 4 * k, 2 * k);
        }
        return new DecodedFrame(out, full);
    }
}

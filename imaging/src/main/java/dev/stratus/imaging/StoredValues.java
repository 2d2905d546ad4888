package dev.stratus.imaging;

/** The stored values of a frame's samples, in order: Bits Stored bits of each (High Bit = Bits Stored - 1), sign extended. */
final class StoredValues {
    private final byte[] b;
    private final int bytes, bitsStored, bitsAllocated;
    private final boolean signed;
    private final long mask;
    private final int pixels;

    StoredValues(DecodedFrame frame) {
        ImagePixel p = frame.pixel();
        b = frame.pixels();
        bytes = p.bytesPerSample();
        bitsStored = p.bitsStored();
        bitsAllocated = p.bitsAllocated();
        signed = p.signed();
        mask = (1L << bitsStored) - 1;
        pixels = p.pixels();
    }

    long get(int i) {
        long v;
        if (bitsAllocated == 1) {
            v = (b[i >> 3] >> (i & 7)) & 1; // PS3.5 8.1.1: the first pixel in the least significant bit
        } else {
            int at = i * bytes;
            v = b[at] & 0xFF;
            for (int k = 1; k < bytes; k++) v |= (long) (b[at + k] & 0xFF) << (8 * k);
        }
        v &= mask;
        if (signed && (v >> (bitsStored - 1) & 1) == 1) v -= 1L << bitsStored;
        return v;
    }

    /** Minimum and maximum over the frame's pixels (of a one-sample frame). */
    long[] range() {
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (int i = 0; i < pixels; i++) {
            long v = get(i);
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        return new long[] {lo, hi};
    }
}

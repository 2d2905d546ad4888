package dev.stratus.imaging;

/** The stored values of a frame's samples, in order: Bits Stored bits of each (High Bit = Bits Stored - 1), sign extended. */
final class StoredValues {
    private final byte[] b;
    private final int bytes, bitsStored, bitsAllocated;
    private final boolean signed;
    private final long mask;
    /** For {@link #small}: the shift that sign-extends or masks Bits Stored bits within an int. */
    private final int shift;

    StoredValues(DecodedFrame frame) {
        ImagePixel p = frame.pixel();
        b = frame.pixels();
        bytes = p.bytesPerSample();
        bitsStored = p.bitsStored();
        bitsAllocated = p.bitsAllocated();
        signed = p.signed();
        mask = (1L << bitsStored) - 1;
        shift = 32 - bitsStored;
    }

    /** The value of sample i of a frame of at most 16 bits stored: as {@link #get}, without its general loop. */
    int small(int i) {
        int raw;
        if (bytes == 2 && bitsAllocated == 16) raw = (b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8;
        else if (bitsAllocated == 8) raw = b[i] & 0xFF;
        else return (int) get(i);
        return signed ? raw << shift >> shift : raw << shift >>> shift;
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
}

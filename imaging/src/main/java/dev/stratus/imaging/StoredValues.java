package dev.stratus.imaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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

    /** A frame's values of at most 16 bits stored, each minus {@code bias} to fit a short, and the least and greatest. */
    record Small(short[] biased, int bias, int least, int greatest) {}

    /**
     * Every sample's value of a frame of at most 16 bits stored: one bulk copy of 16-bit samples (an intrinsic, fast
     * under any JIT) and one plain loop that masks or sign-extends and finds the range. A call per sample cost 1-2 ms a
     * 512x512 frame under C1, and an int per sample (1 MB) is a humongous object for G1 that each render paid for.
     */
    Small small(int count) {
        short[] s = new short[count];
        int bias = signed ? 0 : 32768; // unsigned values go up to 65535
        if (bytes == 2 && bitsAllocated == 16) {
            ByteBuffer.wrap(b, 0, 2 * count).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        } else if (bitsAllocated == 8) {
            for (int i = 0; i < count; i++) s[i] = b[i];
        } else {
            for (int i = 0; i < count; i++) s[i] = (short) get(i);
        }
        int sh = shift, least = Integer.MAX_VALUE, greatest = Integer.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            int v = signed ? s[i] << sh >> sh : s[i] << sh >>> sh;
            s[i] = (short) (v - bias);
            if (v < least) least = v;
            if (v > greatest) greatest = v;
        }
        return new Small(s, bias, least, greatest);
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

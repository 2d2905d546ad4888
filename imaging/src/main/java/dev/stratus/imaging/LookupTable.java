package dev.stratus.imaging;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;

/**
 * A lookup table as PS3.3 describes it for the Modality LUT (C.11.1.1), the VOI LUT (C.11.2.1.1) and palettes
 * (C.7.6.3.1.5): from the descriptor, the first input value mapped and the bits per entry, and the entries. An input
 * below the first value mapped gives the first entry, one past the last the last entry.
 */
record LookupTable(int first, int bits, int[] entries) {
    /** Indirect segments may point at indirect segments; a palette deeper than this is refused rather than followed. */
    private static final int MAX_INDIRECTION = 4;

    /** The largest output value. */
    int max() { return (1 << bits) - 1; }

    int get(long input) {
        return entries[(int) Math.clamp(input - first, 0, entries.length - 1)];
    }

    /**
     * From a descriptor (3 values, US or SS) and LUT data: 16-bit words (one entry each) or, for 8 bits per entry,
     * bytes.
     *
     * @param signedInput whether the first value mapped is signed when the descriptor is US (C.11.1.1, C.11.2.1.1:
     *                    it follows the sign of the values that index the table)
     */
    static LookupTable of(DataSet ds, int descriptorTag, int dataTag, boolean signedInput, String what) throws PixelDataException {
        Descriptor d = Descriptor.of(ds, descriptorTag, signedInput, what);
        byte[] data = ds.getBytes(dataTag);
        if (data == null) throw new PixelDataException(what + " has a descriptor and no data " + Tag.toString(dataTag));
        int[] entries = new int[d.entries];
        if (data.length >= 2 * d.entries) {
            for (int i = 0; i < d.entries; i++) entries[i] = word(data, i) & d.mask();
        } else if (data.length >= d.entries && d.bits <= 8) {
            for (int i = 0; i < d.entries; i++) entries[i] = data[i] & 0xFF; // 8-bit entries packed two to a word
        } else {
            throw new PixelDataException(what + " has " + data.length + " bytes of data for " + d.entries + " entries of " + d.bits + " bits");
        }
        return new LookupTable(d.first, d.bits, entries);
    }

    /**
     * A segmented palette table (C.7.9.2): discrete, linear and indirect segments of 8 or 16-bit units (as the
     * descriptor's bits per entry), expanded to the descriptor's number of entries (the last value repeated if the
     * segments give fewer, the rest dropped if they give more).
     */
    static LookupTable segmented(DataSet ds, int descriptorTag, int dataTag, boolean signedInput, String what) throws PixelDataException {
        Descriptor d = Descriptor.of(ds, descriptorTag, signedInput, what);
        byte[] data = ds.getBytes(dataTag);
        if (data == null) throw new PixelDataException(what + " has a descriptor and no data " + Tag.toString(dataTag));
        int[] units = new int[d.bits <= 8 ? data.length : data.length / 2];
        for (int i = 0; i < units.length; i++) units[i] = d.bits <= 8 ? data[i] & 0xFF : word(data, i);
        Expansion out = new Expansion(d.entries);
        expand(units, 0, Integer.MAX_VALUE, out, d.bits <= 8, 0, what);
        if (out.size == 0) throw new PixelDataException(what + " has no segments");
        while (out.size < d.entries) out.add(out.last());
        for (int i = 0; i < d.entries; i++) out.values[i] &= d.mask();
        return new LookupTable(d.first, d.bits, out.values);
    }

    /** Expands at most {@code segments} segments from {@code units[at]} on, until the table is full. */
    private static void expand(int[] units, int at, int segments, Expansion out, boolean eightBit, int depth, String what) throws PixelDataException {
        for (int n = 0; n < segments && at + 1 < units.length && !out.full(); n++) { // +1: a trailing pad unit
            int opcode = units[at], length = units[at + 1];
            at += 2;
            switch (opcode) {
                case 0 -> { // C.7.9.2.1 discrete: length values
                    if (at + length > units.length) throw new PixelDataException(what + ": a discrete segment runs past the data");
                    for (int i = 0; i < length && !out.full(); i++) out.add(units[at + i]);
                    at += length;
                }
                case 1 -> { // C.7.9.2.2 linear: from the previous value to y1 in length steps
                    if (out.size == 0) throw new PixelDataException(what + ": a linear segment cannot come first");
                    if (at >= units.length) throw new PixelDataException(what + ": a linear segment has no end value");
                    double y0 = out.last(), y1 = units[at++];
                    for (int i = 1; i <= length && !out.full(); i++) out.add((int) Math.round(y0 + (y1 - y0) * i / length));
                }
                case 2 -> { // C.7.9.2.3 indirect: copy length segments from a byte offset into the data (GDCM reads it so; pydicom counts units)
                    if (out.size == 0) throw new PixelDataException(what + ": an indirect segment cannot come first");
                    if (depth >= MAX_INDIRECTION) throw new PixelDataException(what + ": indirect segments nest deeper than " + MAX_INDIRECTION);
                    long offset;
                    if (eightBit) {
                        if (at + 4 > units.length) throw new PixelDataException(what + ": an indirect segment is cut short");
                        offset = units[at] | units[at + 1] << 8 | (long) units[at + 2] << 16 | (long) units[at + 3] << 24;
                        at += 4;
                    } else {
                        if (at + 2 > units.length) throw new PixelDataException(what + ": an indirect segment is cut short");
                        offset = units[at] | (long) units[at + 1] << 16; // least significant word first
                        at += 2;
                    }
                    long unit = eightBit ? offset : offset / 2;
                    if (unit >= units.length) throw new PixelDataException(what + ": an indirect segment points past the data");
                    expand(units, (int) unit, length, out, eightBit, depth + 1, what);
                }
                default -> throw new PixelDataException(what + ": unknown segment type " + opcode + " (C.7.9.2)");
            }
        }
    }

    private static int word(byte[] b, int i) {
        return (b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8;
    }

    /** The three values of a LUT Descriptor. */
    private record Descriptor(int entries, int first, int bits) {
        static Descriptor of(DataSet ds, int tag, boolean signedInput, String what) throws PixelDataException {
            byte[] d = ds.getBytes(tag);
            if (d == null || d.length < 6) throw new PixelDataException(what + " has no LUT Descriptor " + Tag.toString(tag) + " of 3 values");
            int entries = word(d, 0);
            if (entries == 0) entries = 65536; // C.11.1.1: 0 means 2^16
            boolean signed = ds.get(tag) instanceof ValueElement v && v.vr() == VR.SS || signedInput;
            int first = signed ? (short) word(d, 1) : word(d, 1);
            int bits = word(d, 2);
            if (bits < 1 || bits > 16) throw new PixelDataException(what + " has " + bits + " bits per entry (1 to 16 are read)");
            return new Descriptor(entries, first, bits);
        }

        int mask() { return (1 << bits) - 1; }
    }

    /** The table being expanded, never longer than the descriptor says. */
    private static final class Expansion {
        final int[] values;
        int size;

        Expansion(int entries) { values = new int[entries]; }

        boolean full() { return size == values.length; }

        void add(int v) { if (!full()) values[size++] = v; }

        int last() { return values[size - 1]; }
    }
}

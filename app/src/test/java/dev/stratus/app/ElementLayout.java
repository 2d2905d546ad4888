package dev.stratus.app;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the elements of a DICOM object lie in its bytes, found by a tolerant walk (Part 10 or bare data set;
 * explicit or implicit VR, either byte order) that stops at the first thing it cannot follow and keeps what it
 * found. Nested elements and item headers are listed too, each with its parent, in the order of the bytes.
 * A deflated data set is not walked (only its File Meta Information is).
 */
final class ElementLayout {
    static final int ITEM = 0xFFFEE000, ITEM_DELIMITER = 0xFFFEE00D, SEQUENCE_DELIMITER = 0xFFFEE0DD;
    static final String IMPLICIT = "1.2.840.10008.1.2", BIG_ENDIAN = "1.2.840.10008.1.2.2", DEFLATED = "1.2.840.10008.1.2.1.99";
    private static final int MAX_DEPTH = 40, MAX_ELEMENTS = 200_000;

    /**
     * One element, item or delimiter. {@code vrAt} is -1 without an explicit VR; {@code length} -1 when undefined;
     * {@code end} is after its value (after the delimiter of an undefined length); {@code parent} the index of the
     * item holding it, -1 at the top (the meta group is top-level too, {@code meta} says which).
     */
    record Span(int tag, int start, int vrAt, int lengthAt, int lengthSize, int valueAt, long length, int end, int depth,
                int parent, boolean meta) {
        Span withEnd(int e) {
            return new Span(tag, start, vrAt, lengthAt, lengthSize, valueAt, length, e, depth, parent, meta);
        }

        boolean isItemOrDelimiter() {
            return tag == ITEM || tag == ITEM_DELIMITER || tag == SEQUENCE_DELIMITER;
        }
    }

    final byte[] bytes;
    final List<Span> spans = new ArrayList<>();
    /** Where the data set starts (after the meta group), and its transfer syntax as declared or guessed. */
    int dataSetAt;
    String transferSyntax = "";
    boolean explicit = true, bigEndian;

    private ElementLayout(byte[] bytes) {
        this.bytes = bytes;
    }

    static ElementLayout of(byte[] b) {
        ElementLayout l = new ElementLayout(b);
        try {
            l.walk();
        } catch (Stop | RuntimeException e) {
            // what was found so far is the layout
        }
        return l;
    }

    /** Thrown when the bytes stop making sense to this walk. */
    private static final class Stop extends Exception {
        Stop() {
            super(null, null, false, false);
        }
    }

    private void walk() throws Stop {
        int pos = 0;
        if (bytes.length >= 132 && new String(bytes, 128, 4, StandardCharsets.ISO_8859_1).equals("DICM")) pos = 132;
        dataSetAt = pos;
        // File Meta Information: explicit VR little endian, group 0002
        while (pos + 8 <= bytes.length && (u16(pos, false) == 0x0002)) {
            Span s = header(pos, true, false, 0, -1, true);
            if (s.tag() == 0x00020010) transferSyntax = text(s.valueAt(), (int) s.length());
            spans.add(s);
            pos = s.end();
            dataSetAt = pos;
        }
        if (transferSyntax.equals(DEFLATED)) return;
        bigEndian = transferSyntax.equals(BIG_ENDIAN);
        explicit = transferSyntax.isEmpty() ? looksExplicit(pos) : !transferSyntax.equals(IMPLICIT);
        dataSet(pos, bytes.length, 0, -1);
    }

    private boolean looksExplicit(int pos) {
        return pos + 6 <= bytes.length && upper(bytes[pos + 4]) && upper(bytes[pos + 5]);
    }

    private static boolean upper(byte c) {
        return c >= 'A' && c <= 'Z';
    }

    /** Elements until {@code end} or an item delimiter (whose end is returned). */
    private int dataSet(int pos, int end, int depth, int parent) throws Stop {
        while (pos + 8 <= end) {
            if (spans.size() > MAX_ELEMENTS || depth > MAX_DEPTH) throw new Stop();
            int tag = tag(pos);
            if (tag == ITEM_DELIMITER) {
                spans.add(new Span(tag, pos, -1, pos + 4, 4, pos + 8, 0, pos + 8, depth, parent, false));
                return pos + 8;
            }
            if (tag == ITEM || tag == SEQUENCE_DELIMITER) throw new Stop();
            Span s = header(pos, explicit, bigEndian, depth, parent, false);
            int index = spans.size();
            spans.add(s);
            String vr = s.vrAt() < 0 ? "" : text(s.vrAt(), 2);
            int valueEnd;
            if (vr.equals("SQ") || (s.length() < 0 && tag != 0x7FE00010 && !vr.equals("OB") && !vr.equals("OW"))) {
                valueEnd = items(s.valueAt(), s.length(), depth, index);
            } else if (s.length() < 0) {
                valueEnd = fragments(s.valueAt(), depth, index);
            } else {
                valueEnd = s.end();
            }
            spans.set(index, s.withEnd(valueEnd));
            if (valueEnd > bytes.length) throw new Stop();
            pos = valueEnd;
        }
        return pos;
    }

    /** The items of a sequence starting at {@code pos}; returns where the sequence ends. */
    private int items(int pos, long length, int depth, int sequence) throws Stop {
        int end = length < 0 ? bytes.length : (int) Math.min(bytes.length, pos + length);
        while (pos + 8 <= end) {
            int tag = tag(pos);
            long len = u32(pos + 4, bigEndian);
            if (tag == SEQUENCE_DELIMITER) {
                spans.add(new Span(tag, pos, -1, pos + 4, 4, pos + 8, 0, pos + 8, depth + 1, sequence, false));
                return pos + 8;
            }
            if (tag != ITEM) throw new Stop();
            int index = spans.size();
            long itemLength = len == 0xFFFFFFFFL ? -1 : len;
            spans.add(new Span(tag, pos, -1, pos + 4, 4, pos + 8, itemLength, pos + 8, depth + 1, sequence, false));
            int itemEnd = itemLength < 0 ? dataSet(pos + 8, bytes.length, depth + 1, index)
                    : pos + 8 + (int) Math.min(itemLength, bytes.length);
            if (itemLength >= 0) dataSet(pos + 8, Math.min(itemEnd, bytes.length), depth + 1, index);
            spans.set(index, spans.get(index).withEnd(itemEnd));
            pos = itemEnd;
        }
        return length < 0 ? pos : end;
    }

    /** Encapsulated pixel data: items whose values are skipped, up to the sequence delimiter. */
    private int fragments(int pos, int depth, int element) throws Stop {
        while (pos + 8 <= bytes.length) {
            int tag = tag(pos);
            long len = u32(pos + 4, bigEndian);
            if (tag != ITEM && tag != SEQUENCE_DELIMITER) throw new Stop();
            int end = (int) Math.min(bytes.length + 1L, pos + 8 + len);
            spans.add(new Span(tag, pos, -1, pos + 4, 4, pos + 8, len, end, depth + 1, element, false));
            if (tag == SEQUENCE_DELIMITER) return pos + 8;
            pos = end;
        }
        return pos;
    }

    private Span header(int pos, boolean explicitVr, boolean be, int depth, int parent, boolean meta) throws Stop {
        int tag = (u16(pos, be) << 16) | u16(pos + 2, be);
        if (explicitVr) {
            if (pos + 8 > bytes.length || !upper(bytes[pos + 4]) || !upper(bytes[pos + 5])) throw new Stop();
            String vr = text(pos + 4, 2);
            if (longForm(vr)) {
                if (pos + 12 > bytes.length) throw new Stop();
                long len = u32(pos + 8, be);
                long length = len == 0xFFFFFFFFL ? -1 : len;
                return new Span(tag, pos, pos + 4, pos + 8, 4, pos + 12, length, end(pos + 12, length), depth, parent, meta);
            }
            long len = u16(pos + 6, be);
            return new Span(tag, pos, pos + 4, pos + 6, 2, pos + 8, len, end(pos + 8, len), depth, parent, meta);
        }
        long len = u32(pos + 4, be);
        long length = len == 0xFFFFFFFFL ? -1 : len;
        return new Span(tag, pos, -1, pos + 4, 4, pos + 8, length, end(pos + 8, length), depth, parent, meta);
    }

    private int end(int valueAt, long length) {
        return length < 0 ? valueAt : (int) Math.min(Integer.MAX_VALUE, valueAt + length);
    }

    static boolean longForm(String vr) {
        return switch (vr) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
            default -> false;
        };
    }

    List<Span> topLevel() {
        return spans.stream().filter(s -> s.parent() == -1 && !s.meta()).toList();
    }

    Span find(int tag) {
        for (Span s : spans) if (s.tag() == tag && s.depth() == 0) return s;
        return null;
    }

    int tag(int pos) {
        return (u16(pos, bigEndian) << 16) | u16(pos + 2, bigEndian);
    }

    int u16(int pos, boolean be) {
        int a = bytes[pos] & 0xFF, b = bytes[pos + 1] & 0xFF;
        return be ? a << 8 | b : b << 8 | a;
    }

    long u32(int pos, boolean be) {
        long lo = u16(pos, be), hi = u16(pos + 2, be);
        return be ? lo << 16 | hi : hi << 16 | lo;
    }

    private String text(int pos, int length) {
        if (pos < 0 || length < 0 || pos + length > bytes.length) return "";
        return new String(bytes, pos, length, StandardCharsets.ISO_8859_1).strip().replace("\0", "");
    }
}

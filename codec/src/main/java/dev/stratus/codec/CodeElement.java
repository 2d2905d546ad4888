package dev.stratus.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graphic character set that an ISO 2022 escape sequence designates to G0 or G1 (PS3.3 Tables C.12-2 to
 * C.12-4, PS3.5 6.1.2.5). DICOM keeps G0 invoked in GL (bytes 0x21-0x7E) and G1 in GR (bytes 0xA0-0xFF).
 */
enum CodeElement {
    ISO_IR_6(0, "(B", StandardCharsets.US_ASCII),
    /** JIS X 0201 Romaji: read as ASCII, because 0x5C (yen in JIS X 0201) is the DICOM value delimiter. */
    ISO_IR_14(0, "(J", StandardCharsets.US_ASCII),
    /** JIS X 0201 Katakana. */
    ISO_IR_13(1, ")I", "JIS_X0201"),
    ISO_IR_100(1, "-A", "ISO-8859-1"),
    ISO_IR_101(1, "-B", "ISO-8859-2"),
    ISO_IR_109(1, "-C", "ISO-8859-3"),
    ISO_IR_110(1, "-D", "ISO-8859-4"),
    ISO_IR_144(1, "-L", "ISO-8859-5"),
    ISO_IR_127(1, "-G", "ISO-8859-6"),
    ISO_IR_126(1, "-F", "ISO-8859-7"),
    ISO_IR_138(1, "-H", "ISO-8859-8"),
    ISO_IR_148(1, "-M", "ISO-8859-9"),
    ISO_IR_203(1, "-b", "ISO-8859-15"),
    ISO_IR_166(1, "-T", "TIS-620"),
    /** JIS X 0208 Kanji, two GL bytes per character. */
    ISO_IR_87(0, "$B", "x-JIS0208"),
    /** JIS X 0212 supplementary Kanji, two GL bytes per character. */
    ISO_IR_159(0, "$(D", "JIS_X0212-1990"),
    /** KS X 1001 in GR: EUC-KR without its ASCII half. */
    ISO_IR_149(1, "$)C", "EUC-KR"),
    /** GB 2312 in GR: EUC-CN without its ASCII half. */
    ISO_IR_58(1, "$)A", "GB2312");

    static final byte ESC = 0x1B;

    /** 0 for G0, 1 for G1. */
    final int g;
    /** The escape sequence, ESC included. */
    final byte[] escape;
    final boolean multiByte;
    final Charset charset;
    /** Single-byte sets: the character of every byte. */
    private final char[] table;

    CodeElement(int g, String escape, String charset) {
        this(g, escape, Charset.forName(charset));
    }

    CodeElement(int g, String escape, Charset charset) {
        this.g = g;
        this.escape = ("\u001B" + escape).getBytes(StandardCharsets.US_ASCII);
        this.multiByte = escape.startsWith("$");
        this.charset = charset;
        this.table = multiByte ? null : new char[256];
        for (int b = 0; !multiByte && b < 256; b++) table[b] = new String(new byte[] {(byte) b}, charset).charAt(0);
    }

    /** The character of one byte of a single-byte set. */
    char decode(int b) {
        return table[b & 0xFF];
    }

    /** The bytes of c in this set's code area (GL for G0, GR for G1), or null if the set lacks c. */
    byte[] encode(char c, CharsetEncoder encoder) {
        if (c == '\uFFFD') return null; // tables hold it for unassigned bytes
        if (!multiByte) {
            if (g == 0) return c < 0x80 ? new byte[] {(byte) c} : null;
            for (int b = 0xA0; b < 0x100; b++) if (table[b] == c) return new byte[] {(byte) b};
            return null;
        }
        if (!encoder.canEncode(c)) return null;
        try {
            ByteBuffer bb = encoder.encode(CharBuffer.wrap(new char[] {c}));
            if (bb.remaining() != 2) return null;
            byte[] r = {bb.get(), bb.get()};
            int lo = g == 0 ? 0x21 : 0xA1, hi = g == 0 ? 0x7E : 0xFE;
            for (byte x : r) if ((x & 0xFF) < lo || (x & 0xFF) > hi) return null;
            return r;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The set whose escape sequence starts at b[off] (the byte after ESC), or null. */
    static CodeElement forEscape(byte[] b, int off, int end) {
        for (CodeElement e : values()) {
            int n = e.escape.length - 1;
            if (end - off >= n && Arrays.equals(b, off, off + n, e.escape, 1, e.escape.length)) return e;
        }
        // ESC $ @ designates JIS C 6226-1978, the older edition of JIS X 0208, which some Japanese writers emit
        if (end - off >= 2 && b[off] == '$' && b[off + 1] == '@') return ISO_IR_87;
        return null;
    }

    private static final Map<String, List<CodeElement>> TERMS = new HashMap<>();
    static {
        TERMS.put("", List.of(ISO_IR_6));
        TERMS.put("ISO 2022 IR 6", List.of(ISO_IR_6));
        TERMS.put("ISO_IR 6", List.of(ISO_IR_6)); // not a Defined Term, but common and unambiguous
        for (CodeElement e : values()) {
            String ir = e.name().substring("ISO_IR_".length());
            if (e.g == 0 || e.multiByte || e == ISO_IR_13) continue;
            TERMS.put("ISO_IR " + ir, List.of(ISO_IR_6, e));
            TERMS.put("ISO 2022 IR " + ir, List.of(ISO_IR_6, e));
        }
        TERMS.put("ISO_IR 13", List.of(ISO_IR_14, ISO_IR_13));
        TERMS.put("ISO 2022 IR 13", List.of(ISO_IR_14, ISO_IR_13));
        TERMS.put("ISO 2022 IR 87", List.of(ISO_IR_87));
        TERMS.put("ISO 2022 IR 159", List.of(ISO_IR_159));
        // the multi-byte G1 sets bring no G0 of their own
        TERMS.put("ISO 2022 IR 149", List.of(ISO_IR_149));
        TERMS.put("ISO 2022 IR 58", List.of(ISO_IR_58));
    }

    /** Every term of (0008,0005) that names ISO 2022 code elements, "" (the default repertoire) included. */
    static Set<String> terms() {
        return TERMS.keySet();
    }

    /** The code elements a term of (0008,0005) brings (G0 before G1), or null if it names no ISO 2022 set. */
    static List<CodeElement> forTerm(String term) {
        return TERMS.get(term);
    }
}

package dev.stratus.codec;

/**
 * Decodes text that uses ISO 2022 code extensions (PS3.5 6.1.2.5): escape sequences designate sets to G0
 * and G1; GL bytes are read in G0, GR bytes in G1; the delimiters of {@link #resets} restore value 1's sets.
 * Lenient: any known escape sequence is honoured, unknown ones are dropped, GR bytes with nothing in G1 are
 * read as ISO 8859-1.
 */
final class Iso2022Decoder {
    private Iso2022Decoder() {}

    static String decode(byte[] b, int off, int len, VR vr, CodeElement initialG0, CodeElement initialG1) {
        StringBuilder sb = new StringBuilder(len);
        CodeElement g0 = initialG0, g1 = initialG1;
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c == CodeElement.ESC) {
                CodeElement e = CodeElement.forEscape(b, i + 1, end);
                if (e == null) {
                    i = skipEscape(b, i, end);
                } else {
                    if (e.g == 0) g0 = e;
                    else g1 = e;
                    i += e.escape.length; // ESC $ @ has the length of ESC $ B
                }
            } else if (c >= 0x80) {
                CodeElement set = g1 != null ? g1 : CodeElement.ISO_IR_100;
                if (set.multiByte) {
                    int j = i;
                    while (j < end && (b[j] & 0xFF) >= 0x80) j++;
                    sb.append(new String(b, i, j - i, set.charset));
                    i = j;
                } else {
                    sb.append(set.decode(c));
                    i++;
                }
            } else if (g0.multiByte && c > 0x20 && c < 0x7F) {
                int j = i;
                while (j < end && (b[j] & 0xFF) > 0x20 && (b[j] & 0xFF) < 0x7F) j++;
                sb.append(new String(b, i, j - i, g0.charset));
                i = j;
            } else {
                sb.append((char) c); // G0 single-byte sets are read as ASCII; space and controls are the same in all
                i++;
                if (resets(c, vr)) {
                    g0 = initialG0;
                    // with nothing in G1 initially, keep a G1 set across delimiters: GR bytes have no other reading
                    if (initialG1 != null) g1 = initialG1;
                }
            }
        }
        return sb.toString();
    }

    /**
     * Whether value 1's sets are active again after this ASCII character (PS3.5 6.1.2.5.3): after any control
     * character, after the backslash between values of multi-valued VRs, and after PN's '^' and '='.
     */
    static boolean resets(int c, VR vr) {
        if (c < 0x20) return true;
        if (c == '\\') return vr == null || vr.kind() != VR.Kind.TEXT;
        return (c == '^' || c == '=') && vr == VR.PN;
    }

    /** Skips an unrecognised escape sequence: ESC, intermediate bytes 0x20-0x2F, one final byte 0x30-0x7E. */
    private static int skipEscape(byte[] b, int i, int end) {
        int j = i + 1;
        while (j < end && b[j] >= 0x20 && b[j] <= 0x2F) j++;
        if (j < end && b[j] >= 0x30 && b[j] <= 0x7E) j++;
        return j;
    }
}

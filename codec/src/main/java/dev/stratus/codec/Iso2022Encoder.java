package dev.stratus.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharsetEncoder;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes text with ISO 2022 code extensions, the inverse of {@link Iso2022Decoder}: a character goes into the
 * set already designated if it can, else into the first set of (0008,0005) that has it, after that set's escape
 * sequence. Value 1's sets are restored before delimiters, controls and the end (PS3.5 6.1.2.5.3).
 * One instance per call: it holds the designation state and the JDK encoders, which are not thread-safe.
 */
final class Iso2022Encoder {
    private final VR vr;
    private final CodeElement initialG0, initialG1;
    /** Sets escape sequences may designate, in the order of (0008,0005); empty without code extensions. */
    private final List<CodeElement> designatable;
    private final Map<CodeElement, CharsetEncoder> encoders = new EnumMap<>(CodeElement.class);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private CodeElement g0, g1;

    Iso2022Encoder(VR vr, CodeElement initialG0, CodeElement initialG1, List<CodeElement> designatable) {
        this.vr = vr;
        this.initialG0 = g0 = initialG0;
        this.initialG1 = g1 = initialG1;
        this.designatable = designatable;
    }

    byte[] encode(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == CodeElement.ESC) ascii('?'); // a raw ESC would start an escape sequence
            else if (cp < 0x80) ascii(cp);
            else if (cp > 0xFFFF || !other((char) cp)) ascii('?'); // as String.getBytes does for unmappable characters
        }
        restore();
        return out.toByteArray();
    }

    private void ascii(int c) {
        boolean delimiter = Iso2022Decoder.resets(c, vr);
        if (delimiter) restore();
        else if (g0.multiByte) designate(initialG0); // value 1 always puts a single-byte set in G0
        out.write(c);
    }

    private boolean other(char c) {
        if (g1 != null && write(g1, c)) return true;
        if (g0.multiByte && write(g0, c)) return true;
        for (CodeElement e : designatable) {
            if (e == g0 || e == g1) continue;
            byte[] code = e.encode(c, encoder(e));
            if (code != null) {
                designate(e);
                out.writeBytes(code);
                return true;
            }
        }
        // nothing ever in G1 (default repertoire): write Latin-1, which the decoder reads back there
        if (g1 == null && designatable.isEmpty() && c >= 0x80 && c <= 0xFF) {
            out.write(c);
            return true;
        }
        return false;
    }

    private boolean write(CodeElement e, char c) {
        byte[] code = e.encode(c, encoder(e));
        if (code != null) out.writeBytes(code);
        return code != null;
    }

    private void designate(CodeElement e) {
        out.writeBytes(e.escape);
        if (e.g == 0) g0 = e;
        else g1 = e;
    }

    /** Brings back value 1's sets; a G1 set designated when value 1 has none is dropped silently. */
    private void restore() {
        if (g0 != initialG0) designate(initialG0);
        if (initialG1 != null && g1 != initialG1) designate(initialG1);
        g1 = initialG1;
    }

    private CharsetEncoder encoder(CodeElement e) {
        return e.multiByte ? encoders.computeIfAbsent(e, k -> k.charset.newEncoder()) : null;
    }
}

package dev.stratus.codec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Specific Character Set (0008,0005), PS3.3 C.12.1.1.2 and PS3.5 6.1. Placeholder covering the default
 * repertoire, ISO_IR 100 and ISO_IR 192; the full implementation with ISO 2022 code extensions replaces it.
 */
public final class SpecificCharacterSet {
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(new String[] {""}, StandardCharsets.ISO_8859_1);

    private final String[] terms;
    private final Charset charset;

    private SpecificCharacterSet(String[] terms, Charset charset) {
        this.terms = terms;
        this.charset = charset;
    }

    /** The character set named by the values of (0008,0005). */
    public static SpecificCharacterSet of(String... terms) {
        if (terms.length == 0 || (terms.length == 1 && terms[0].isEmpty())) return DEFAULT;
        Charset cs = switch (terms[0]) {
            case "ISO_IR 192" -> StandardCharsets.UTF_8;
            default -> StandardCharsets.ISO_8859_1;
        };
        return new SpecificCharacterSet(terms.clone(), cs);
    }

    public String[] terms() { return terms.clone(); }

    public String decode(byte[] b, int off, int len, VR vr) {
        return new String(b, off, len, charset);
    }

    public byte[] encode(String s, VR vr) {
        return s.getBytes(charset);
    }

    @Override
    public String toString() { return Arrays.toString(terms); }
}

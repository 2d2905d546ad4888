package dev.stratus.codec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Specific Character Set (0008,0005), PS3.3 C.12.1.1.2 and PS3.5 6.1: every Defined Term of Tables C.12-2 to
 * C.12-5. UTF-8, GB18030 and GBK decode a value as a whole; all others go through ISO 2022 (PS3.5 6.1.2.5),
 * where value 1 sets the initial G0 and G1 and, with code extensions, any value's sets may be designated.
 * Unknown terms never throw: they are listed by {@link #unknownTerms()} and an unknown value 1 reads as ISO 8859-1.
 */
public final class SpecificCharacterSet {
    /** The multi-byte sets without code extensions (Table C.12-5): they allow no other value (PS3.5 6.1.2.5.4). */
    private static final Map<String, Charset> STAND_ALONE = Map.of(
            "ISO_IR 192", StandardCharsets.UTF_8,
            "GB18030", Charset.forName("GB18030"),
            "GBK", Charset.forName("GBK"));

    /** Spellings seen in the wild for ISO_IR n and ISO 2022 IR n ("ISO-IR 100", "ISO_IR100", "ISO 2022 IR100"). */
    private static final Pattern MISSPELT = Pattern.compile("ISO[ _-]?(2022[ _-]?)?IR[ _-]?(\\d+)");

    /** The default repertoire, ISO 646 (declared after the tables its constructor reads). */
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(new String[] {""});

    private final String[] terms;
    private final List<String> unknown;
    /** UTF-8, GB18030 or GBK, or null for ISO 2022. */
    private final Charset whole;
    private final CodeElement initialG0, initialG1;
    private final List<CodeElement> designatable;

    private SpecificCharacterSet(String[] terms) {
        this.terms = terms;
        String first = normalise(terms[0]);
        whole = STAND_ALONE.get(first);
        List<String> unknown = new ArrayList<>();
        CodeElement g0 = CodeElement.ISO_IR_6, g1 = null;
        Set<CodeElement> sets = new LinkedHashSet<>();
        for (int i = 0; i < terms.length; i++) {
            String t = terms[i];
            if (CodeElement.forTerm(t) == null && !STAND_ALONE.containsKey(t)) unknown.add(t);
            if (whole != null) continue;
            List<CodeElement> elements = CodeElement.forTerm(normalise(t));
            if (elements == null) {
                if (i == 0) g1 = CodeElement.ISO_IR_100; // lenient: an unknown value 1 reads as Latin-1
                continue;
            }
            for (CodeElement e : elements) {
                if (i == 0 && e.g == 1) g1 = e;
                if (i == 0 && e.g == 0 && !e.multiByte) g0 = e; // a multi-byte G0 as value 1 would hide the delimiters
            }
            sets.addAll(elements);
        }
        this.unknown = List.copyOf(unknown);
        initialG0 = g0;
        initialG1 = g1;
        boolean extensions = terms.length > 1 || first.startsWith("ISO 2022");
        designatable = extensions ? List.copyOf(sets) : List.of();
    }

    /** The character set named by the values of (0008,0005), split on backslash and trimmed. */
    public static SpecificCharacterSet of(String... terms) {
        if (terms.length == 0 || (terms.length == 1 && terms[0].isEmpty())) return DEFAULT;
        return new SpecificCharacterSet(terms.clone());
    }

    public String[] terms() { return terms.clone(); }

    /** Every value of (0008,0005) read as a character set ("" is the default repertoire), sorted. */
    public static SortedSet<String> knownTerms() {
        SortedSet<String> all = new TreeSet<>(CodeElement.terms());
        all.addAll(STAND_ALONE.keySet());
        return Collections.unmodifiableSortedSet(all);
    }

    /** Whether every value names a character set: the Defined Terms, or ISO_IR 6. */
    public boolean isKnown() { return unknown.isEmpty(); }

    /** Values that are not Defined Terms (misspellings of one are still used for decoding). */
    public List<String> unknownTerms() { return unknown; }

    /** Whether escape sequences may switch to the sets of other values (a value starting "ISO 2022", or several). */
    public boolean usesCodeExtensions() { return !designatable.isEmpty(); }

    public String decode(byte[] b, int off, int len, VR vr) {
        if (whole != null) return new String(b, off, len, whole);
        if (isPlainAscii(b, off, len)) return new String(b, off, len, StandardCharsets.ISO_8859_1);
        return Iso2022Decoder.decode(b, off, len, vr, initialG0, initialG1);
    }

    /** Encodes s so that {@link #decode} gives it back; characters no set can hold become '?'. */
    public byte[] encode(String s, VR vr) {
        if (whole != null) return s.getBytes(whole);
        if (isPlainAscii(s)) return s.getBytes(StandardCharsets.ISO_8859_1);
        return new Iso2022Encoder(vr, initialG0, initialG1, designatable).encode(s);
    }

    private static boolean isPlainAscii(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) if (b[i] < 0 || b[i] == CodeElement.ESC) return false;
        return true;
    }

    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80 || s.charAt(i) == CodeElement.ESC) return false;
        return true;
    }

    private static String normalise(String term) {
        String t = term.strip().toUpperCase(Locale.ROOT);
        if (t.equals("UTF-8") || t.equals("UTF8")) return "ISO_IR 192";
        Matcher m = MISSPELT.matcher(t);
        if (!m.matches()) return t;
        return (m.group(1) != null ? "ISO 2022 IR " : "ISO_IR ") + m.group(2);
    }

    @Override
    public String toString() { return Arrays.toString(terms); }
}

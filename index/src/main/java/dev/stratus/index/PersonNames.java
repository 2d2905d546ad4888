package dev.stratus.index;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Person Name (PN) forms the index matches on: upper case for case-insensitive matching, and folded
 * tokens (accents removed, upper case, one per name word) for fuzzy matching by prefix.
 */
public final class PersonNames {
    private PersonNames() {}

    public static final int MAX_TOKEN_LENGTH = 64;
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    // Component (^), group (=) and word separators: "Jean-Luc" and "van der Berg" give one token per word.
    private static final Pattern WORD_SEPARATORS = Pattern.compile("[\\^= ,.\\-']+");

    /** Upper case without trailing empty components, as the name column keeps it: "Doe^John^^^" is "DOE^JOHN". */
    public static String upper(String pn) {
        if (pn == null) return null;
        String s = pn.strip().toUpperCase(Locale.ROOT);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '^' || s.charAt(end - 1) == '=' || s.charAt(end - 1) == ' ')) end--;
        return end == 0 ? null : s.substring(0, end);
    }

    /** Accents removed (NFD, combining marks dropped, a few letters spelt out) and upper case: "Müller" is "MULLER". */
    public static String fold(String s) {
        String d = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("");
        StringBuilder b = new StringBuilder(d.length());
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            switch (c) {
                case 'ß' -> b.append("SS");
                case 'æ', 'Æ' -> b.append("AE");
                case 'œ', 'Œ' -> b.append("OE");
                case 'ø', 'Ø' -> b.append('O');
                case 'ł', 'Ł' -> b.append('L');
                case 'đ', 'Đ' -> b.append('D');
                case 'þ', 'Þ' -> b.append("TH");
                default -> b.append(c);
            }
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }

    /** The distinct folded words of a name (every component of every group), each at most 64 characters. */
    public static List<String> tokens(String pn) {
        if (pn == null) return List.of();
        Set<String> out = new LinkedHashSet<>();
        for (String w : WORD_SEPARATORS.split(fold(pn))) {
            if (w.isEmpty()) continue;
            out.add(w.length() > MAX_TOKEN_LENGTH ? w.substring(0, MAX_TOKEN_LENGTH) : w);
        }
        return new ArrayList<>(out);
    }

    /** The words of a fuzzy query, wildcards dropped: each must start some token of a matching name. */
    public static List<String> queryWords(String value) {
        return tokens(value.replace("*", " ").replace("?", " "));
    }
}

package dev.stratus.index.mongodb;

import com.mongodb.client.model.Filters;
import dev.stratus.codec.DataDictionary;
import dev.stratus.index.AttributeLevels;
import dev.stratus.index.PersonNames;
import dev.stratus.index.mongodb.QueryFields.Field;
import dev.stratus.index.mongodb.QueryFields.Kind;
import dev.stratus.index.query.InvalidQueryException;
import dev.stratus.index.query.Match;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * The filter for one matching key (PS3.4 C.2.2.2), as the SQL index matches it: wild cards as anchored
 * regular expressions, person names upper-cased, fuzzy matching on name tokens by prefix.
 * {@code prefix} is "" on the matched document itself, or "study." / "series." on a joined parent.
 */
final class SearchFilters {
    private SearchFilters() {}

    /** Matches every document: a fuzzy name without words. */
    static final Bson ANY = new Document();

    /** A matching key and the field it is matched on (null for ModalitiesInStudy, matched on the study's modalities). */
    record Key(Match match, Field field) {}

    static Bson filter(Key k, String prefix, boolean fuzzy) {
        Match m = k.match();
        if (k.field() == null) return modalitiesInStudy(m, prefix + Fields.MODALITIES);
        Field f = k.field();
        return switch (m) {
            case Match.SingleValue s -> single(f, prefix, m.tag(), s.value(), fuzzy);
            case Match.AnyOf a -> anyOf(f, prefix, m.tag(), a.values(), fuzzy);
            case Match.Wildcard w -> wildcard(f, prefix, m.tag(), w.pattern(), fuzzy);
            case Match.Range r -> range(f, prefix, m.tag(), r);
        };
    }

    private static Bson single(Field f, String prefix, int tag, String value, boolean fuzzy) {
        String path = prefix + f.name();
        return switch (f.kind()) {
            case PERSON_NAME -> fuzzy ? fuzzyName(prefix + f.tokens(), value) : eq(path, PersonNames.upper(value));
            case INTEGER -> eq(path, integer(tag, value));
            case TIME -> eq(path, value.replace(":", ""));
            default -> eq(path, value);
        };
    }

    private static Bson anyOf(Field f, String prefix, int tag, List<String> values, boolean fuzzy) {
        List<Bson> any = new ArrayList<>(values.size());
        for (String v : values) {
            Bson one = single(f, prefix, tag, v, fuzzy);
            if (one == ANY) return ANY;
            any.add(one);
        }
        return any.size() == 1 ? any.getFirst() : Filters.or(any);
    }

    private static Bson wildcard(Field f, String prefix, int tag, String pattern, boolean fuzzy) {
        String path = prefix + f.name();
        return switch (f.kind()) {
            case PERSON_NAME -> fuzzy ? fuzzyName(prefix + f.tokens(), pattern) : like(path, PersonNames.upper(pattern));
            case TEXT -> like(path, pattern);
            default -> throw new InvalidQueryException(DataDictionary.keywordOf(tag), "wild cards are not allowed for this attribute");
        };
    }

    private static Bson range(Field f, String prefix, int tag, Match.Range r) {
        if (f.kind() != Kind.DATE && f.kind() != Kind.TIME) {
            throw new InvalidQueryException(DataDictionary.keywordOf(tag), "range matching applies to dates and times only");
        }
        String path = prefix + f.name();
        List<Bson> c = new ArrayList<>(List.of(Filters.ne(path, null)));
        if (r.from() != null) c.add(Filters.gte(path, f.kind() == Kind.TIME ? r.from().replace(":", "") : r.from()));
        // "1030" as upper bound includes 10:30:59.999: '~' sorts after every digit and '.'.
        if (r.to() != null) c.add(Filters.lte(path, f.kind() == Kind.TIME ? r.to().replace(":", "") + "~" : r.to()));
        return and(c);
    }

    // Fuzzy (PS3.4 C.2.2.2.1.1): every word of the query starts a token of the name, accents and case ignored.
    private static Bson fuzzyName(String tokensPath, String value) {
        List<String> words = PersonNames.queryWords(value);
        if (words.isEmpty()) return ANY;
        List<Bson> all = new ArrayList<>(words.size());
        for (String w : words) all.add(Filters.regex(tokensPath, "^" + literal(w)));
        return all.size() == 1 ? all.getFirst() : and(all);
    }

    // A study matches ModalitiesInStudy when one of its series has one of the modalities.
    private static Bson modalitiesInStudy(Match m, String path) {
        return switch (m) {
            case Match.SingleValue s -> eq(path, s.value());
            case Match.AnyOf a -> Filters.in(path, a.values());
            case Match.Wildcard w -> like(path, w.pattern());
            case Match.Range r -> throw new InvalidQueryException("ModalitiesInStudy", "range matching applies to dates and times only");
        };
    }

    static boolean isModalitiesInStudy(Match m) {
        return m.tag() == AttributeLevels.MODALITIES_IN_STUDY;
    }

    /** SQL LIKE as a regular expression: the whole value, '*' any run of characters, '?' one character. */
    static Bson like(String path, String wildcard) {
        StringBuilder b = new StringBuilder("^");
        String w = wildcard;
        boolean openEnd = w.endsWith("*");
        while (w.endsWith("*")) w = w.substring(0, w.length() - 1); // "^DOE" reads an index by prefix; "^DOE.*\z" may not
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c == '*') b.append(".*");
            else if (c == '?') b.append('.');
            else b.append(literal(String.valueOf(c)));
        }
        if (!openEnd) b.append("\\z");
        return Filters.regex(path, b.toString(), "s"); // s: '.' also matches a line break, as in LIKE
    }

    /** Regex metacharacters escaped: every ASCII character but letters and digits (backslash before those is literal in PCRE and Java). */
    static String literal(String s) {
        StringBuilder b = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128 && !Character.isLetterOrDigit(c)) b.append('\\');
            b.append(c);
        }
        return b.toString();
    }

    private static int integer(int tag, String value) {
        try {
            return Integer.parseInt(value.strip().startsWith("+") ? value.strip().substring(1) : value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidQueryException(DataDictionary.keywordOf(tag), "not an integer: " + value);
        }
    }
}

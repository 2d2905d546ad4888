package dev.stratus.index.query;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.VR;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds a QidoQuery from the query parameters of a QIDO-RS request (PS3.18 10.6.1.2 and 8.3.4): matching
 * attributes by keyword or tag, {@code includefield}, {@code fuzzymatching}, {@code limit}, {@code offset},
 * and {@code orderby} (comma-separated, '-' for descending). The match type follows from the value and the
 * attribute's VR (PS3.4 C.2.2.2). Anything malformed is an InvalidQueryException naming the parameter.
 */
public final class QidoQueryParser {
    private QidoQueryParser() {}

    /** limit when the request gives none: the index applies its own cap. */
    public static final int NO_LIMIT = 0;

    /** Content negotiation query parameters (PS3.18 8.3.3): the web layer's business, not a matching key. */
    private static final Set<String> NOT_MATCHING = Set.of("accept", "charset");

    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
    private static final Pattern DATE = Pattern.compile("\\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3])(:?[0-5]\\d(:?([0-5]\\d|60)(\\.\\d{1,6})?)?)?");
    private static final String DT = "\\d{4}(\\d{2}(\\d{2}(\\d{2}(\\d{2}(\\d{2}(\\.\\d{1,6})?)?)?)?)?)?([+-]\\d{4})?";
    private static final Pattern DATETIME = Pattern.compile(DT);
    private static final Pattern DATETIME_RANGE = Pattern.compile("(?<from>" + DT + ")?-(?<to>" + DT + ")?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,10}");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    public static QidoQuery parse(Level level, String studyUid, String seriesUid, Map<String, List<String>> params) {
        List<Match> matches = new ArrayList<>();
        Set<Integer> includeFields = new LinkedHashSet<>();
        Set<Integer> matched = new LinkedHashSet<>();
        boolean includeAll = false, fuzzy = false;
        int limit = NO_LIMIT, offset = 0;
        List<OrderBy> orderBy = new ArrayList<>();
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            String name = p.getKey();
            List<String> values = p.getValue() == null || p.getValue().isEmpty() ? List.of("") : p.getValue();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "includefield" -> {
                    for (String v : values) {
                        for (String field : v.split(",")) {
                            String f = field.strip();
                            if (f.isEmpty()) continue;
                            if (f.equalsIgnoreCase("all")) includeAll = true;
                            else includeFields.add(path(name, f)[0]); // a nested attribute comes with its top-level sequence
                        }
                    }
                }
                case "limit" -> limit = number(name, single(name, values), 1);
                case "offset" -> offset = number(name, single(name, values), 0);
                case "fuzzymatching" -> fuzzy = bool(name, single(name, values));
                case "orderby" -> {
                    for (String v : values) {
                        for (String key : v.split(",")) {
                            String k = key.strip();
                            if (k.isEmpty()) continue;
                            boolean descending = k.startsWith("-");
                            if (descending || k.startsWith("+")) k = k.substring(1);
                            orderBy.add(new OrderBy(path(name, k)[0], descending));
                        }
                    }
                }
                default -> {
                    if (NOT_MATCHING.contains(name.toLowerCase(Locale.ROOT))) continue;
                    int[] path = path(name, name);
                    int tag = path[path.length - 1];
                    if (!matched.add(tag)) throw new InvalidQueryException(name, "given more than once");
                    Match m = match(name, tag, single(name, values));
                    if (m == null) includeFields.add(path[0]);
                    else matches.add(m);
                }
            }
        }
        return new QidoQuery(level, studyUid, seriesUid, List.copyOf(matches), fuzzy, includeFields, includeAll,
                limit, offset, List.copyOf(orderBy));
    }

    /**
     * The match for one attribute's value, or null for universal matching (an empty value, or "*" where
     * wild cards are allowed): the attribute is then only returned.
     */
    static Match match(String param, int tag, String value) {
        if (value.isEmpty()) return null;
        VR vr = DataDictionary.vrOf(tag);
        boolean wild = value.indexOf('*') >= 0 || value.indexOf('?') >= 0;
        switch (vr) {
            case SQ -> throw new InvalidQueryException(param, "sequence matching is not supported; give an empty value to return it");
            case UI -> {
                if (wild) throw new InvalidQueryException(param, "wild cards are not allowed for UIDs");
                // UID list matching: a comma-separated list in a URL (PS3.18 8.3.4.1), backslashes in a C-FIND identifier
                List<String> uids = Arrays.asList(value.split("[\\\\,]", -1));
                for (String u : uids) {
                    if (u.length() > 64 || !UID.matcher(u).matches()) throw new InvalidQueryException(param, "not a UID: '" + u + "'");
                }
                return uids.size() == 1 ? new Match.SingleValue(tag, value) : new Match.AnyOf(tag, List.copyOf(uids));
            }
            case DA -> {
                return dateOrTime(param, tag, value, DATE, "a date (YYYYMMDD)", wild);
            }
            case TM -> {
                return dateOrTime(param, tag, value, TIME, "a time (HHMMSS.FFFFFF)", wild);
            }
            case DT -> {
                if (wild || value.indexOf('\\') >= 0) throw new InvalidQueryException(param, "wild cards and value lists are not allowed for date-times");
                if (DATETIME.matcher(value).matches()) return new Match.SingleValue(tag, value);
                var m = DATETIME_RANGE.matcher(value);
                if (!m.matches() || value.equals("-")) throw new InvalidQueryException(param, "not a date-time or date-time range: '" + value + "'");
                return new Match.Range(tag, m.group("from"), m.group("to"));
            }
            case IS, SL, SS, UL, US, SV, UV -> {
                return numbers(param, tag, value, INTEGER, "an integer", wild);
            }
            case DS, FL, FD -> {
                return numbers(param, tag, value, DECIMAL, "a decimal number", wild);
            }
            default -> {
                if (!vr.isString()) return new Match.SingleValue(tag, value); // binary VRs: the index reports them as not matched
                if (value.equals("*")) return null;
                boolean list = vr.kind() == VR.Kind.STRING && value.indexOf('\\') >= 0;
                if (wild && (list || vr == VR.AS)) throw new InvalidQueryException(param, "wild cards are not allowed here");
                if (wild) return new Match.Wildcard(tag, value);
                if (list) return new Match.AnyOf(tag, List.of(value.split("\\\\", -1)));
                return new Match.SingleValue(tag, value);
            }
        }
    }

    private static Match dateOrTime(String param, int tag, String value, Pattern valid, String what, boolean wild) {
        if (wild || value.indexOf('\\') >= 0) throw new InvalidQueryException(param, "wild cards and value lists are not allowed for " + what);
        int dash = value.indexOf('-');
        if (dash < 0) {
            if (!valid.matcher(value).matches()) throw new InvalidQueryException(param, "not " + what + ": '" + value + "'");
            return new Match.SingleValue(tag, value);
        }
        String from = value.substring(0, dash), to = value.substring(dash + 1);
        if (from.isEmpty() && to.isEmpty()) throw new InvalidQueryException(param, "a range needs at least one end");
        for (String end : new String[] {from, to}) {
            if (!end.isEmpty() && !valid.matcher(end).matches()) {
                throw new InvalidQueryException(param, "not a range of " + what + ": '" + value + "'");
            }
        }
        return new Match.Range(tag, from.isEmpty() ? null : from, to.isEmpty() ? null : to);
    }

    private static Match numbers(String param, int tag, String value, Pattern valid, String what, boolean wild) {
        if (wild) throw new InvalidQueryException(param, "wild cards are not allowed for numbers");
        List<String> values = Arrays.asList(value.split("\\\\", -1));
        for (String v : values) {
            if (!valid.matcher(v.strip()).matches()) throw new InvalidQueryException(param, "not " + what + ": '" + v + "'");
        }
        return values.size() == 1 ? new Match.SingleValue(tag, value.strip())
                : new Match.AnyOf(tag, values.stream().map(String::strip).toList());
    }

    /** An attribute as a keyword or tag, or a path of them joined by '.' (sequences first). */
    private static int[] path(String param, String text) {
        String[] parts = text.split("\\.", -1);
        int[] tags = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            tags[i] = DataDictionary.parseTag(parts[i]);
            if (tags[i] == -1) throw new InvalidQueryException(param, "unknown attribute '" + parts[i] + "'");
            if (i < parts.length - 1 && DataDictionary.vrOf(tags[i]) != VR.SQ) {
                throw new InvalidQueryException(param, "'" + parts[i] + "' is not a sequence");
            }
        }
        return tags;
    }

    private static String single(String param, List<String> values) {
        if (values.size() > 1) throw new InvalidQueryException(param, "given more than once");
        return values.getFirst() == null ? "" : values.getFirst();
    }

    private static int number(String param, String value, int min) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min) throw new InvalidQueryException(param, "must be at least " + min);
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidQueryException(param, "not a number: '" + value + "'");
        }
    }

    private static boolean bool(String param, String value) {
        if (value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        throw new InvalidQueryException(param, "must be true or false");
    }
}

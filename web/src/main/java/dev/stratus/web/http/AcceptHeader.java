package dev.stratus.web.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The media ranges a client accepts (RFC 9110 12.5.1), sorted by q-value then specificity, and the
 * choice among what a resource can produce. Parsing is strict on q-values (a bad one throws
 * {@link MalformedHeaderException}, answered with 400) and lenient on the rest: empty list elements,
 * unquoted parameter values with '/', q anywhere among the parameters.
 */
public final class AcceptHeader {
    /** One accepted media range; {@code weight} is the q-value in thousandths (0..1000). */
    public record Range(MediaType mediaType, int weight) {
        public double q() {
            return weight / 1000.0;
        }
    }

    private static final Comparator<Range> PREFERENCE = Comparator.comparingInt(Range::weight).reversed()
            .thenComparing(Comparator.comparingInt((Range r) -> r.mediaType().specificity()).reversed());

    /** What a request without Accept, or with an empty one, accepts. */
    public static final AcceptHeader ANY = new AcceptHeader(List.of(new Range(MediaType.ANY, 1000)));

    private final List<Range> ranges;

    private AcceptHeader(List<Range> ranges) {
        this.ranges = ranges.stream().sorted(PREFERENCE).toList();
    }

    /** One Accept header line. */
    public static AcceptHeader parse(String headerValue) {
        return parse(headerValue == null ? List.of() : List.of(headerValue));
    }

    /** Every Accept header line of a request, which together form one list (RFC 9110 5.3). */
    public static AcceptHeader parse(List<String> headerLines) {
        if (headerLines != null && headerLines.size() == 1 && headerLines.getFirst() != null) return parseOne(headerLines.getFirst());
        return parseLines(headerLines);
    }

    /**
     * Clients send the same few Accept lines over and over (a viewer one per frame): parsed once, kept while there are
     * few. A hostile client's endless new lines are parsed each time and not kept, nor is a malformed one.
     */
    private static final ConcurrentHashMap<String, AcceptHeader> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_MAX = 256, PARSED_LINE_MAX = 1024;

    private static AcceptHeader parseOne(String line) {
        AcceptHeader kept = PARSED.get(line);
        if (kept != null) return kept;
        AcceptHeader parsed = parseLines(List.of(line));
        if (line.length() <= PARSED_LINE_MAX && PARSED.size() < PARSED_MAX) PARSED.putIfAbsent(line, parsed);
        return parsed;
    }

    private static AcceptHeader parseLines(List<String> headerLines) {
        List<Range> ranges = new ArrayList<>();
        if (headerLines != null) for (String line : headerLines) if (line != null) parseLine(line, "Accept header", ranges);
        return ranges.isEmpty() ? ANY : new AcceptHeader(ranges);
    }

    /**
     * The {@code accept} query parameter values (PS3.18 8.3.3.1), already URL-decoded. A '+' the
     * client left unencoded arrives as a space ({@code application/dicom json}) and is restored.
     */
    public static AcceptHeader fromQuery(List<String> values) {
        List<Range> ranges = new ArrayList<>();
        if (values != null) for (String v : values) if (v != null) parseLine(restorePlus(v), "accept query parameter", ranges);
        return ranges.isEmpty() ? ANY : new AcceptHeader(ranges);
    }

    /** PS3.18 8.3.3.1: a present {@code accept} query parameter replaces the Accept header. */
    public static AcceptHeader effective(List<String> acceptQueryValues, List<String> acceptHeaderLines) {
        boolean queryPresent = acceptQueryValues != null && acceptQueryValues.stream().anyMatch(v -> v != null && !v.isBlank());
        return queryPresent ? fromQuery(acceptQueryValues) : parse(acceptHeaderLines);
    }

    private static void parseLine(String line, String what, List<Range> into) {
        HeaderCursor c = new HeaderCursor(line, what, true);
        while (true) {
            while (!c.atEnd() && (c.peek() == ',' || c.peek() == ' ' || c.peek() == '\t')) c.advance();
            if (c.atEnd()) return;
            MediaType m = MediaType.parse(c);
            List<String> qs = m.parameters("q");
            if (qs.size() > 1) throw c.error("q is given " + qs.size() + " times for " + m.essence());
            int weight = qs.isEmpty() ? 1000 : weight(qs.getFirst(), m.essence(), what);
            into.add(new Range(m.withoutParameter("q"), weight));
        }
    }

    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )} (RFC 9110 12.4.2). */
    private static int weight(String q, String essence, String what) {
        boolean ok = q.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");
        if (!ok) {
            throw new MalformedHeaderException("malformed " + what + ": q=" + q + " of " + essence
                    + " is not a number from 0 to 1 with at most 3 decimals");
        }
        if (q.startsWith("1")) return 1000;
        String decimals = q.length() > 2 ? q.substring(2) : "";
        return decimals.isEmpty() ? 0 : Integer.parseInt((decimals + "00").substring(0, 3));
    }

    /** Replaces a space between two non-separator characters by the '+' form decoding turned into it. */
    private static String restorePlus(String v) {
        StringBuilder sb = new StringBuilder(v);
        for (int i = 1; i < sb.length() - 1; i++) {
            if (sb.charAt(i) == ' ' && isWordChar(sb.charAt(i - 1)) && isWordChar(sb.charAt(i + 1))) sb.setCharAt(i, '+');
        }
        return sb.toString();
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '.';
    }

    /** The ranges, most preferred first; equal ones keep their order in the header. */
    public List<Range> ranges() {
        return ranges;
    }

    /** The q-value in thousandths the most specific matching range gives the offer; 0 if none. */
    public int weight(MediaType offer) {
        Range r = bestRange(offer);
        return r == null ? 0 : r.weight();
    }

    public boolean accepts(MediaType offer) {
        return weight(offer) > 0;
    }

    /**
     * The offer to answer with: highest q, then the most specific matching range, then the earliest
     * offer (list them in the server's preference). Returned as the client asked for it (see
     * {@link MediaType#refine}); empty when nothing is acceptable, which the caller answers with 406.
     */
    public Optional<MediaType> negotiate(List<MediaType> offered) {
        MediaType best = null;
        Range bestRange = null;
        for (MediaType offer : offered) {
            Range r = bestRange(offer);
            if (r == null || r.weight() == 0) continue;
            if (bestRange == null || r.weight() > bestRange.weight()
                    || (r.weight() == bestRange.weight() && r.mediaType().specificity() > bestRange.mediaType().specificity())) {
                best = offer;
                bestRange = r;
            }
        }
        return best == null ? Optional.empty() : Optional.of(bestRange.mediaType().refine(best));
    }

    public Optional<MediaType> negotiate(MediaType... offered) {
        return negotiate(List.of(offered));
    }

    /** RFC 9110 12.5.1: the most specific matching range decides; among equals, the higher q. */
    private Range bestRange(MediaType offer) {
        Range best = null;
        for (Range r : ranges) {
            if (!r.mediaType().includes(offer)) continue;
            if (best == null || r.mediaType().specificity() > best.mediaType().specificity()) best = r;
        }
        return best;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Range r : ranges) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(r.mediaType());
            if (r.weight() < 1000) sb.append("; q=").append(String.valueOf(r.weight() / 1000.0));
        }
        return sb.toString();
    }
}

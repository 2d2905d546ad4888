package dev.stratus.web.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One media type or media range with parameters (RFC 9110 8.3.1, 12.5.1). Type, subtype and parameter
 * names are lower-cased; values keep their case. Repeated parameters are all kept in order:
 * {@link #parameter} answers the first, {@link #parameters(String)} all of them, and a range with a
 * repeated parameter accepts any of its values. Equality is on the lower-cased names and exact values,
 * in order.
 */
public final class MediaType {
    /** One {@code name=value} pair; the name lower-cased, the value unquoted. */
    public record Parameter(String name, String value) {
        public Parameter {
            Objects.requireNonNull(name);
            Objects.requireNonNull(value);
        }
    }

    public static final MediaType ANY = new MediaType("*", "*", List.of());
    public static final MediaType APPLICATION_DICOM = new MediaType("application", "dicom", List.of());
    public static final MediaType APPLICATION_DICOM_JSON = new MediaType("application", "dicom+json", List.of());
    public static final MediaType APPLICATION_DICOM_XML = new MediaType("application", "dicom+xml", List.of());
    public static final MediaType APPLICATION_JSON = new MediaType("application", "json", List.of());
    public static final MediaType APPLICATION_OCTET_STREAM = new MediaType("application", "octet-stream", List.of());
    public static final MediaType MULTIPART_RELATED = new MediaType("multipart", "related", List.of());

    /** Names earlier PS3.18 editions and older clients use, mapped to the current ones. */
    private static final Map<String, String> LEGACY = Map.of(
            "image/x-dicom-rle", "image/dicom-rle",
            "image/x-jls", "image/jls");

    private final String type;
    private final String subtype;
    private final List<Parameter> parameters;

    private MediaType(String type, String subtype, List<Parameter> parameters) {
        this.type = type;
        this.subtype = subtype;
        this.parameters = List.copyOf(parameters);
    }

    /** Parses one media type; throws {@link MalformedHeaderException} saying where it is wrong. */
    public static MediaType parse(String text) {
        if (text == null) throw new MalformedHeaderException("media type is missing");
        HeaderCursor c = new HeaderCursor(text, "media type", false);
        MediaType m = parse(c);
        if (!c.atEnd()) throw c.error("unexpected '" + c.peek() + "'");
        return m;
    }

    /** Parses a media type from the cursor, up to the end of its list element. */
    static MediaType parse(HeaderCursor c) {
        c.skipSpace();
        String type = c.token("a type");
        c.expect('/', "'/' after the type");
        String subtype = c.token("a subtype");
        if (type.equals("*") && !subtype.equals("*")) throw c.error("'*/" + subtype + "' is not a media range");
        c.skipSpace();
        if (!c.atElementEnd() && c.peek() != ';') throw c.error("expected ';' or the end after the subtype");
        return new MediaType(type, subtype, c.parameters(false));
    }

    public static MediaType of(String type, String subtype) {
        return parse(type + "/" + subtype);
    }

    public String type() {
        return type;
    }

    public String subtype() {
        return subtype;
    }

    /** {@code type/subtype} without parameters. */
    public String essence() {
        return type + "/" + subtype;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** The first value of the parameter; name case-insensitive. */
    public Optional<String> parameter(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Parameter p : parameters) if (p.name().equals(n)) return Optional.of(p.value());
        return Optional.empty();
    }

    /** Every value of a repeated parameter, in order. */
    public List<String> parameters(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return parameters.stream().filter(p -> p.name().equals(n)).map(Parameter::value).toList();
    }

    /** A copy with every {@code name} parameter replaced by one with this value, appended last. */
    public MediaType withParameter(String name, String value) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!HeaderCursor.isToken(n)) throw new IllegalArgumentException("not a parameter name: " + name);
        if (value.chars().anyMatch(ch -> ch < ' ' && ch != '\t' || ch == 127)) {
            throw new IllegalArgumentException("control character in parameter " + name);
        }
        List<Parameter> ps = new ArrayList<>(withoutParameter(n).parameters);
        ps.add(new Parameter(n, value));
        return new MediaType(type, subtype, ps);
    }

    public MediaType withoutParameter(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return new MediaType(type, subtype, parameters.stream().filter(p -> !p.name().equals(n)).toList());
    }

    public MediaType withoutParameters() {
        return new MediaType(type, subtype, List.of());
    }

    public boolean isWildcardType() {
        return type.equals("*");
    }

    public boolean isWildcardSubtype() {
        return subtype.equals("*");
    }

    /** The same type under its current PS3.18 name ({@code image/x-jls} becomes {@code image/jls}). */
    public MediaType canonical() {
        String current = LEGACY.get(essence());
        if (current == null) return this;
        int slash = current.indexOf('/');
        return new MediaType(current.substring(0, slash), current.substring(slash + 1), parameters);
    }

    /**
     * Whether this media range covers {@code offer}: wildcards and legacy names match, and every
     * parameter of the range except q must be in the offer with one of the range's values. A value
     * '*' on either side matches anything (PS3.18 8.7.3.5 {@code transfer-syntax=*}).
     */
    public boolean includes(MediaType offer) {
        if (!isWildcardType() && !type.equals(offer.type)) return false;
        if (!isWildcardSubtype() && !canonical().essence().equals(offer.canonical().essence())) return false;
        for (Parameter p : parameters) {
            if (p.name().equals("q")) continue;
            List<String> wanted = parameters(p.name());
            if (wanted.contains("*")) continue;
            Optional<String> offered = offer.parameter(p.name());
            if (offered.isEmpty()) return false;
            if (matchingValue(p.name(), wanted, offered.get()) == null) return false;
        }
        return true;
    }

    /** How specific a range is: type, subtype and each parameter name count one. */
    int specificity() {
        int s = (isWildcardType() ? 0 : 1) + (isWildcardSubtype() ? 0 : 1);
        return s + (int) parameters.stream().map(Parameter::name).filter(n -> !n.equals("q")).distinct().count();
    }

    /**
     * The offer as this range asked for it: the range's spelling of a legacy name or parameter
     * value, and the range's value for an offered '*'. Call only when {@link #includes} holds.
     */
    MediaType refine(MediaType offer) {
        boolean sameNames = isWildcardSubtype() || essence().equals(offer.essence());
        String t = sameNames ? offer.type : type;
        String s = sameNames ? offer.subtype : subtype;
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : offer.parameters) {
            List<String> wanted = parameters(p.name()).stream().filter(v -> !v.equals("*")).toList();
            String v = wanted.isEmpty() ? null
                    : p.value().equals("*") ? wanted.getFirst() : matchingValue(p.name(), wanted, p.value());
            ps.add(v == null ? p : new Parameter(p.name(), v));
        }
        return new MediaType(t, s, ps);
    }

    /** The wanted value equal to the offered one; the {@code type} parameter compares as a media type. */
    private static String matchingValue(String name, List<String> wanted, String offered) {
        if (offered.equals("*")) return offered;
        for (String w : wanted) {
            if (w.equalsIgnoreCase(offered)) return w;
            if (name.equals("type") && sameMediaType(w, offered)) return w;
        }
        return null;
    }

    private static boolean sameMediaType(String a, String b) {
        try {
            return parse(a).canonical().essence().equals(parse(b).canonical().essence());
        } catch (MalformedHeaderException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaType m && type.equals(m.type) && subtype.equals(m.subtype)
                && parameters.equals(m.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, subtype, parameters);
    }

    /** {@code type/subtype; name=value}, quoting values that are not tokens. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(essence());
        for (Parameter p : parameters) sb.append("; ").append(p.name()).append('=').append(HeaderCursor.quoteIfNeeded(p.value()));
        return sb.toString();
    }
}

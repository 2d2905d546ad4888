package dev.stratus.web.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** The headers of one part of a multipart body: ordered, names case-insensitive, immutable. */
public final class PartHeaders {
    /** One header line; the name as written. */
    public record Header(String name, String value) {
        public Header {
            if (!HeaderCursor.isToken(name)) throw new IllegalArgumentException("not a header name: '" + name + "'");
            // a CR or LF in a value would let data forge headers or boundaries
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("line break in header " + name);
            }
        }
    }

    public static final PartHeaders EMPTY = new PartHeaders(List.of());

    private final List<Header> headers;

    private PartHeaders(List<Header> headers) {
        this.headers = List.copyOf(headers);
    }

    /** {@code of("Content-Type", "application/dicom", "Content-Location", uri)}. */
    public static PartHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("names and values must pair up");
        List<Header> hs = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) hs.add(new Header(namesAndValues[i], namesAndValues[i + 1]));
        return new PartHeaders(hs);
    }

    public static PartHeaders of(List<Header> headers) {
        return new PartHeaders(headers);
    }

    /** A copy with this header appended. */
    public PartHeaders with(String name, String value) {
        List<Header> hs = new ArrayList<>(headers);
        hs.add(new Header(name, value));
        return new PartHeaders(hs);
    }

    public List<Header> all() {
        return headers;
    }

    public Optional<String> first(String name) {
        for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return Optional.of(h.value());
        return Optional.empty();
    }

    public List<String> values(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /** The parsed Content-Type; throws {@link MalformedHeaderException} if it does not parse. */
    public Optional<MediaType> contentType() {
        return first("Content-Type").map(MediaType::parse);
    }

    /** The {@code transfer-syntax} parameter of Content-Type (PS3.18 8.7.3.5). */
    public Optional<String> transferSyntax() {
        return contentType().flatMap(m -> m.parameter("transfer-syntax"));
    }

    public Optional<String> contentLocation() {
        return first("Content-Location");
    }

    public Optional<String> contentId() {
        return first("Content-ID");
    }

    /** The declared Content-Length; throws {@link MalformedHeaderException} if it is not digits. */
    public OptionalLong contentLength() {
        Optional<String> v = first("Content-Length");
        if (v.isEmpty()) return OptionalLong.empty();
        String s = v.get().trim();
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new MalformedHeaderException("malformed Content-Length '" + v.get() + "': not a number of bytes");
        }
        return OptionalLong.of(Long.parseLong(s));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartHeaders p && headers.equals(p.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(headers);
    }

    @Override
    public String toString() {
        return headers.toString();
    }
}

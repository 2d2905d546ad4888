package dev.stratus.web.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the tokens, quoted strings and parameters of RFC 9110 5.6 from one header value. */
final class HeaderCursor {
    private final String text;
    private final String what;
    private final boolean inList;
    private int pos;

    /** {@code what} names the header in messages; {@code inList} makes ',' end an element. */
    HeaderCursor(String text, String what, boolean inList) {
        this.text = text;
        this.what = what;
        this.inList = inList;
    }

    static boolean isTokenChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (!isTokenChar(s.charAt(i))) return false;
        return true;
    }

    /** The value as a token, or as a quoted string when it is not one (RFC 9110 5.6.4). */
    static String quoteIfNeeded(String value) {
        if (isToken(value)) return value;
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    /** At the end of the text, or of the list element when in a list. */
    boolean atElementEnd() {
        return atEnd() || (inList && peek() == ',');
    }

    char peek() {
        return text.charAt(pos);
    }

    void advance() {
        pos++;
    }

    void skipSpace() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) pos++;
    }

    /** A token, lower-cased: media types and parameter names are case-insensitive. */
    String token(String role) {
        int start = pos;
        while (!atEnd() && isTokenChar(peek())) pos++;
        if (start == pos) throw error("expected " + role);
        return text.substring(start, pos).toLowerCase(Locale.ROOT);
    }

    void expect(char c, String role) {
        if (atEnd() || peek() != c) throw error("expected " + role);
        pos++;
    }

    /**
     * {@code *( OWS ";" OWS [ name OWS "=" OWS value ] )} up to the element end; empty parameters are
     * skipped and spaces around '=' tolerated because real clients send both.
     */
    List<MediaType.Parameter> parameters(boolean leadingSemicolon) {
        List<MediaType.Parameter> params = new ArrayList<>();
        boolean needSeparator = leadingSemicolon;
        while (true) {
            skipSpace();
            if (atElementEnd()) return params;
            if (peek() == ';') {
                pos++;
                needSeparator = false;
                continue;
            }
            if (needSeparator) throw error("expected ';' before a parameter");
            String name = token("a parameter name");
            skipSpace();
            expect('=', "'=' after parameter '" + name + "'");
            skipSpace();
            params.add(new MediaType.Parameter(name, value(name)));
            needSeparator = true;
        }
    }

    /** A quoted string, or unquoted text up to ';' (or ','): clients send type=application/dicom unquoted. */
    private String value(String name) {
        if (!atEnd() && peek() == '"') return quoted();
        int start = pos;
        while (!atEnd()) {
            char c = peek();
            if (c == ';' || c == '"' || c <= ' ' || c == 127 || (inList && c == ',')) break;
            pos++;
        }
        if (start == pos) throw error("parameter '" + name + "' has no value");
        return text.substring(start, pos);
    }

    private String quoted() {
        int open = pos++;
        StringBuilder sb = new StringBuilder();
        while (!atEnd()) {
            char c = text.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c == '\\') {
                if (atEnd()) break;
                c = text.charAt(pos++);
            }
            sb.append(c);
        }
        pos = open;
        throw error("unterminated quoted string");
    }

    MalformedHeaderException error(String problem) {
        return new MalformedHeaderException(
                "malformed " + what + " '" + text + "': " + problem + " at position " + pos);
    }
}

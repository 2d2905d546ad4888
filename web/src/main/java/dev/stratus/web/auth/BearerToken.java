package dev.stratus.web.auth;

import java.util.List;
import java.util.Locale;

/** The token of an {@code Authorization: Bearer} header (RFC 6750 2.1), checked for form and size before any parsing. */
final class BearerToken {
    /**
     * Longer than any access token of the providers we know (a Keycloak token with many roles is ~3 KB); Jetty's
     * header limit is the same, so this also holds when that limit is raised.
     */
    static final int MAX_LENGTH = 8192;

    private BearerToken() {}

    /** @param lines the request's Authorization header lines, empty when absent */
    static String from(List<String> lines) {
        if (lines.isEmpty()) throw AccessRefused.noToken("this resource needs a bearer token (Authorization: Bearer <token>)");
        if (lines.size() > 1) throw AccessRefused.malformed("more than one Authorization header");
        String value = lines.getFirst().strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
            throw AccessRefused.noToken("only bearer tokens are accepted (Authorization: Bearer <token>), not the "
                    + (scheme.length() <= 20 && scheme.chars().allMatch(Character::isLetterOrDigit) ? scheme + " scheme" : "scheme sent"));
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) throw AccessRefused.malformed("the Authorization header names the Bearer scheme but holds no token");
        if (token.length() > MAX_LENGTH) throw AccessRefused.malformed("the bearer token is longer than " + MAX_LENGTH + " characters");
        if (!isB64Token(token)) throw AccessRefused.malformed("the bearer token holds characters RFC 6750 does not allow (or spaces)");
        return token;
    }

    /** b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
    private static boolean isB64Token(String t) {
        int end = t.length();
        while (end > 0 && t.charAt(end - 1) == '=') end--;
        if (end == 0) return false;
        for (int i = 0; i < end; i++) {
            char c = t.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~+/".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }
}

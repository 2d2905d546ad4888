package dev.stratus.web.auth;

/** The {@code WWW-Authenticate: Bearer ...} value of RFC 6750 section 3. */
final class BearerChallenge {
    static final String REALM = "stratus";

    private BearerChallenge() {}

    static String of(String error, String description, String scope) {
        StringBuilder b = new StringBuilder("Bearer realm=\"").append(REALM).append('"');
        if (error != null) b.append(", error=\"").append(error).append('"');
        if (description != null) b.append(", error_description=\"").append(quotable(description)).append('"');
        if (scope != null) b.append(", scope=\"").append(quotable(scope)).append('"');
        return b.toString();
    }

    /**
     * Only the characters RFC 6750 allows inside these quoted values (%x20-21 / %x23-5B / %x5D-7E), others become
     * '?': the description may quote the token's own claims, which must not break or inject header syntax.
     */
    static String quotable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && i < 300; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : '?');
        }
        return b.toString();
    }
}

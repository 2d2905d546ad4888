package dev.stratus.web.auth;

/**
 * A request refused by authorization: its status, the reason in words, and the RFC 6750 challenge for the
 * {@code WWW-Authenticate} header (null when the status has none, as for 503).
 */
public final class AccessRefused extends RuntimeException {
    private final int status;
    private final String challenge;

    private AccessRefused(int status, String message, String challenge, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.challenge = challenge;
    }

    /** 401 without an error code: the request carried no bearer token at all (RFC 6750 3.1). */
    static AccessRefused noToken(String message) {
        return new AccessRefused(401, message, BearerChallenge.of(null, null, null), null);
    }

    /** 400 invalid_request: the Authorization header is not a well-formed bearer credential. */
    static AccessRefused malformed(String message) {
        return new AccessRefused(400, message, BearerChallenge.of("invalid_request", message, null), null);
    }

    /** 401 invalid_token: expired, not yet valid, wrongly signed, meant for another issuer or audience. */
    static AccessRefused invalidToken(String message) {
        return new AccessRefused(401, "invalid token: " + message, BearerChallenge.of("invalid_token", message, null), null);
    }

    /** 403 insufficient_scope: a valid token that does not grant this tenant or this capability. */
    static AccessRefused insufficient(String message, String scope) {
        return new AccessRefused(403, message, BearerChallenge.of("insufficient_scope", message, scope), null);
    }

    /** 503: the token could not be checked because the identity provider's keys could not be had. */
    static AccessRefused providerUnavailable(Throwable cause) {
        return new AccessRefused(503, "the identity provider's signing keys cannot be fetched to check the token", null, cause);
    }

    public int status() { return status; }

    /** The WWW-Authenticate value, or null. */
    public String challenge() { return challenge; }
}

package dev.stratus.web.auth;

import com.nimbusds.jose.JWSAlgorithm;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How requests are authorized: off (every request is served, as before), or bearer tokens (RFC 6750) that an OpenID
 * Connect provider signs. Off is the default.
 *
 * @param issuer the provider's issuer URL (its {@code /.well-known/openid-configuration} is read); null: authorization off
 * @param audience the {@code aud} value a token must carry (this server's client or resource id)
 * @param tenantClaim the claim listing the tenants a token may use (a string or an array); a dotted path reaches into
 *                    nested objects when no claim has the full name
 * @param permissionClaim the claim holding scopes or roles: "scope" (space-separated string, RFC 8693) or an array
 *                        claim such as "roles" or "realm_access.roles"
 * @param permissions the names in that claim that grant each capability
 * @param clockSkew how far {@code exp} and {@code nbf} may be off our clock
 * @param algorithms the signature algorithms accepted; asymmetric only (never {@code none} or HMAC)
 * @param keyRefetchInterval the shortest time between two fetches of the provider's key set prompted by an unknown
 *                           key id; a token with a random {@code kid} costs no more than that
 * @param browserClientId the public client (no secret) the study browser signs in as, with the authorization code
 *                        flow and PKCE; null: the browser does not sign in
 */
public record Authorization(String issuer, String audience, String tenantClaim, String permissionClaim,
                            Permissions permissions, Duration clockSkew, Set<String> algorithms, Duration keyRefetchInterval,
                            String browserClientId) {
    public static final String DEFAULT_TENANT_CLAIM = "tenant";
    public static final String DEFAULT_PERMISSION_CLAIM = "scope";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "ES256", "PS256");
    public static final Duration DEFAULT_KEY_REFETCH_INTERVAL = Duration.ofSeconds(30);
    public static final Duration MAX_KEY_REFETCH_INTERVAL = Duration.ofMinutes(4);
    /** The asymmetric JWS algorithms that may be named; HMAC and none are absent on purpose. */
    static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512");

    public static final Authorization OFF = new Authorization(null, null, DEFAULT_TENANT_CLAIM, DEFAULT_PERMISSION_CLAIM,
            Permissions.DEFAULT, DEFAULT_CLOCK_SKEW, DEFAULT_ALGORITHMS, DEFAULT_KEY_REFETCH_INTERVAL, null);

    public Authorization {
        if (tenantClaim == null || tenantClaim.isBlank()) throw new IllegalArgumentException("the tenant claim must be named");
        if (permissionClaim == null || permissionClaim.isBlank()) throw new IllegalArgumentException("the permission claim must be named");
        if (permissions == null) throw new IllegalArgumentException("the permission names must be given");
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("the clock skew must be between 0 and 5 minutes, not " + clockSkew.toSeconds() + " s");
        }
        if (keyRefetchInterval.compareTo(Duration.ofSeconds(1)) < 0 || keyRefetchInterval.compareTo(MAX_KEY_REFETCH_INTERVAL) > 0) {
            throw new IllegalArgumentException("the key refetch interval must be between 1 second and " + MAX_KEY_REFETCH_INTERVAL.toSeconds()
                    + " s (below the " + IssuerKeys.KEY_SET_TTL.toMinutes() + " minutes a fetched key set is kept), not " + keyRefetchInterval.toSeconds() + " s");
        }
        algorithms = Set.copyOf(new LinkedHashSet<>(algorithms));
        if (algorithms.isEmpty()) throw new IllegalArgumentException("at least one signature algorithm must be accepted");
        for (String alg : algorithms) {
            if (!ASYMMETRIC.contains(alg)) {
                throw new IllegalArgumentException("signature algorithm '" + alg + "' is not accepted: only asymmetric ones "
                        + ASYMMETRIC.stream().sorted().toList() + " (never none or HMAC, which a public key would forge)");
            }
        }
        if (browserClientId != null) {
            if (issuer == null) throw new IllegalArgumentException("a browser client id needs an issuer to sign in with");
            if (browserClientId.isBlank() || browserClientId.length() > 200 || !browserClientId.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                throw new IllegalArgumentException("the browser client id must be 1 to 200 printable ASCII characters without spaces, not '"
                        + browserClientId + "'");
            }
        }
        if (issuer != null) {
            checkIssuer(issuer);
            if (audience == null || audience.isBlank()) {
                throw new IllegalArgumentException("an audience is required with an issuer: without one, a token the provider "
                        + "issued to any other application would be accepted here");
            }
        }
    }

    /** Bearer tokens from {@code issuer} for {@code audience}, everything else by default. */
    public static Authorization oidc(String issuer, String audience) {
        return new Authorization(issuer, audience, DEFAULT_TENANT_CLAIM, DEFAULT_PERMISSION_CLAIM, Permissions.DEFAULT,
                DEFAULT_CLOCK_SKEW, DEFAULT_ALGORITHMS, DEFAULT_KEY_REFETCH_INTERVAL, null);
    }

    public boolean enabled() { return issuer != null; }

    public Authorization withTenantClaim(String claim) {
        return new Authorization(issuer, audience, claim, permissionClaim, permissions, clockSkew, algorithms, keyRefetchInterval, browserClientId);
    }

    public Authorization withPermissions(String claim, Permissions names) {
        return new Authorization(issuer, audience, tenantClaim, claim, names, clockSkew, algorithms, keyRefetchInterval, browserClientId);
    }

    public Authorization withClockSkew(Duration skew) {
        return new Authorization(issuer, audience, tenantClaim, permissionClaim, permissions, skew, algorithms, keyRefetchInterval, browserClientId);
    }

    public Authorization withKeyRefetchInterval(Duration interval) {
        return new Authorization(issuer, audience, tenantClaim, permissionClaim, permissions, clockSkew, algorithms, interval, browserClientId);
    }

    public Authorization withBrowserClientId(String clientId) {
        return new Authorization(issuer, audience, tenantClaim, permissionClaim, permissions, clockSkew, algorithms, keyRefetchInterval, clientId);
    }

    /**
     * What the study browser asks the provider for: {@code openid}, and the permission names when they are scopes (with
     * a roles claim the provider grants roles by its own mapping, not by what a client asks).
     */
    public String browserScopes() {
        if (!permissionClaim.equals(DEFAULT_PERMISSION_CLAIM)) return "openid";
        return String.join(" ", "openid", permissions.read(), permissions.write(), permissions.delete());
    }

    Set<JWSAlgorithm> jwsAlgorithms() {
        Set<JWSAlgorithm> set = new LinkedHashSet<>();
        for (String a : algorithms) set.add(JWSAlgorithm.parse(a));
        return set;
    }

    /** https, or http to this machine only (a provider reached in clear could be impersonated, keys and all). */
    private static void checkIssuer(String issuer) {
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the issuer '" + issuer + "' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("the issuer '" + issuer + "' must be an absolute URL without query or fragment");
        }
        boolean loopback = List.of("localhost", "127.0.0.1", "[::1]").contains(host.toLowerCase(Locale.ROOT));
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw new IllegalArgumentException("the issuer '" + issuer + "' must be https (http only for localhost)");
        }
    }

    /** The names, in the permission claim, that grant each capability. */
    public record Permissions(String read, String write, String delete, String metrics) {
        public static final Permissions DEFAULT = new Permissions("dicom.read", "dicom.write", "dicom.delete", "stratus.metrics");

        public Permissions {
            for (String name : List.of(read, write, delete, metrics)) {
                if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("a permission name must be one word, not '" + name + "'");
                }
            }
        }

        String nameOf(Capability c) {
            return switch (c) {
                case READ -> read;
                case WRITE -> write;
                case DELETE -> delete;
                case METRICS -> metrics;
                case OPEN -> throw new IllegalArgumentException("an open route needs no permission");
            };
        }
    }
}

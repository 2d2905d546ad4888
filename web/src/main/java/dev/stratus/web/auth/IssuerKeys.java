package dev.stratus.web.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The signing keys of an OpenID provider: its discovery document (OpenID Connect Discovery 1.0, section 4) names the
 * {@code jwks_uri}; nimbus' remote key source fetches that set, caches it, and fetches it again when a token names a
 * key id it does not hold, at most twice per refetch interval. Discovery happens at the first token, so that a server
 * starts while its provider is down; a failed discovery is retried only after the same interval.
 */
final class IssuerKeys implements JWKSource<SecurityContext> {
    /** Bounds on each fetch: a slow or huge answer from the provider must not hold a request or fill the heap. */
    static final int CONNECT_TIMEOUT_MS = 2_000, READ_TIMEOUT_MS = 5_000, SIZE_LIMIT = 256 * 1024;
    static final Duration KEY_SET_TTL = Duration.ofMinutes(5);
    private static final Duration REFRESH_WAIT = Duration.ofSeconds(5);

    private final String issuer;
    private final URL discovery;
    private final ResourceRetriever retriever;
    private final Duration refetchInterval;
    private volatile JWKSource<SecurityContext> keys;
    private Instant failedAt;
    private String failure;

    IssuerKeys(String issuer, Duration refetchInterval) {
        this.issuer = issuer;
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        try {
            this.discovery = URI.create(base + "/.well-known/openid-configuration").toURL();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("no discovery URL can be made from the issuer '" + issuer + "'", e);
        }
        this.retriever = new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, SIZE_LIMIT);
        this.refetchInterval = refetchInterval;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        return source().get(selector, context);
    }

    private JWKSource<SecurityContext> source() throws KeySourceException {
        JWKSource<SecurityContext> k = keys;
        return k != null ? k : discover();
    }

    private synchronized JWKSource<SecurityContext> discover() throws KeySourceException {
        if (keys != null) return keys;
        Instant now = Instant.now();
        if (failedAt != null && now.isBefore(failedAt.plus(refetchInterval))) {
            throw new KeySourceException("the discovery of " + issuer + " failed less than " + refetchInterval.toSeconds()
                    + " s ago (" + failure + ")");
        }
        try {
            Map<String, Object> doc = JSONObjectUtils.parse(retriever.retrieveResource(discovery).getContent());
            String announced = JSONObjectUtils.getString(doc, "issuer");
            if (!issuer.equals(announced)) {
                throw new KeySourceException("the discovery document of " + issuer + " names the issuer '" + announced
                        + "'; they must be identical (OpenID Connect Discovery 4.3)");
            }
            URI jwks = JSONObjectUtils.getURI(doc, "jwks_uri");
            if (jwks == null || !List.of("https", "http").contains(jwks.getScheme())) {
                throw new KeySourceException("the discovery document of " + issuer + " has no http(s) jwks_uri");
            }
            keys = JWKSourceBuilder.<SecurityContext>create(jwks.toURL(), retriever)
                    .cache(KEY_SET_TTL.toMillis(), REFRESH_WAIT.toMillis())
                    .refreshAheadCache(false) // no background threads: a request past the TTL fetches, bounded as above
                    .rateLimited(refetchInterval.toMillis())
                    .retrying(false)
                    .build();
            failedAt = null;
            return keys;
        } catch (IOException | ParseException | IllegalArgumentException | KeySourceException e) {
            failedAt = now;
            failure = e.getMessage();
            throw e instanceof KeySourceException k ? k : new KeySourceException("the discovery of " + issuer + " failed: " + e.getMessage(), e);
        }
    }
}

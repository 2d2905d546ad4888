package dev.stratus.web;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.stratus.web.auth.Authorization;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenID provider in-process (NAV's mock-oauth2-server): discovery document, JWKS, tokens signed with its
 * keys. Its signing key can be rotated, as a provider does, to see that a token under the new key is taken.
 */
final class TestIdentityProvider implements AutoCloseable {
    static final String ISSUER_ID = "stratus-idp";
    static final String AUDIENCE = "stratus";
    static final String ALL_SCOPES = "dicom.read dicom.write dicom.delete stratus.metrics";

    private final RotatingKeys keys = new RotatingKeys();
    final MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys)));

    TestIdentityProvider() {
        server.start();
        // its first answer (templates, Kotlin, a cold JIT) can take seconds on a busy machine: not the server's to wait for
        try (HttpClient http = HttpClient.newHttpClient()) {
            http.send(HttpRequest.newBuilder(server.wellKnownUrl(ISSUER_ID).uri()).build(), HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(server.jwksUrl(ISSUER_ID).uri()).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try {
            keySetFetches(); // those two are not the server's
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String issuer() { return server.issuerUrl(ISSUER_ID).toString(); }

    Authorization authorization() { return Authorization.oidc(issuer(), AUDIENCE); }

    /** A token of this provider for our audience, valid for an hour. */
    String token(String subject, Map<String, Object> claims) {
        return server.issueToken(ISSUER_ID, subject, AUDIENCE, claims, 3600).serialize();
    }

    /** A token granting {@code tenants} with {@code scope} (space-separated). */
    String token(List<String> tenants, String scope) {
        return token("user-" + String.join("-", tenants), Map.of("tenant", tenants, "scope", scope));
    }

    /** The key tokens are signed with now. */
    RSAKey signingKey() { return keys.current; }

    /** Signs from now on with a new key, which the published set then holds instead of the old. */
    void rotateKeys() { keys.current = RotatingKeys.generate(); }

    /** How many times the key set was fetched since the last call (the recorded requests are consumed). */
    int keySetFetches() throws InterruptedException {
        int n = 0;
        while (true) {
            RecordedRequest r;
            try {
                r = server.takeRequest(10, TimeUnit.MILLISECONDS);
            } catch (RuntimeException queueEmpty) { // how this server says the queue is empty
                return n;
            }
            if (r == null) return n;
            if (r.getPath() != null && r.getPath().endsWith("/jwks")) n++;
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** The provider's keys: one at a time, replaced on rotation. */
    private static final class RotatingKeys extends KeyProvider {
        volatile RSAKey current = generate();

        @Override
        public JWK signingKey(String issuerId) { return current; }

        static RSAKey generate() {
            try {
                return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString()).generate();
            } catch (com.nimbusds.jose.JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

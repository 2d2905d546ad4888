package dev.stratus.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.stratus.web.auth.Authorization;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a bearer token can be wrong, against a real OpenID provider in-process: each is refused with the status
 * and the RFC 6750 challenge a client acts on, and a reason in words. Tokens the provider would never issue (unsigned,
 * HMAC-signed with its public key, signed by someone else) are built with nimbus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {
    private static final String SEARCH = "/dicomweb/studies";

    @TempDir
    static Path dir;
    TestIdentityProvider idp;
    TestArchive archive;

    @BeforeAll
    void start() throws Exception {
        idp = new TestIdentityProvider();
        // a refetch interval no test run outlasts: the count of key set fetches below depends on no clock
        archive = new TestArchive(dir, Map.of(), TestBackend.SQLITE,
                s -> s.withAuthorization(idp.authorization().withKeyRefetchInterval(Authorization.MAX_KEY_REFETCH_INTERVAL)),
                java.net.http.HttpClient.newHttpClient());
    }

    @AfterAll
    void stop() {
        archive.close();
        idp.close();
    }

    private HttpResponse<String> get(String path, String... authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(archive.base + path));
        for (String a : authorization) b.header("Authorization", a);
        return archive.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> search(String token) throws Exception {
        return get(SEARCH, "Bearer " + token);
    }

    private static String challenge(HttpResponse<?> r) {
        return r.headers().firstValue("WWW-Authenticate").orElse("(none)");
    }

    private static void assertInvalidToken(HttpResponse<String> r, String why) {
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(challenge(r).startsWith("Bearer realm=\"stratus\", error=\"invalid_token\""), challenge(r));
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertTrue(r.body().contains(why), "the body says why (" + why + "): " + r.body());
    }

    /** Claims as the provider writes them, for tokens built here. */
    private JWTClaimsSet.Builder claims() {
        return claims(idp);
    }

    private static JWTClaimsSet.Builder claims(TestIdentityProvider idp) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(idp.issuer()).audience(TestIdentityProvider.AUDIENCE).subject("mallory")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .claim("tenant", List.of("default")).claim("scope", TestIdentityProvider.ALL_SCOPES);
    }

    private static String signed(JWTClaimsSet claims, RSAKey key, String kid) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey strangerKey() throws JOSEException {
        return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    }

    @Test
    void aValidTokenForTheTenantIsServed() throws Exception {
        HttpResponse<String> r = search(idp.token(List.of("default"), "dicom.read"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("[]", r.body());
    }

    @Test
    void noTokenIs401WithAChallengeAndNoErrorCode() throws Exception {
        HttpResponse<String> r = get(SEARCH);
        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"stratus\"", challenge(r), "RFC 6750 3.1: no error code when no credentials were sent");
        assertTrue(r.body().contains("needs a bearer token"), r.body());
    }

    @Test
    void anotherSchemeIsTakenAsNoToken() throws Exception {
        HttpResponse<String> r = get(SEARCH, "Basic YWRtaW46YWRtaW4=");
        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"stratus\"", challenge(r));
        assertTrue(r.body().contains("only bearer tokens"), r.body());
    }

    @Test
    void expiredTokenIs401() throws Exception {
        String expired = idp.server.issueToken(TestIdentityProvider.ISSUER_ID, "alice", TestIdentityProvider.AUDIENCE,
                Map.of("tenant", "default", "scope", "dicom.read"), -3600).serialize();
        assertInvalidToken(search(expired), "expired");
    }

    @Test
    void tokenNotYetValidIs401() throws Exception {
        Instant later = Instant.now().plusSeconds(3600);
        String early = signed(claims().notBeforeTime(Date.from(later)).expirationTime(Date.from(later.plusSeconds(600))).build(),
                idp.signingKey(), idp.signingKey().getKeyID());
        assertInvalidToken(search(early), "not valid yet");
    }

    @Test
    void tokenOfAnotherIssuerIs401() throws Exception {
        // signed with the provider's own key: only the iss claim is wrong
        String other = idp.server.anyToken(HttpUrl.get("https://other-issuer.example.org/realm"),
                Map.of("sub", "alice", "aud", TestIdentityProvider.AUDIENCE, "tenant", "default", "scope", "dicom.read"),
                Duration.ofMinutes(10)).serialize();
        assertInvalidToken(search(other), "another issuer");
    }

    @Test
    void tokenForAnotherAudienceIs401() throws Exception {
        String other = idp.server.issueToken(TestIdentityProvider.ISSUER_ID, "alice", "some-other-app",
                Map.of("tenant", "default", "scope", "dicom.read"), 3600).serialize();
        assertInvalidToken(search(other), "audience");
    }

    @Test
    void tokenSignedBySomeoneElseUnderTheProvidersKeyIdIs401() throws Exception {
        String forged = signed(claims().build(), strangerKey(), idp.signingKey().getKeyID());
        assertInvalidToken(search(forged), "signature does not verify");
    }

    @Test
    void tamperedClaimsBreakTheSignature() throws Exception {
        String[] parts = idp.token(List.of("default"), "dicom.read").split("\\.");
        String widened = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims().subject("alice").build().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertInvalidToken(search(parts[0] + "." + widened + "." + parts[2]), "signature does not verify");
    }

    @Test
    void unsignedTokenIs401() throws Exception {
        assertInvalidToken(search(new PlainJWT(claims().build()).serialize()), "alg none");
    }

    @Test
    void hmacSignedWithThePublicKeyIs401() throws Exception {
        // the classic confusion: a verifier that let the token pick the algorithm would check this MAC with the public key
        byte[] publicKey = idp.signingKey().toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(idp.signingKey().getKeyID()).build(), claims().build());
        jwt.sign(new MACSigner(publicKey));
        assertInvalidToken(search(jwt.serialize()), "HS256 is not accepted");
    }

    /** A server and provider of its own, for the tests that depend on the key set cache's history. */
    private static <T> T withOwnServer(Path dir, ThrowingFunction<TestIdentityProvider, TestArchive, T> test) throws Exception {
        try (TestIdentityProvider own = new TestIdentityProvider();
             TestArchive server = new TestArchive(dir, Map.of(), TestBackend.SQLITE,
                     s -> s.withAuthorization(own.authorization().withKeyRefetchInterval(Authorization.MAX_KEY_REFETCH_INTERVAL)),
                     java.net.http.HttpClient.newHttpClient())) {
            return test.apply(own, server);
        }
    }

    interface ThrowingFunction<A, B, T> {
        T apply(A a, B b) throws Exception;
    }

    private static HttpResponse<String> search(TestArchive server, String token) throws Exception {
        return server.http.send(HttpRequest.newBuilder(URI.create(server.base + SEARCH)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unknownKeyIdIs401AndRandomKeyIdsCostAtMostOneRefetch(@TempDir Path own) throws Exception {
        withOwnServer(own, (provider, server) -> {
            assertEquals(200, search(server, provider.token(List.of("default"), "dicom.read")).statusCode()); // the key set is cached
            provider.keySetFetches();
            RSAKey stranger = strangerKey();
            for (int i = 0; i < 20; i++) {
                assertInvalidToken(search(server, signed(claims(provider).build(), stranger, UUID.randomUUID().toString())), "key with id");
            }
            int fetches = provider.keySetFetches();
            assertTrue(fetches <= 1, "20 tokens with unknown key ids fetched the key set " + fetches + " times");
            assertEquals(200, search(server, provider.token(List.of("default"), "dicom.read")).statusCode(), "known keys serve from the cache");
            return null;
        });
    }

    @Test
    void aTokenUnderARotatedKeyIsTakenAfterOneRefetch(@TempDir Path own) throws Exception {
        withOwnServer(own, (provider, server) -> {
            assertEquals(200, search(server, provider.token(List.of("default"), "dicom.read")).statusCode());
            provider.keySetFetches();
            provider.rotateKeys();
            HttpResponse<String> r = search(server, provider.token(List.of("default"), "dicom.read"));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1, provider.keySetFetches(), "the new key id made the server fetch the set again");
            return null;
        });
    }

    @Test
    void tenantNotGrantedIs403() throws Exception {
        HttpResponse<String> r = get("/tenants/beta/dicomweb/studies", "Bearer " + idp.token(List.of("alpha"), "dicom.read"));
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(challenge(r).contains("error=\"insufficient_scope\""), challenge(r));
        assertTrue(r.body().contains("does not grant the tenant 'beta'"), r.body());
        HttpResponse<String> none = get(SEARCH, "Bearer " + idp.token("nobody", Map.of("scope", "dicom.read")));
        assertEquals(403, none.statusCode(), "a token without the tenant claim grants no tenant, not the default one");
    }

    @Test
    void missingPermissionIs403NamingIt() throws Exception {
        String readOnly = idp.token(List.of("default"), "dicom.read openid");
        HttpResponse<String> r = archive.http.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies"))
                .header("Authorization", "Bearer " + readOnly).header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x--")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(challenge(r).contains("scope=\"dicom.write\""), challenge(r));
        assertTrue(r.body().contains("lacks the permission 'dicom.write'"), r.body());
        HttpResponse<String> del = archive.http.send(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies/1.2.3"))
                .header("Authorization", "Bearer " + readOnly).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, del.statusCode(), del.body());
        assertEquals(403, search(idp.token(List.of("default"), "dicom.write dicom.delete")).statusCode(), "write does not imply read");
    }

    @Test
    void malformedAuthorizationHeadersAre400InvalidRequest() throws Exception {
        String good = idp.token(List.of("default"), "dicom.read");
        for (List<String> header : List.of(List.of("Bearer"), List.of("Bearer a b"), List.of("Bearer <script>"),
                List.of("Bearer " + good, "Bearer " + good))) {
            HttpResponse<String> r = get(SEARCH, header.toArray(String[]::new));
            assertEquals(400, r.statusCode(), header + " -> " + r.body());
            assertTrue(challenge(r).contains("error=\"invalid_request\""), challenge(r));
        }
        assertInvalidToken(search("abc.def"), "not a JWT");
    }

    @Test
    void anOversizedHeaderIsRefusedInJsonBeforeAnyParsing() throws Exception {
        HttpResponse<String> r = get(SEARCH, "Bearer " + "a".repeat(20_000));
        assertEquals(431, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"), r.headers().map().toString());
        assertTrue(r.body().startsWith("{\"status\":431"), r.body());
    }
}

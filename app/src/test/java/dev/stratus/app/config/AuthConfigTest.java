package dev.stratus.app.config;

import dev.stratus.web.auth.Authorization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The auth.* and http.* security settings become the web layer's Authorization and proxies, each refusal naming its key. */
class AuthConfigTest {
    private static final String ISSUER = "https://idp.example/realms/stratus";

    private static StratusConfig load(Path yaml, Map<String, String> env, Map<String, String> cli) {
        return ConfigLoader.load(yaml, env, cli, w -> { throw new AssertionError("unexpected warning: " + w); });
    }

    @Test
    void withoutAnIssuerAuthorizationIsOffAndNoProxyIsTrusted() {
        StratusConfig config = load(null, Map.of(), Map.of());
        Authorization a = config.auth().authorization();
        assertFalse(a.enabled());
        assertEquals(Authorization.OFF, a);
        assertEquals(List.of(), config.http().proxies().entries());
        assertFalse(config.http().proxies().trusts("10.1.2.3"));
        assertEquals(-1, config.http().metricsPort());
    }

    @Test
    void theFileTheEnvironmentAndTheOptionsFillTheAuthorization(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("s.yaml"), """
                auth:
                  audience: pacs
                  permissionClaim: realm_access.roles
                  permissions:
                    read: viewer
                    delete: admin
                  clockSkewSeconds: 5
                  algorithms: [ES256]
                  keyRefetchSeconds: 60
                http:
                  trustedProxies: [10.0.0.0/8]
                  metricsPort: 9090
                """);
        StratusConfig config = load(yaml, Map.of("STRATUS_AUTH_PERMISSIONS_WRITE", "uploader"),
                Map.of("auth.issuer", ISSUER, "auth.tenantClaim", "hospitals", "http.trustedProxies", "10.0.0.0/8,fd00::/8"));
        Authorization a = config.auth().authorization();
        assertTrue(a.enabled());
        assertEquals(ISSUER, a.issuer());
        assertEquals("pacs", a.audience());
        assertEquals("hospitals", a.tenantClaim());
        assertEquals("realm_access.roles", a.permissionClaim());
        assertEquals(new Authorization.Permissions("viewer", "uploader", "admin", "stratus.metrics"), a.permissions());
        assertEquals(Duration.ofSeconds(5), a.clockSkew());
        assertEquals(Set.of("ES256"), a.algorithms());
        assertEquals(Duration.ofMinutes(1), a.keyRefetchInterval());
        assertTrue(config.http().proxies().trusts("fd00::1"), "the option's list replaces the file's");
        assertTrue(config.http().proxies().trusts("10.9.9.9"));
        assertFalse(config.http().proxies().trusts("192.168.0.1"));
        assertEquals(9090, config.http().metricsPort());
    }

    @Test
    void withoutAnIssuerOnlyThisMachineIsServedUnlessAnonymousAccessIsAllowed() {
        assertEquals("127.0.0.1", load(null, Map.of(), Map.of()).http().host());
        assertEquals("0.0.0.0", load(null, Map.of(), Map.of("auth.issuer", ISSUER, "auth.audience", "a")).http().host(),
                "with tokens demanded, every interface by default");
        for (String local : List.of("127.0.0.1", "::1", "localhost", "127.0.0.5")) {
            assertEquals(local, load(null, Map.of(), Map.of("http.host", local)).http().host());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> load(null, Map.of("STRATUS_HTTP_HOST", "0.0.0.0"), Map.of()));
        assertEquals("http.host is 0.0.0.0, which other machines can reach, and authorization is off: set auth.issuer and auth.audience "
                + "(--auth-issuer, --auth-audience), or allow anonymous access on a trusted network with http.allowAnonymous "
                + "(--allow-anonymous) (from STRATUS_HTTP_HOST)", e.getMessage());
        assertThrows(ConfigException.class, () -> load(null, Map.of(), Map.of("http.host", "192.0.2.1")));
        assertEquals("0.0.0.0", load(null, Map.of(), Map.of("http.host", "0.0.0.0", "http.allowAnonymous", "true")).http().host());
        assertEquals("192.0.2.1", load(null, Map.of(), Map.of("http.host", "192.0.2.1", "auth.issuer", ISSUER, "auth.audience", "a")).http().host());
    }

    @Test
    void theStudyBrowsersClientIdNeedsAnIssuer() {
        Authorization a = load(null, Map.of("STRATUS_AUTH_BROWSER_CLIENT_ID", "stratus-browser"),
                Map.of("auth.issuer", ISSUER, "auth.audience", "a")).auth().authorization();
        assertEquals("stratus-browser", a.browserClientId());
        assertEquals(null, load(null, Map.of(), Map.of("auth.issuer", ISSUER, "auth.audience", "a")).auth().authorization().browserClientId());
        ConfigException e = assertThrows(ConfigException.class, () -> load(null, Map.of(), Map.of("auth.browserClientId", "stratus-browser")));
        assertTrue(e.getMessage().startsWith("auth.browserClientId is refused: a browser client id needs an issuer"), e.getMessage());
    }

    @Test
    void eachUnsafeOrMalformedValueIsRefusedNamingItsKey() {
        Map<Map<String, String>, String> refusals = Map.of(
                Map.of("auth.issuer", ISSUER), "auth.audience is required with auth.issuer",
                Map.of("auth.issuer", "http://idp.example/realms/a", "auth.audience", "a"), "auth.issuer is refused: the issuer 'http://idp.example/realms/a' must be https",
                Map.of("auth.issuer", ISSUER, "auth.audience", "a", "auth.algorithms", "RS256,HS256"), "auth.algorithms is refused: signature algorithm 'HS256' is not accepted",
                Map.of("auth.clockSkewSeconds", "600"), "auth.clockSkewSeconds is refused: the clock skew must be between 0 and 5 minutes",
                Map.of("auth.keyRefetchSeconds", "0.5"), "auth.keyRefetchSeconds is refused",
                Map.of("auth.permissions.read", "dicom read"), "auth.permissions.read must be one word (a scope or role name), was 'dicom read'",
                Map.of("http.trustedProxies", "proxy.internal"), "http.trustedProxies is refused: trusted proxy 'proxy.internal' is not an IP address",
                Map.of("http.metricsPort", "8080"), "http.metricsPort must differ from http.port",
                Map.of("http.tls.cert", "cert.pem"), "http.tls.key must be given too: HTTPS needs both the certificate and its key",
                Map.of("audit.sink", "syslog"), "audit.sink must be off, stdout or file:PATH, was 'syslog'");
        refusals.forEach((cli, message) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> load(null, Map.of(), cli), cli.toString());
            assertTrue(e.getMessage().startsWith(message), cli + ": " + e.getMessage());
            if (!message.startsWith("auth.audience") && !message.startsWith("http.tls.key")) assertTrue(e.getMessage().endsWith("(from the command line)"), e.getMessage()); // no value, no source
        });
    }
}

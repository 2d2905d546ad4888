package dev.stratus.web.auth;

import io.javalin.security.RouteRole;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings refuse what would open a hole, at start, naming it. */
class AuthorizationTest {
    private static final String ISSUER = "https://login.example.org/realms/pacs";

    private static String refusal(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void offByDefault() {
        assertFalse(Authorization.OFF.enabled());
        assertTrue(Authorization.oidc(ISSUER, "stratus").enabled());
    }

    @Test
    void anIssuerWithoutAudienceIsRefused() {
        assertTrue(refusal(() -> Authorization.oidc(ISSUER, null)).contains("audience is required"));
    }

    @Test
    void anIssuerInClearTextIsRefusedExceptOnThisMachine() {
        assertTrue(refusal(() -> Authorization.oidc("http://login.example.org/realm", "stratus")).contains("must be https"));
        assertTrue(Authorization.oidc("http://localhost:8180/realms/dev", "stratus").enabled());
        assertTrue(refusal(() -> Authorization.oidc("https://login.example.org/realm?x=1", "stratus")).contains("without query"));
    }

    @Test
    void noneAndHmacAreNeverAccepted() {
        Authorization a = Authorization.oidc(ISSUER, "stratus");
        for (String alg : new String[] {"none", "HS256", "HS512"}) {
            String m = refusal(() -> new Authorization(ISSUER, "stratus", "tenant", "scope", a.permissions(), a.clockSkew(),
                    Set.of("RS256", alg), a.keyRefetchInterval(), null));
            assertTrue(m.contains("'" + alg + "' is not accepted"), m);
        }
    }

    @Test
    void skewAndRefetchIntervalAreBounded() {
        Authorization a = Authorization.oidc(ISSUER, "stratus");
        assertTrue(refusal(() -> a.withClockSkew(Duration.ofHours(1))).contains("clock skew"));
        assertTrue(refusal(() -> a.withKeyRefetchInterval(Duration.ZERO)).contains("refetch interval"));
        assertTrue(refusal(() -> a.withKeyRefetchInterval(Duration.ofMinutes(10))).contains("refetch interval"));
        assertTrue(refusal(() -> new Authorization.Permissions("dicom read", "w", "d", "m")).contains("one word"));
    }

    @Test
    void theBrowserClientNeedsAnIssuerAndAsksForThePermissionScopes() {
        assertTrue(refusal(() -> Authorization.OFF.withBrowserClientId("stratus-browser")).contains("needs an issuer"));
        Authorization a = Authorization.oidc(ISSUER, "stratus");
        assertTrue(refusal(() -> a.withBrowserClientId("two words")).contains("without spaces"));
        assertEquals("openid dicom.read dicom.write dicom.delete", a.withBrowserClientId("stratus-browser").browserScopes());
        assertEquals("openid", a.withPermissions("roles", Authorization.Permissions.DEFAULT).browserScopes(), "roles are the provider's to map");
    }

    @Test
    void aRouteWithoutExactlyOneCapabilityIsRefused() {
        RouteRole other = new RouteRole() {};
        assertThrows(IllegalStateException.class, () -> AccessGuard.capabilityOf(Set.of()));
        assertThrows(IllegalStateException.class, () -> AccessGuard.capabilityOf(Set.of(other)));
        assertThrows(IllegalStateException.class, () -> AccessGuard.capabilityOf(Set.of(Capability.READ, Capability.OPEN)));
        assertEquals(Capability.WRITE, AccessGuard.capabilityOf(Set.of(Capability.WRITE, other)));
    }
}

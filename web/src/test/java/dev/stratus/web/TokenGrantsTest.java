package dev.stratus.web;

import dev.stratus.index.TenantId;
import dev.stratus.web.auth.Authorization;
import dev.stratus.web.auth.Capability;
import dev.stratus.web.auth.Principal;
import dev.stratus.web.auth.TokenVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a verified token grants, read from the claims the configuration names: scopes or roles, one tenant or many. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenGrantsTest {
    TestIdentityProvider idp;

    @BeforeAll
    void start() {
        idp = new TestIdentityProvider();
    }

    @AfterAll
    void stop() {
        idp.close();
    }

    @Test
    void scopesAndAnArrayOfTenants() {
        Principal p = TokenVerifier.of(idp.authorization()).verify(idp.token(List.of("alpha", "beta", "../bad"), "openid dicom.read dicom.delete"));
        assertEquals("user-alpha-beta-../bad", p.subject());
        assertEquals(Set.of(new TenantId("alpha"), new TenantId("beta")), p.tenants(), "an invalid tenant name grants nothing");
        assertEquals(Set.of(Capability.READ, Capability.DELETE), p.capabilities());
    }

    @Test
    void keycloakStyleRolesAndOneTenantAsAString() {
        Authorization roles = idp.authorization().withTenantClaim("organisation")
                .withPermissions("realm_access.roles", new Authorization.Permissions("viewer", "uploader", "dicom.delete", "monitoring"));
        String token = idp.token("carol", Map.of("organisation", "clinic-7",
                "realm_access", Map.of("roles", List.of("viewer", "uploader", "offline_access"))));
        Principal p = TokenVerifier.of(roles).verify(token);
        assertEquals(Set.of(new TenantId("clinic-7")), p.tenants());
        assertEquals(Set.of(Capability.READ, Capability.WRITE), p.capabilities());
        assertEquals(Set.of(), TokenVerifier.of(idp.authorization()).verify(token).capabilities(), "by default the scope claim counts, not roles");
    }
}

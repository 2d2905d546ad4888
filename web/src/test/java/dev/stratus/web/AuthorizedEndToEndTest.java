package dev.stratus.web;

import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole end-to-end DICOMweb suite with authorization on: every request carries the token of the tenant its URL
 * names and of that tenant alone, issued by a real OpenID provider. Every test passing shows each route it uses
 * admits a rightful token and that no test needs to reach across tenants.
 */
class AuthorizedEndToEndTest extends DicomWebEndToEndTest {
    private TestIdentityProvider idp;

    @Override
    protected TestArchive open(Path dir) throws Exception {
        idp = new TestIdentityProvider();
        Map<String, String> tokens = new ConcurrentHashMap<>();
        TokenPerTenantClient client = new TokenPerTenantClient(
                tenant -> tokens.computeIfAbsent(tenant, t -> idp.token(List.of(t), TestIdentityProvider.ALL_SCOPES)));
        return new TestArchive(dir, Map.of(), backend(), s -> s.withAuthorization(idp.authorization()), client);
    }

    @AfterEach
    void stopProvider() {
        if (idp != null) idp.close();
    }
}

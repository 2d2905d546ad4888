package dev.stratus.dimse;

import dev.stratus.codec.Uids;
import dev.stratus.dimse.service.AssociationInfo;
import dev.stratus.dimse.tls.CertifiedPeer;
import dev.stratus.dimse.tls.TlsPeer;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.net.InetAddress;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TenantPolicyTest {
    static final DimseSettings.Destination COMMON = new DimseSettings.Destination("pacs.example", 104),
            OWN = new DimseSettings.Destination("10.0.0.7", 11112), OTHER = new DimseSettings.Destination("10.0.0.8", 11112);

    @Test
    void aTenantsOwnMoveDestinationWinsAndOtherTenantsSeeOnlyTheCommonOnes() {
        TenantId a = new TenantId("a"), b = new TenantId("b");
        TenantPolicy policy = new TenantPolicy(DimseSettings.defaults().withMoves(Map.of("PACS", COMMON, "VIEWER", COMMON),
                Map.of(a, Map.of("VIEWER", OWN, "LAB", OTHER)), 4));
        assertEquals(OWN, policy.destination(a, "VIEWER"));
        assertEquals(COMMON, policy.destination(b, "VIEWER"));
        assertEquals(COMMON, policy.destination(a, "PACS"));
        assertEquals(OTHER, policy.destination(a, "LAB"));
        assertNull(policy.destination(b, "LAB"), "another tenant's destination is unknown to b");
        assertNull(policy.destination(TenantId.DEFAULT, "NOWHERE"));
    }

    @Test
    void aCertifiedPeersTenantWinsOverTheCalledAeTitleAndTheTenantARequestNames() throws Exception {
        TenantId radiology = new TenantId("radiology"), mapped = new TenantId("mapped");
        TenantPolicy policy = new TenantPolicy(DimseSettings.defaults().withTenants(TenantId.DEFAULT, Map.of("MAPPED", mapped),
                Map.of(new TenantId("named"), java.util.Set.of("CT1"))));
        var ct1 = new CertifiedPeer("ct1", new X500Principal("CN=ct-scanner-1"), null, radiology, java.util.Set.of("CT1"));
        var certified = new AssociationInfo("CT1", "MAPPED", InetAddress.getLoopbackAddress(), radiology, null,
                new TlsPeer("CN=ct-scanner-1", java.util.List.of(ct1), null));
        var naming = Requests.store(1, StorageScpTest.CT, Uids.generate()).putText(TenantPolicy.TENANT_COMMAND_ATTRIBUTE, "named");
        assertEquals(new TenantPolicy.Decision.Tenant(radiology), policy.forRequest(certified, naming));
        var plain = new AssociationInfo("CT1", "OTHER", InetAddress.getLoopbackAddress(), TenantId.DEFAULT, null);
        assertEquals(new TenantPolicy.Decision.Tenant(new TenantId("named")), policy.forRequest(plain, naming), "without a certificate the request names it");
        var withoutCertificate = new AssociationInfo("CT1", "OTHER", InetAddress.getLoopbackAddress(), TenantId.DEFAULT, null,
                new TlsPeer(null, java.util.List.of(), null));
        assertEquals(new TenantPolicy.Decision.Tenant(new TenantId("named")), policy.forRequest(withoutCertificate, naming),
                "TLS without a certificate (client authentication optional) binds nothing");
    }

    @Test
    void destinationsAreCheckedWhenConfigured() {
        assertThrows(IllegalArgumentException.class, () -> new DimseSettings.Destination("", 104));
        assertThrows(IllegalArgumentException.class, () -> new DimseSettings.Destination("host", 0));
        assertThrows(IllegalArgumentException.class, () -> DimseSettings.defaults().withMoves(Map.of("BAD\\AE", COMMON), Map.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> DimseSettings.defaults().withMoves(Map.of(), Map.of(), 0));
    }
}

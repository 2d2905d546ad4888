package dev.stratus.dimse;

import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;

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
    void destinationsAreCheckedWhenConfigured() {
        assertThrows(IllegalArgumentException.class, () -> new DimseSettings.Destination("", 104));
        assertThrows(IllegalArgumentException.class, () -> new DimseSettings.Destination("host", 0));
        assertThrows(IllegalArgumentException.class, () -> DimseSettings.defaults().withMoves(Map.of("BAD\\AE", COMMON), Map.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> DimseSettings.defaults().withMoves(Map.of(), Map.of(), 0));
    }
}

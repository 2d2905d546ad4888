package dev.stratus.dimse;

import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.message.Status;
import dev.stratus.dimse.service.AssociationInfo;
import dev.stratus.index.TenantId;

import java.util.Set;

/**
 * Which tenant an association and each of its requests belong to: on the TLS port, the tenant its client certificate
 * is bound to ({@code dimse.tls.peers}), whatever it calls or names; else the called AE title's tenant when the
 * title is mapped; otherwise the tenant named by the private command attribute (1211,1217) of the request
 * when present; otherwise the default tenant. Each tenant may restrict the calling AE titles it serves.
 */
public final class TenantPolicy {
    /** Private command element naming the tenant of a request (a string value, validated as a TenantId). */
    public static final int TENANT_COMMAND_ATTRIBUTE = 0x12111217;

    private final DimseSettings settings;

    public TenantPolicy(DimseSettings settings) {
        this.settings = settings;
    }

    /** The tenant of an association called with this AE title: mapped, else the default. */
    public TenantId forCalledAeTitle(String calledAeTitle) {
        return settings.tenantsByCalledAeTitle().getOrDefault(calledAeTitle, settings.defaultTenant());
    }

    public boolean isMapped(String calledAeTitle) {
        return settings.tenantsByCalledAeTitle().containsKey(calledAeTitle);
    }

    public boolean isKnownCalledAeTitle(String calledAeTitle) {
        return settings.acceptUnknownCalledAeTitles() || settings.aeTitle().equals(calledAeTitle) || isMapped(calledAeTitle);
    }

    public boolean allows(TenantId tenant, String callingAeTitle) {
        Set<String> allowed = settings.allowedCallingAeTitles().get(tenant);
        return allowed == null || allowed.contains(callingAeTitle);
    }

    /** Where a C-MOVE of this tenant may send to {@code aeTitle}: the tenant's own table first, then the common one; null if unknown. */
    public DimseSettings.Destination destination(TenantId tenant, String aeTitle) {
        DimseSettings.Destination own = settings.tenantDestinations().getOrDefault(tenant, java.util.Map.of()).get(aeTitle);
        return own != null ? own : settings.destinations().get(aeTitle);
    }

    /** The tenant of one request, or why it is refused. */
    public sealed interface Decision {
        record Tenant(TenantId tenant) implements Decision {}

        record Refused(int status, String comment) implements Decision {}
    }

    public Decision forRequest(AssociationInfo association, CommandSet command) {
        // An authenticated peer's tenant, not one it declares (AE title, (1211,1217)): what the certificate binding is for.
        if (association.certifiedTenant() != null) return new Decision.Tenant(association.certifiedTenant());
        String calledAeTitle = association.calledAeTitle(), callingAeTitle = association.callingAeTitle();
        if (isMapped(calledAeTitle)) return new Decision.Tenant(forCalledAeTitle(calledAeTitle)); // the AE title mapping wins
        String named = command.getString(TENANT_COMMAND_ATTRIBUTE);
        if (named == null) return new Decision.Tenant(settings.defaultTenant());
        if (!TenantId.isValid(named)) {
            return new Decision.Refused(Status.CANNOT_UNDERSTAND, "invalid tenant name in (1211,1217)");
        }
        TenantId tenant = new TenantId(named);
        if (!allows(tenant, callingAeTitle)) {
            return new Decision.Refused(Status.NOT_AUTHORIZED, "calling AE title " + callingAeTitle + " not allowed for tenant " + named);
        }
        return new Decision.Tenant(tenant);
    }
}

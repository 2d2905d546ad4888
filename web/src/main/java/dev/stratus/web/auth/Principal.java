package dev.stratus.web.auth;

import dev.stratus.index.TenantId;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.Set;

/**
 * Who a verified token speaks for: its subject, the client application it was issued to, the tenants it grants and what
 * it may do there. Put on the request by {@link AccessGuard} for later use (audit); absent when authorization is off.
 *
 * @param clientId the token's {@code client_id} (RFC 9068) or else {@code azp} (OpenID Connect); null when it has neither
 */
public record Principal(String subject, String clientId, Set<TenantId> tenants, Set<Capability> capabilities) {
    private static final String ATTRIBUTE = "stratus.principal";

    public Principal {
        tenants = Set.copyOf(tenants);
        capabilities = Set.copyOf(capabilities);
    }

    public boolean grants(TenantId tenant) { return tenants.contains(tenant); }

    public boolean may(Capability capability) { return capabilities.contains(capability); }

    void attachTo(Context ctx) { ctx.attribute(ATTRIBUTE, this); }

    /** The principal of a request, empty when authorization is off or the route is open. */
    public static Optional<Principal> of(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }
}

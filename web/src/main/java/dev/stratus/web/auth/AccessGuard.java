package dev.stratus.web.auth;

import dev.stratus.index.TenantId;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The one check before every matched route, keyed by the route's {@link Capability}: authenticate the bearer token
 * (401), then demand the route's tenant (403) and the capability (403). The order matters: nobody learns whether a
 * tenant name is even well formed before showing a valid token. A 403, not a 404, for a tenant not granted: tenants
 * are names, not records (any valid name is a tenant, empty until written), so refusing says nothing about what
 * exists, and the check runs before anything is looked up.
 */
public final class AccessGuard {
    private final TokenVerifier verifier;
    private final Authorization settings;
    private final Function<Context, TenantId> tenantOf;

    /**
     * @param verifier null when authorization is off
     * @param tenantOf the tenant a request addresses (from its URL and the x-tenant header), refusing an invalid name
     */
    public AccessGuard(TokenVerifier verifier, Authorization settings, Function<Context, TenantId> tenantOf) {
        if (settings.enabled() != (verifier != null)) throw new IllegalArgumentException("a verifier is needed exactly when authorization is on");
        this.verifier = verifier;
        this.settings = settings;
        this.tenantOf = tenantOf;
    }

    public void check(Context ctx) {
        Capability capability = capabilityOf(ctx.routeRoles());
        if (capability == Capability.OPEN) return;
        if (verifier == null) return;
        var lines = ctx.req().getHeaders("Authorization");
        List<String> authorization = lines == null ? List.of() : Collections.list(lines);
        Principal principal = verifier.verify(BearerToken.from(authorization));
        principal.attachTo(ctx);
        if (capability.tenantScoped()) {
            TenantId tenant = tenantOf.apply(ctx);
            if (!principal.grants(tenant)) {
                throw AccessRefused.insufficient("this token does not grant the tenant '" + tenant.name() + "'", null);
            }
        }
        if (!principal.may(capability)) {
            String name = settings.permissions().nameOf(capability);
            throw AccessRefused.insufficient("this token lacks the permission '" + name + "' (in its '"
                    + settings.permissionClaim() + "' claim) that " + describe(capability) + " needs", name);
        }
    }

    /** A route registered without a capability is a mistake; refusing it keeps a forgotten route closed. */
    static Capability capabilityOf(Set<RouteRole> roles) {
        Capability found = null;
        for (RouteRole r : roles) {
            if (r instanceof Capability c) {
                if (found != null) throw new IllegalStateException("route registered with two capabilities: " + roles);
                found = c;
            }
        }
        if (found == null) throw new IllegalStateException("route registered without a capability: refused until it has one");
        return found;
    }

    private static String describe(Capability c) {
        return switch (c) {
            case READ -> "searching and retrieving";
            case WRITE -> "storing";
            case DELETE -> "deleting";
            case METRICS -> "reading the metrics";
            case OPEN -> "nothing";
        };
    }
}

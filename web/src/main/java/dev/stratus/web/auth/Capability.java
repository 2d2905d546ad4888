package dev.stratus.web.auth;

import io.javalin.security.RouteRole;

/**
 * What a route does, so that one check before every route ({@link AccessGuard}) knows what to demand. Every route
 * is registered with exactly one; a route registered with none is refused.
 */
public enum Capability implements RouteRole {
    /** No token needed: the health probes of orchestrators. */
    OPEN,
    /** QIDO-RS and WADO-RS of one tenant. */
    READ,
    /** STOW-RS into one tenant. */
    WRITE,
    /** DELETE in one tenant. */
    DELETE,
    /** The Prometheus scrape (no tenant's data, but the server's internals). */
    METRICS;

    /** Whether the route acts on one tenant's data (and so needs the tenant granted). */
    public boolean tenantScoped() {
        return this == READ || this == WRITE || this == DELETE;
    }
}

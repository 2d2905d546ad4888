package dev.stratus.web;

import dev.stratus.codec.Uids;
import dev.stratus.archive.audit.AuditLog;
import dev.stratus.archive.audit.AuditRecord;
import dev.stratus.web.auth.Capability;
import dev.stratus.web.auth.Principal;
import dev.stratus.web.http.TrustedProxies;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;

import java.time.Instant;
import java.util.Collections;
import java.util.List;

/** What a finished request did, as one {@link AuditRecord}: called once per request, after its answer. */
record AccessAudit(AuditLog log, TrustedProxies proxies) {

    void record(Context ctx) {
        if (!log.enabled()) return;
        var matched = ctx.endpoints().matchedHttpEndpoint();
        Capability capability = capabilityOf(ctx);
        if (matched == null || capability == null || capability == Capability.OPEN) return; // no route, or a health probe: no access
        Principal principal = Principal.of(ctx).orElse(null);
        String address = proxies.clientAddress(ctx.req().getRemoteAddr(), name -> {
            var lines = ctx.req().getHeaders(name);
            return lines == null ? List.of() : Collections.list(lines);
        });
        log.record(new AuditRecord(Instant.now(), principal == null ? null : principal.subject(), principal == null ? null : principal.clientId(),
                capability.tenantScoped() ? tenant(ctx) : null, action(ctx.method().name(), matched.path), capability.name(),
                uid(ctx, "study"), uid(ctx, "series"), uid(ctx, "instance"), ctx.statusCode(), address, ctx.attribute(AuditRecord.Stored.class.getName())));
    }

    private static Capability capabilityOf(Context ctx) {
        for (RouteRole r : ctx.routeRoles()) if (r instanceof Capability c) return c;
        return null;
    }

    private static String tenant(Context ctx) {
        try {
            return DicomWebRequest.tenantOf(ctx).name();
        } catch (HttpProblem e) {
            return AuditRecord.INVALID;
        }
    }

    /** A UID the URL names, copied only when it is one (a path segment could hold anything). */
    private static String uid(Context ctx, String param) {
        String value = ctx.pathParamMap().get(param);
        if (value == null) return null;
        return Uids.problem(value) == null ? value : AuditRecord.INVALID;
    }

    /** The DICOMweb transaction a route template serves. */
    static String action(String method, String route) {
        return switch (method) {
            case "POST" -> "store";
            case "DELETE" -> "delete";
            default -> route.equals("/metrics") ? "metrics"
                    : route.endsWith("/metadata") ? "retrieve-metadata"
                    : route.endsWith("/frames/{frames}") ? "retrieve-frames"
                    : route.endsWith("/bulkdata/{range}") ? "retrieve-bulkdata"
                    : route.endsWith("/studies") || route.endsWith("/series") || route.endsWith("/instances") ? "search"
                    : "retrieve";
        };
    }
}

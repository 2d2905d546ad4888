package dev.stratus.web;

import dev.stratus.index.TenantId;

import java.util.List;
import java.util.function.Function;

/**
 * What the HTTP layer is told by the configuration.
 *
 * @param corsOrigins origins allowed by CORS (empty: CORS off; "*": any)
 * @param tenantOptions presentation options per tenant
 */
public record WebSettings(String host, int port, List<String> corsOrigins, Function<TenantId, TenantOptions> tenantOptions) {
    /** @param numbersAsStrings IS/DS as JSON strings; @param emptyQidoAs204 an empty search answers 204 instead of 200 [] */
    public record TenantOptions(boolean numbersAsStrings, boolean emptyQidoAs204) {
        public static final TenantOptions DEFAULT = new TenantOptions(false, false);
    }
}

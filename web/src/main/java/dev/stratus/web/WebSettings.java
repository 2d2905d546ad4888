package dev.stratus.web;

import dev.stratus.index.TenantId;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * What the HTTP layer is told by the configuration.
 *
 * @param host the address to listen on ("0.0.0.0": every interface)
 * @param corsOrigins origins allowed by CORS (empty: CORS off; "*": any)
 * @param tenantOptions presentation options per tenant
 * @param stowMaxParts the most parts one STOW-RS request may hold; reading stops at the next one
 * @param shutdownTimeout how long {@link DicomWebServer#close()} lets requests in flight finish
 */
public record WebSettings(String host, int port, List<String> corsOrigins, Function<TenantId, TenantOptions> tenantOptions,
                          int stowMaxParts, Duration shutdownTimeout) {
    public static final int DEFAULT_STOW_MAX_PARTS = 10_000;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public WebSettings {
        if (stowMaxParts < 1) throw new IllegalArgumentException("stowMaxParts must be at least 1, not " + stowMaxParts);
        if (shutdownTimeout.isNegative()) throw new IllegalArgumentException("shutdownTimeout must not be negative");
    }

    public WebSettings(String host, int port, List<String> corsOrigins, Function<TenantId, TenantOptions> tenantOptions) {
        this(host, port, corsOrigins, tenantOptions, DEFAULT_STOW_MAX_PARTS, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    public WebSettings withStowMaxParts(int max) {
        return new WebSettings(host, port, corsOrigins, tenantOptions, max, shutdownTimeout);
    }

    public WebSettings withShutdownTimeout(Duration timeout) {
        return new WebSettings(host, port, corsOrigins, tenantOptions, stowMaxParts, timeout);
    }

    /** @param numbersAsStrings IS/DS as JSON strings; @param emptyQidoAs204 an empty search answers 204 instead of 200 [] */
    public record TenantOptions(boolean numbersAsStrings, boolean emptyQidoAs204) {
        public static final TenantOptions DEFAULT = new TenantOptions(false, false);
    }
}

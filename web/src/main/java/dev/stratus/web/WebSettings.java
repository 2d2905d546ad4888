package dev.stratus.web;

import dev.stratus.index.TenantId;
import dev.stratus.archive.audit.AuditLog;
import dev.stratus.web.auth.Authorization;
import dev.stratus.web.http.TrustedProxies;
import dev.stratus.archive.tls.PemIdentity;

import java.nio.file.Path;
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
 * @param authorization bearer tokens demanded, or {@link Authorization#OFF}
 * @param trustedProxies the peers whose Forwarded / X-Forwarded-* headers are believed (none by default)
 * @param metricsPort -1: {@code /metrics} on the main port (behind the metrics permission when authorization is on);
 *                    otherwise a port of its own on the same host, without a token, and not on the main port
 * @param tls the certificate and key of HTTPS on the main port, reloaded when they change; null: plain HTTP
 * @param audit where one record per DICOMweb request goes ({@link AuditLog#OFF}: nowhere); its owner closes it
 * @param viewerDir where OHIF's build is installed, served at /viewer/ (null, or no index.html there: no viewer)
 */
public record WebSettings(String host, int port, List<String> corsOrigins, Function<TenantId, TenantOptions> tenantOptions,
                          int stowMaxParts, Duration shutdownTimeout, Authorization authorization,
                          TrustedProxies trustedProxies, int metricsPort, PemIdentity tls,
                          AuditLog audit, Path viewerDir) {
    public static final int DEFAULT_STOW_MAX_PARTS = 10_000;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final int METRICS_ON_MAIN_PORT = -1;

    public WebSettings {
        if (stowMaxParts < 1) throw new IllegalArgumentException("stowMaxParts must be at least 1, not " + stowMaxParts);
        if (shutdownTimeout.isNegative()) throw new IllegalArgumentException("shutdownTimeout must not be negative");
        if (authorization == null) throw new IllegalArgumentException("authorization must be given (Authorization.OFF for none)");
        if (trustedProxies == null) throw new IllegalArgumentException("trustedProxies must be given (TrustedProxies.NONE for none)");
        if (audit == null) throw new IllegalArgumentException("audit must be given (AuditLog.OFF for none)");
        if (metricsPort < -1 || metricsPort > 65535) throw new IllegalArgumentException("metricsPort must be -1 or 0..65535, not " + metricsPort);
    }

    public WebSettings(String host, int port, List<String> corsOrigins, Function<TenantId, TenantOptions> tenantOptions,
                       int stowMaxParts, Duration shutdownTimeout) {
        this(host, port, corsOrigins, tenantOptions, stowMaxParts, shutdownTimeout, Authorization.OFF, TrustedProxies.NONE,
                METRICS_ON_MAIN_PORT, null, AuditLog.OFF, null);
    }

    public WebSettings(String host, int port, List<String> corsOrigins, Function<TenantId, TenantOptions> tenantOptions) {
        this(host, port, corsOrigins, tenantOptions, DEFAULT_STOW_MAX_PARTS, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    public WebSettings withStowMaxParts(int max) {
        return new WebSettings(host, port, corsOrigins, tenantOptions, max, shutdownTimeout, authorization, trustedProxies, metricsPort, tls, audit, viewerDir);
    }

    public WebSettings withShutdownTimeout(Duration timeout) {
        return new WebSettings(host, port, corsOrigins, tenantOptions, stowMaxParts, timeout, authorization, trustedProxies, metricsPort, tls, audit, viewerDir);
    }

    public WebSettings withAuthorization(Authorization a) {
        return new WebSettings(host, port, corsOrigins, tenantOptions, stowMaxParts, shutdownTimeout, a, trustedProxies, metricsPort, tls, audit, viewerDir);
    }

    /** @param cidrs addresses or CIDR ranges, such as "10.0.0.0/8" */
    public WebSettings withTrustedProxies(List<String> cidrs) {
        return new WebSettings(host, port, corsOrigins, tenantOptions, stowMaxParts, shutdownTimeout, authorization,
                TrustedProxies.of(cidrs), metricsPort, tls, audit, viewerDir);
    }

    public WebSettings withMetricsPort(int p) {
        return new WebSettings(host, port, corsOrigins, tenantOptions, stowMaxParts, shutdownTimeout, authorization, trustedProxies, p, tls, audit, viewerDir);
    }

    /** HTTPS with the certificate chain and key of these PEM files (null: plain HTTP). */
    public WebSettings withTls(PemIdentity identity) {
        return new WebSettings(host, port, corsOrigins, tenantOptions, stowMaxParts, shutdownTimeout, authorization, trustedProxies, metricsPort, identity, audit, viewerDir);
    }

    public WebSettings withAudit(AuditLog log) {
        return new WebSettings(host, port, corsOrigins, tenantOptions, stowMaxParts, shutdownTimeout, authorization, trustedProxies, metricsPort, tls, log, viewerDir);
    }

    public WebSettings withViewerDir(Path dir) {
        return new WebSettings(host, port, corsOrigins, tenantOptions, stowMaxParts, shutdownTimeout, authorization, trustedProxies, metricsPort, tls, audit, dir);
    }

    /** @param numbersAsStrings IS/DS as JSON strings; @param emptyQidoAs204 an empty search answers 204 instead of 200 [] */
    public record TenantOptions(boolean numbersAsStrings, boolean emptyQidoAs204) {
        public static final TenantOptions DEFAULT = new TenantOptions(false, false);
    }
}

package dev.stratus.web;

import dev.stratus.archive.Archive;
import dev.stratus.web.auth.AccessGuard;
import dev.stratus.web.auth.Authorization;
import dev.stratus.web.auth.Capability;
import dev.stratus.web.auth.TokenVerifier;
import dev.stratus.web.health.HealthHandler;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.function.Supplier;

/**
 * The HTTP port of a node without the api role (a worker, a DICOM listener): {@code /health/live},
 * {@code /health/ready} and {@code /metrics} only, so that an orchestrator probes it and a scraper reads it like any
 * other node. {@code /metrics} demands the metrics permission when authorization is on, as on an API node's port.
 */
public final class ProbeServer implements AutoCloseable {
    private final Javalin app;

    public ProbeServer(WebSettings settings, Archive archive, PrometheusMeterRegistry metrics) {
        this(settings, () -> archive, metrics);
    }

    /** @param archive null until the node is up: ready then answers 503 (live: UP), as on an API node's port */
    public ProbeServer(WebSettings settings, Supplier<Archive> archive, PrometheusMeterRegistry metrics) {
        Starting<HealthHandler> health = new Starting<>(archive,
                a -> new HealthHandler(a.index(), a.store(), a.ingest(), a.liveness(), a.events()));
        Authorization authorization = settings.authorization();
        AccessGuard guard = new AccessGuard(authorization.enabled() ? TokenVerifier.of(authorization) : null, authorization,
                DicomWebRequest::tenantOf);
        app = Javalin.create(config -> {
            config.jetty.threadPool = HttpThreads.pool("probe");
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.startup.showJavalinBanner = false;
            config.routes.beforeMatched(guard::check);
            config.routes.get("/health/live", ctx -> {
                HealthHandler h = health.now();
                if (h == null) ctx.contentType("application/json").result("{\"status\":\"UP\"}");
                else h.live(ctx);
            }, Capability.OPEN);
            config.routes.get("/health/ready", ctx -> {
                HealthHandler h = health.now();
                if (h == null) Starting.answer(ctx);
                else h.ready(ctx);
            }, Capability.OPEN);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()), Capability.METRICS);
            ErrorResponses.register(config.routes, () -> {
                Archive a = archive.get();
                return a == null ? null : a.liveness();
            });
        });
    }

    /** Starts listening; returns the port. */
    public int start() {
        app.start();
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}

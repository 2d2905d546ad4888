package dev.stratus.web;

import dev.stratus.web.delete.DeleteHandler;
import dev.stratus.web.health.HealthHandler;
import dev.stratus.web.qido.QidoHandler;
import dev.stratus.web.stow.StowHandler;
import dev.stratus.web.wado.BulkDataHandler;
import dev.stratus.web.wado.FramesHandler;
import dev.stratus.web.wado.MetadataHandler;
import dev.stratus.web.wado.RetrieveHandler;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The DICOMweb server: every route in one place, for the default tenant under /dicomweb and for any
 * other under /tenants/{tenant}/dicomweb.
 */
public final class DicomWebServer implements AutoCloseable {
    private static final String[] ROOTS = {"/dicomweb", "/tenants/{tenant}/dicomweb"};

    private final Javalin app;

    public DicomWebServer(WebSettings settings, ArchiveServices services, PrometheusMeterRegistry metrics) {
        StowHandler stow = new StowHandler(services.ingest(), settings);
        QidoHandler qido = new QidoHandler(services.index(), settings);
        RetrieveHandler retrieve = new RetrieveHandler(services.retrieve());
        MetadataHandler metadata = new MetadataHandler(services.retrieve(), services.seriesMetadata(), settings);
        FramesHandler frames = new FramesHandler(services.retrieve());
        BulkDataHandler bulk = new BulkDataHandler(services.retrieve());
        DeleteHandler delete = new DeleteHandler(services.delete());
        HealthHandler health = new HealthHandler(services.index(), services.store());

        app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = 1024 * 1024; // only for bodies read whole; STOW streams
            if (!settings.corsOrigins().isEmpty()) {
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    if (settings.corsOrigins().contains("*")) rule.anyHost();
                    else for (String origin : settings.corsOrigins()) rule.allowHost(origin);
                    rule.exposeHeader("Warning");
                    rule.exposeHeader("ETag");
                    rule.exposeHeader("Content-Location");
                    rule.exposeHeader(ErrorResponses.CORRELATION_HEADER);
                }));
            }
            // One timer per route template (not per URL, which would explode the label space).
            config.requestLogger.http((ctx, ms) -> {
                var matched = ctx.endpoints().matchedHttpEndpoint();
                String route = matched == null ? "unmatched" : matched.path;
                Timer.builder("stratus.http.requests").tag("method", ctx.method().name()).tag("route", route)
                        .tag("status", String.valueOf(ctx.statusCode())).register(metrics)
                        .record((long) (ms * 1_000_000), java.util.concurrent.TimeUnit.NANOSECONDS);
            });
            RoutesConfig r = config.routes;
            for (String root : ROOTS) {
                String study = root + "/studies/{study}", series = study + "/series/{series}", instance = series + "/instances/{instance}";
                r.post(root + "/studies", stow::handle);
                r.post(study, stow::handle);
                r.get(root + "/studies", qido::studies);
                r.get(root + "/series", qido::series);
                r.get(root + "/instances", qido::instances);
                r.get(study + "/series", qido::series);
                r.get(study + "/instances", qido::instances);
                r.get(series + "/instances", qido::instances);
                for (String level : new String[] {study, series, instance}) {
                    r.get(level, retrieve::handle);
                    r.get(level + "/metadata", metadata::handle);
                    r.delete(level, delete::handle);
                }
                r.get(instance + "/frames/{frames}", frames::handle);
                r.get(instance + "/bulkdata/{range}", bulk::handle);
            }
            r.get("/health/live", health::live);
            r.get("/health/ready", health::ready);
            r.get("/metrics", (Handler) ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
            ErrorResponses.register(r);
        });
    }

    /** Starts listening; returns the port (useful when 0 asked for any free one). */
    public int start() {
        app.start();
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}

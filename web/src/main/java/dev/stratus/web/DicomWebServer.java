package dev.stratus.web;

import dev.stratus.archive.Archive;
import dev.stratus.archive.Liveness;
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
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The DICOMweb server: every route in one place, for the default tenant under /dicomweb and for any
 * other under /tenants/{tenant}/dicomweb.
 */
public final class DicomWebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DicomWebServer.class);
    private static final String[] ROOTS = {"/dicomweb", "/tenants/{tenant}/dicomweb"};

    private final Javalin app;
    private final Liveness liveness;
    private final Duration shutdownTimeout;
    private final GracefulHandler inFlight = new GracefulHandler();
    private volatile Server jetty;

    public DicomWebServer(WebSettings settings, Archive archive, PrometheusMeterRegistry metrics) {
        StowHandler stow = new StowHandler(archive.ingest(), settings);
        QidoHandler qido = new QidoHandler(archive.index(), settings);
        RetrieveHandler retrieve = new RetrieveHandler(archive.retrieve());
        MetadataHandler metadata = new MetadataHandler(archive.retrieve(), archive.seriesMetadata(), settings);
        FramesHandler frames = new FramesHandler(archive.retrieve());
        BulkDataHandler bulk = new BulkDataHandler(archive.retrieve());
        DeleteHandler delete = new DeleteHandler(archive.delete());
        HealthHandler health = new HealthHandler(archive.index(), archive.store(), archive.ingest(), archive.liveness(), archive.events());
        liveness = archive.liveness();

        shutdownTimeout = settings.shutdownTimeout();
        app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            // Counts the requests in flight, so that a stop can wait for them (Javalin puts its handlers inside).
            config.jetty.modifyServer(server -> {
                server.setHandler(inFlight);
                jetty = server;
            });
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
            GuardedRoutes r = new GuardedRoutes(config.routes, liveness);
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
            r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
            ErrorResponses.register(config.routes, liveness);
        });
    }

    /**
     * The routes, each handler guarded: a VirtualMachineError it throws (an OutOfMemoryError while it parsed, say) is
     * noted by the liveness before it goes on, since Javalin answers any Throwable 500 and keeps it to itself.
     */
    private record GuardedRoutes(RoutesConfig routes, Liveness liveness) {
        void get(String path, Handler h) { routes.get(path, guard(h)); }

        void post(String path, Handler h) { routes.post(path, guard(h)); }

        void delete(String path, Handler h) { routes.delete(path, guard(h)); }

        private Handler guard(Handler h) {
            return ctx -> {
                try {
                    h.handle(ctx);
                } catch (Throwable e) {
                    liveness.observe(e);
                    throw e;
                }
            };
        }
    }

    /** Starts listening; returns the port (useful when 0 asked for any free one). */
    public int start() {
        app.start();
        return app.port();
    }

    /**
     * Stops gracefully: no new connections from the start (the listening socket is closed), requests in flight
     * (a STOW still receiving its body, a retrieve still sending) get up to {@code timeout} to finish, then every
     * connection is closed. A request arriving meanwhile on a kept-alive connection is answered 503.
     */
    public void stop(Duration timeout) {
        Server server = jetty;
        if (server != null && server.isStarted()) {
            if (timeout.isPositive()) drain(server, timeout);
            server.setStopTimeout(0); // what was to wait for has been waited for
        }
        app.stop();
    }

    /** Stops accepting, then waits up to {@code timeout} for the requests in flight. */
    private void drain(Server server, Duration timeout) {
        // Not Jetty's own graceful stop: it would shorten every connection's idle timeout to 1 s (so that idle
        // kept-alive connections do not hold the stop), which also cuts off a STOW whose client pauses.
        for (Connector c : server.getConnectors()) {
            if (c instanceof AbstractConnector connector) {
                connector.setShutdownIdleTimeout(-1);
                connector.shutdown();
            }
        }
        try {
            inFlight.shutdown().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("{} HTTP request(s) still in flight after {} s are cut off", inFlight.getCurrentRequestCount(), timeout.toSeconds());
        } catch (ExecutionException e) {
            log.warn("waiting for the HTTP requests in flight failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stop(Duration)} with the configured shutdown timeout. */
    @Override
    public void close() {
        stop(shutdownTimeout);
    }
}

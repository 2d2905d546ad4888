package dev.stratus.web;

import dev.stratus.archive.Archive;
import dev.stratus.archive.Liveness;
import dev.stratus.archive.audit.AuditLog;
import dev.stratus.web.auth.AccessGuard;
import dev.stratus.web.auth.Authorization;
import dev.stratus.web.auth.Capability;
import dev.stratus.web.auth.TokenVerifier;
import dev.stratus.web.delete.DeleteHandler;
import dev.stratus.web.health.HealthHandler;
import dev.stratus.web.qido.QidoHandler;
import dev.stratus.web.stow.StowHandler;
import dev.stratus.web.ui.UiRoutes;
import dev.stratus.web.tls.TlsConnector;
import dev.stratus.web.wado.BulkDataHandler;
import dev.stratus.web.wado.FramesHandler;
import dev.stratus.web.wado.MetadataHandler;
import dev.stratus.web.wado.RenderedHandler;
import dev.stratus.web.wado.RetrieveHandler;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The DICOMweb server: every route in one place, for the default tenant under /dicomweb and for any
 * other under /tenants/{tenant}/dicomweb, each route with the {@link Capability} it needs, which one check before
 * every route demands when authorization is on ({@link AccessGuard}).
 */
public final class DicomWebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DicomWebServer.class);
    /** /wado-rs/v1 is the root of the system Stratus descends from; it serves the default tenant (or x-tenant's). */
    private static final String[] ROOTS = {"/dicomweb", "/tenants/{tenant}/dicomweb", "/wado-rs/v1"};

    private final Javalin app;
    private final Javalin metricsApp;
    private final Starting<Handlers> handlers;
    private final Duration shutdownTimeout;
    private final GracefulHandler inFlight = new GracefulHandler();
    private volatile Server jetty;

    public DicomWebServer(WebSettings settings, Archive archive, PrometheusMeterRegistry metrics) {
        this(settings, () -> archive, metrics);
    }

    /**
     * A server that may listen before the archive is open ({@code stratus serve} opens both at once, issue 20):
     * {@code archive} gives null until the node is up, and until then every route answers 503 with Retry-After
     * ({@link Starting}) except liveness and metrics.
     */
    public DicomWebServer(WebSettings settings, Supplier<Archive> archive, PrometheusMeterRegistry metrics) {
        handlers = new Starting<>(archive, a -> new Handlers(a, settings));
        Handler scrape = ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape());
        Supplier<Liveness> liveness = () -> {
            Handlers h = handlers.now();
            return h == null ? null : h.liveness();
        };
        Authorization authorization = settings.authorization();
        AccessGuard guard = new AccessGuard(authorization.enabled() ? TokenVerifier.of(authorization) : null, authorization,
                DicomWebRequest::tenantOf);
        boolean metricsHere = settings.metricsPort() == WebSettings.METRICS_ON_MAIN_PORT;
        TlsConnector tls = settings.tls() == null ? null : new TlsConnector(settings.tls());
        AccessAudit audit = new AccessAudit(settings.audit(), settings.trustedProxies());
        if (settings.audit().enabled()) {
            FunctionCounter.builder("stratus.audit.dropped", settings.audit(), AuditLog::dropped)
                    .description("audit records dropped because the audit queue was full").register(metrics);
        }

        shutdownTimeout = settings.shutdownTimeout();
        app = Javalin.create(config -> {
            config.jetty.threadPool = HttpThreads.pool("http");
            // Counts the requests in flight, so that a stop can wait for them (Javalin puts its handlers inside).
            config.jetty.modifyServer(server -> {
                server.setHandler(inFlight);
                server.setErrorHandler(new JsonErrorHandler());
                jetty = server;
            });
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            if (tls != null) config.jetty.addConnector((server, http) -> tls.create(server, http, settings.host(), settings.port()));
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = 1024 * 1024; // only for bodies read whole; STOW streams
            config.http.compressionStrategy = textOnlyGzip();
            config.appData(DicomWebRequest.TRUSTED_PROXIES, settings.trustedProxies());
            if (!settings.corsOrigins().isEmpty()) {
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    if (settings.corsOrigins().contains("*")) rule.anyHost();
                    else for (String origin : settings.corsOrigins()) rule.allowHost(origin);
                    rule.exposeHeader("Warning");
                    rule.exposeHeader("ETag");
                    rule.exposeHeader("Content-Location");
                    rule.exposeHeader("WWW-Authenticate");
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
                audit.record(ctx);
            });
            config.routes.before(DicomWebServer::protectiveHeaders);
            config.routes.beforeMatched(guard::check);
            GuardedRoutes r = new GuardedRoutes(config.routes, handlers);
            for (String root : ROOTS) {
                String study = root + "/studies/{study}", series = study + "/series/{series}", instance = series + "/instances/{instance}";
                r.write(root + "/studies", h -> h.stow::handle);
                r.write(study, h -> h.stow::handle);
                r.read(root + "/studies", h -> h.qido::studies);
                r.read(root + "/series", h -> h.qido::series);
                r.read(root + "/instances", h -> h.qido::instances);
                r.read(study + "/series", h -> h.qido::series);
                r.read(study + "/instances", h -> h.qido::instances);
                r.read(series + "/instances", h -> h.qido::instances);
                for (String level : new String[] {study, series, instance}) {
                    r.read(level, h -> h.retrieve::handle);
                    r.read(level + "/metadata", h -> h.metadata::handle);
                    r.delete(level, h -> h.delete::handle);
                }
                r.read(instance + "/frames/{frames}", h -> h.frames::handle);
                for (String level : new String[] {study, series, instance, instance + "/frames/{frames}"}) {
                    r.read(level + "/rendered", h -> h.rendered::rendered);
                    r.read(level + "/thumbnail", h -> h.rendered::thumbnail);
                }
                r.read(instance + "/bulkdata/{range}", h -> h.bulk::handle);
            }
            r.write("/stow-rs/v1/studies", h -> h.stow::handle); // STOW's root in the system Stratus descends from
            r.write("/stow-rs/v1/studies/{study}", h -> h.stow::handle);
            UiRoutes.register(config.routes, () -> {
                Handlers h = handlers.now();
                return h == null ? null : h.retrieveService;
            }, settings.viewerDir(), authorization);
            r.live("/health/live", h -> h.health::live);
            r.open("/health/ready", h -> h.health::ready);
            if (metricsHere) r.metrics("/metrics", scrape);
            ErrorResponses.register(config.routes, liveness);
        });
        metricsApp = metricsHere ? null : Javalin.create(config -> {
            config.jetty.threadPool = HttpThreads.pool("metrics");
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.host = settings.host();
            config.jetty.port = settings.metricsPort();
            config.startup.showJavalinBanner = false;
            config.routes.before(DicomWebServer::protectiveHeaders);
            // a port of its own is the protection: it is meant to be reachable by the scraper alone
            config.routes.get("/metrics", scrape, Capability.METRICS);
            ErrorResponses.register(config.routes, liveness);
        });
    }

    /** Content types never gzipped, whatever the client accepts (Javalin's own list, which has images, plus these). */
    static final List<String> NOT_COMPRESSED = List.of("application/octet-stream", "type=\"application/dicom\"");

    /**
     * Gzip (when the client accepts it) for JSON, XML and text only: DICOM parts and pixel data compress little and a
     * browser-based viewer sends Accept-Encoding: gzip with every frame request, so compressing them would cost CPU per
     * request for nothing. Javalin decides on a response's first write, by its content type ("contains", ignoring case).
     */
    private static CompressionStrategy textOnlyGzip() {
        CompressionStrategy gzip = new CompressionStrategy(null, new Gzip());
        List<String> excluded = new ArrayList<>(gzip.getExcludedMimeTypes());
        excluded.addAll(NOT_COMPRESSED);
        gzip.setExcludedMimeTypes(excluded);
        return gzip;
    }

    /** On every answer: data may be PHI, so no cache keeps it; and no browser guesses a type we did not send. */
    private static void protectiveHeaders(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    /** The handlers of the DICOMweb routes, built once the archive is open. */
    private static final class Handlers {
        final StowHandler stow;
        final QidoHandler qido;
        final RetrieveHandler retrieve;
        final MetadataHandler metadata;
        final FramesHandler frames;
        final RenderedHandler rendered;
        final BulkDataHandler bulk;
        final DeleteHandler delete;
        final HealthHandler health;
        final dev.stratus.archive.retrieve.RetrieveService retrieveService;
        private final Liveness liveness;

        Handlers(Archive archive, WebSettings settings) {
            stow = new StowHandler(archive.ingest(), settings);
            qido = new QidoHandler(archive.index(), settings);
            retrieve = new RetrieveHandler(archive.retrieve());
            metadata = new MetadataHandler(archive.retrieve(), archive.seriesMetadata(), settings);
            frames = new FramesHandler(archive.retrieve());
            rendered = new RenderedHandler(archive.retrieve());
            bulk = new BulkDataHandler(archive.retrieve());
            delete = new DeleteHandler(archive.delete());
            health = new HealthHandler(archive.index(), archive.store(), archive.ingest(), archive.liveness(), archive.events());
            retrieveService = archive.retrieve();
            liveness = archive.liveness();
        }

        Liveness liveness() { return liveness; }
    }

    /**
     * The routes, each registered with its capability and guarded: until the archive is open it answers 503
     * ({@link Starting}); a VirtualMachineError a handler throws (an OutOfMemoryError while it parsed, say) is noted
     * by the liveness before it goes on, since Javalin answers any Throwable 500 and keeps it to itself.
     */
    private record GuardedRoutes(RoutesConfig routes, Starting<Handlers> handlers) {
        void read(String path, Function<Handlers, Handler> h) { routes.get(path, guard(h), Capability.READ); }

        void write(String path, Function<Handlers, Handler> h) { routes.post(path, guard(h), Capability.WRITE); }

        void delete(String path, Function<Handlers, Handler> h) { routes.delete(path, guard(h), Capability.DELETE); }

        void open(String path, Function<Handlers, Handler> h) { routes.get(path, guard(h), Capability.OPEN); }

        /** Metrics: served while the archive opens too (the JVM's figures are there from the start). */
        void metrics(String path, Handler h) {
            routes.get(path, ctx -> {
                try {
                    h.handle(ctx);
                } catch (Throwable e) {
                    Handlers opened = handlers.now();
                    if (opened != null) opened.liveness().observe(e);
                    throw e;
                }
            }, Capability.METRICS);
        }

        /** Liveness: a process still opening its archive is alive (a supervisor must not restart it for that). */
        void live(String path, Function<Handlers, Handler> h) {
            Handler guarded = guard(h);
            routes.get(path, ctx -> {
                if (handlers.now() == null) ctx.contentType("application/json").result("{\"status\":\"UP\"}");
                else guarded.handle(ctx);
            }, Capability.OPEN);
        }

        private Handler guard(Function<Handlers, Handler> route) {
            return ctx -> {
                Handlers h = handlers.now();
                if (h == null) {
                    Starting.answer(ctx);
                    return;
                }
                try {
                    route.apply(h).handle(ctx);
                } catch (Throwable e) {
                    h.liveness().observe(e);
                    throw e;
                }
            };
        }
    }

    /** Every HTTP route: method, path template and capability (for the tests of protection and of the conformance statement). */
    public List<Route> routes() {
        List<Route> list = new ArrayList<>();
        for (var parsed : app.unsafe.internalRouter.allHttpHandlers()) {
            var e = parsed.endpoint;
            if (!e.method.isHttpMethod()) continue;
            Roles roles = e.metadata(Roles.class);
            Capability c = null;
            if (roles != null) for (RouteRole role : roles.getRoles()) if (role instanceof Capability cap) c = cap;
            list.add(new Route(e.method.name(), e.path, c));
        }
        return list;
    }

    /** @param capability null when registered without one (refused at request time) */
    public record Route(String method, String path, Capability capability) {}

    /** Starts listening; returns the port (useful when 0 asked for any free one). */
    public int start() {
        app.start();
        if (metricsApp != null) metricsApp.start();
        return app.port();
    }

    /** The port {@code /metrics} is served on (the main one unless a port of its own was configured). */
    public int metricsPort() {
        return metricsApp == null ? app.port() : metricsApp.port();
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
        if (metricsApp != null) metricsApp.stop();
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

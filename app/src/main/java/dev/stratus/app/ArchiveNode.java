package dev.stratus.app;

import dev.stratus.app.config.StratusConfig;
import dev.stratus.archive.Archive;
import dev.stratus.dimse.DimseServer;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.index.TenantId;
import dev.stratus.pipeline.KafkaEventBus;
import dev.stratus.web.DicomWebServer;
import dev.stratus.web.ProbeServer;
import dev.stratus.web.WebSettings;
import dev.stratus.archive.audit.AuditLog;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * One Stratus process with its roles (all three by default): the archive (Archive.open), and around it the DICOMweb
 * server (api; without it the HTTP port answers only health and metrics), the DICOM listener (dimse); the metadata
 * worker (worker) is chosen in the archive's settings. The archive opens on a thread of its own while the HTTP server
 * is built and starts listening (issue 20: the index's first connection and schema check were half the start);
 * until the archive is open and the DICOM listener listens, /health/ready and the DICOMweb routes answer 503.
 */
public final class ArchiveNode implements AutoCloseable {
    private final FutureTask<Archive> opening;
    private final StratusConfig config;
    private final DicomWebServer web; // null without the api role
    private final ProbeServer probes; // the HTTP port of a node without the api role
    private final AuditLog audit;
    private final Duration shutdownTimeout;
    private Archive archive; // once opened (start)
    private DimseServer dimse;
    private volatile Archive serving; // once every part is up: what the HTTP routes see
    private int port;
    private boolean closed;

    public ArchiveNode(StratusConfig config) throws IOException {
        this.config = config;
        shutdownTimeout = config.shutdownTimeoutSeconds();
        Archive.Settings archiveSettings = config.archive();
        opening = new FutureTask<>(() -> Archive.open(archiveSettings));
        Thread.ofPlatform().name("stratus-open-archive").start(opening);
        try {
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(metrics);
            new JvmThreadMetrics().bindTo(metrics);
            StratusConfig.Http http = config.http();
            audit = auditLog(config.audit(), archiveSettings.kafka() != null ? this::kafka : null);
            WebSettings settings = new WebSettings(http.host(), http.port(), config.cors().origins(), (TenantId t) -> {
                StratusConfig.Tenant s = config.tenant(t.name());
                return new WebSettings.TenantOptions(s.numbersAsStrings(), s.emptyQidoAs204());
            }, config.stow().maxParts(), shutdownTimeout, config.auth().authorization(), http.proxies(), http.metricsPort(), http.tls().identity(), audit, config.viewer().dir());
            boolean api = config.runs(StratusConfig.Role.API);
            web = api ? new DicomWebServer(settings, () -> serving, metrics) : null;
            probes = api ? null : new ProbeServer(settings, () -> serving, metrics);
            if (!api && audit.enabled()) { // the DICOM listener's records: DicomWebServer counts the drops where it runs
                io.micrometer.core.instrument.FunctionCounter.builder("stratus.audit.dropped", audit, AuditLog::dropped)
                        .description("audit records dropped because the audit queue was full").register(metrics);
            }
        } catch (IOException | RuntimeException | Error e) {
            closeOpened();
            throw e;
        }
    }

    /** The archive's Kafka event bus, for the audit's access topic: waited for, as a record may come while it opens. */
    private KafkaEventBus kafka() {
        Archive opened = opened();
        return opened != null && opened.events() instanceof KafkaEventBus k ? k : null;
    }

    /** The archive once its opening ended, or null when it failed. */
    private Archive opened() {
        try {
            return opening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    /** After a failed start: the archive is closed once its opening ends (it may still be under way). */
    private void closeOpened() {
        Archive opened = opened();
        if (opened != null) opened.close();
    }

    /** The audit sink configured and, when the events go to Kafka, its access topic too, each with a queue of its own. */
    private static AuditLog auditLog(StratusConfig.Audit settings, Supplier<KafkaEventBus> kafka) throws IOException {
        AuditLog log = AuditLog.open(settings.sink(), settings.queueSize());
        if (kafka != null) {
            log = log.and("kafka", (record, json) -> {
                KafkaEventBus bus = kafka.get();
                if (bus != null) bus.publishAccess(record.tenant(), json);
            }, settings.queueSize());
        }
        return log;
    }

    private static Map<String, TenantId> tenantsByCalledAeTitle(StratusConfig.Dimse dimse) {
        Map<String, TenantId> map = new HashMap<>();
        dimse.tenantByCalledAeTitle().forEach((ae, tenant) -> map.put(ae, new TenantId(tenant)));
        return map;
    }

    private static Map<TenantId, Set<String>> allowedCallingAeTitles(StratusConfig.Dimse dimse) {
        Map<TenantId, Set<String>> map = new HashMap<>();
        dimse.allowedCallingAeTitles().forEach((tenant, aes) -> map.put(new TenantId(tenant), Set.copyOf(aes)));
        return map;
    }

    private static Map<String, DimseSettings.Destination> destinations(Map<String, StratusConfig.DimseDestination> byAeTitle) {
        Map<String, DimseSettings.Destination> map = new HashMap<>();
        byAeTitle.forEach((ae, d) -> map.put(ae, new DimseSettings.Destination(d.host(), d.port())));
        return map;
    }

    private static Map<TenantId, Map<String, DimseSettings.Destination>> tenantDestinations(StratusConfig.Dimse dimse) {
        Map<TenantId, Map<String, DimseSettings.Destination>> map = new HashMap<>();
        dimse.tenants().forEach((tenant, t) -> {
            if (!t.destinations().isEmpty()) map.put(new TenantId(tenant), destinations(t.destinations()));
        });
        return map;
    }

    /**
     * Starts listening for HTTP at once (answering 503 until the node is up), then waits for the archive, starts its
     * background work and the DICOM listener, and only then serves: the port. A failure to open the archive stops the
     * HTTP server again and is thrown here.
     */
    public int start() throws IOException {
        try {
            port = web != null ? web.start() : probes.start();
            archive = openedOrThrow();
            dimse = dimseServer(config, archive, audit);
            archive.start();
            if (dimse != null) dimse.start();
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
        serving = archive;
        return port;
    }

    private Archive openedOrThrow() throws IOException {
        try {
            return opening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the archive opened", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static DimseServer dimseServer(StratusConfig config, Archive archive, AuditLog audit) {
        StratusConfig.Dimse d = config.dimse();
        return !d.enabled() || !config.runs(StratusConfig.Role.DIMSE) ? null : new DimseServer(DimseSettings.defaults()
                .withListen(d.host(), d.port())
                .withTimeouts(d.artimSeconds(), d.idleSeconds())
                .withAssociationLimits(d.maxAssociations(), d.maxAssociationsPerPeer(), d.maxPendingAssociations())
                .withCalledAeTitlePolicy(d.aeTitle(), true)
                .withTenants(TenantId.DEFAULT, tenantsByCalledAeTitle(d), allowedCallingAeTitles(d))
                .withSpoolDir(config.dataDir().resolve("dimse-spool"))
                .withMoves(destinations(d.destinations()), tenantDestinations(d), d.maxConcurrentMoves())
                .withCommitmentReportOnNewAssociation(d.storageCommitment().reportOnNewAssociation()),
                archive, dev.stratus.dimse.Authenticator.ACCEPT_ALL, config.dimseTls(), audit);
    }

    /** The DICOM port, or -1 when the DICOM listener is off or has no plain port. */
    public int dimsePort() {
        return dimse == null ? -1 : dimse.port();
    }

    /** The DICOM TLS port, or -1 when there is none. */
    public int dimseTlsPort() {
        return dimse == null ? -1 : dimse.tlsPort();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        serving = null;
        // DICOM associations and HTTP requests in flight drain side by side, each within the shutdown timeout.
        DimseServer listening = dimse;
        dimse = null;
        Thread dimseStop = listening == null ? null : Thread.ofVirtual().name("dimse-stop").start(() -> listening.stop(shutdownTimeout));
        if (web != null) web.close();
        else probes.close();
        if (dimseStop != null) {
            try {
                dimseStop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        audit.close(); // after the last request's record
        closeOpened(); // the archive, also when start was never called or failed
    }
}

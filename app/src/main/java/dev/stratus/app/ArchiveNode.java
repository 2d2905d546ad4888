package dev.stratus.app;

import dev.stratus.app.config.StratusConfig;
import dev.stratus.archive.Archive;
import dev.stratus.dimse.DimseServer;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.index.TenantId;
import dev.stratus.pipeline.EventBus;
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

/**
 * One Stratus process with its roles (all three by default): the archive (Archive.open), and around it the DICOMweb
 * server (api; without it the HTTP port answers only health and metrics), the DICOM listener (dimse); the metadata
 * worker (worker) is chosen in the archive's settings.
 */
public final class ArchiveNode implements AutoCloseable {
    private final Archive archive;
    private final DicomWebServer web; // null without the api role
    private final ProbeServer probes; // the HTTP port of a node without the api role
    private final DimseServer dimse;
    private final AuditLog audit;
    private final Duration shutdownTimeout;
    private int port;

    public ArchiveNode(StratusConfig config) throws IOException {
        shutdownTimeout = config.shutdownTimeoutSeconds();
        archive = Archive.open(config.archive());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        StratusConfig.Http http = config.http();
        audit = auditLog(config.audit(), archive.events());
        WebSettings settings = new WebSettings(http.host(), http.port(), config.cors().origins(), (TenantId t) -> {
            StratusConfig.Tenant s = config.tenant(t.name());
            return new WebSettings.TenantOptions(s.numbersAsStrings(), s.emptyQidoAs204());
        }, config.stow().maxParts(), shutdownTimeout, config.auth().authorization(), http.proxies(), http.metricsPort(), http.tls().identity(), audit, config.viewer().dir());
        StratusConfig.Dimse d = config.dimse();
        dimse = !d.enabled() || !config.runs(StratusConfig.Role.DIMSE) ? null : new DimseServer(DimseSettings.defaults()
                .withListen(d.host(), d.port())
                .withTimeouts(d.artimSeconds(), d.idleSeconds())
                .withAssociationLimits(d.maxAssociations(), d.maxAssociationsPerPeer(), d.maxPendingAssociations())
                .withCalledAeTitlePolicy(d.aeTitle(), true)
                .withTenants(TenantId.DEFAULT, tenantsByCalledAeTitle(d), allowedCallingAeTitles(d))
                .withSpoolDir(config.dataDir().resolve("dimse-spool"))
                .withMoves(destinations(d.destinations()), tenantDestinations(d), d.maxConcurrentMoves())
                .withCommitmentReportOnNewAssociation(d.storageCommitment().reportOnNewAssociation()),
                archive, dev.stratus.dimse.Authenticator.ACCEPT_ALL, config.dimseTls(), audit);
        boolean api = config.runs(StratusConfig.Role.API);
        web = api ? new DicomWebServer(settings, archive, metrics) : null;
        probes = api ? null : new ProbeServer(settings, archive, metrics);
        if (!api && audit.enabled()) { // the DICOM listener's records: DicomWebServer counts the drops where it runs
            io.micrometer.core.instrument.FunctionCounter.builder("stratus.audit.dropped", audit, AuditLog::dropped)
                    .description("audit records dropped because the audit queue was full").register(metrics);
        }
    }

    /** The audit sink configured and, when the events go to Kafka, its access topic too, each with a queue of its own. */
    private static AuditLog auditLog(StratusConfig.Audit settings, EventBus events) throws IOException {
        AuditLog log = AuditLog.open(settings.sink(), settings.queueSize());
        if (events instanceof KafkaEventBus kafka) {
            log = log.and("kafka", (record, json) -> kafka.publishAccess(record.tenant(), json), settings.queueSize());
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

    public int start() throws IOException {
        archive.start();
        port = web != null ? web.start() : probes.start();
        if (dimse != null) dimse.start();
        return port;
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
    public void close() {
        // DICOM associations and HTTP requests in flight drain side by side, each within the shutdown timeout.
        Thread dimseStop = dimse == null ? null : Thread.ofVirtual().name("dimse-stop").start(() -> dimse.stop(shutdownTimeout));
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
        archive.close();
    }
}

package dev.stratus.app;

import dev.stratus.app.config.StratusConfig;
import dev.stratus.archive.Liveness;
import dev.stratus.archive.StorageSpace;
import dev.stratus.archive.delete.DeleteService;
import dev.stratus.archive.ingest.IngestAdmission;
import dev.stratus.archive.ingest.LegacyH2Upgrade;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.archive.ingest.IngestService;
import dev.stratus.archive.metadata.MetadataWorker;
import dev.stratus.archive.metadata.SeriesMetadataService;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.dimse.DimseServer;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.index.Index;
import dev.stratus.index.IndexFactory;
import dev.stratus.index.TenantId;
import dev.stratus.pipeline.EventBus;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.LocalBlobStore;
import dev.stratus.web.ArchiveServices;
import dev.stratus.web.DicomWebServer;
import dev.stratus.web.WebSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One Stratus process with every role: index, storage, event bus, services, metadata worker, DICOMweb. */
public final class ArchiveNode implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final DicomWebServer web;
    private final DimseServer dimse;
    private int port;

    public ArchiveNode(StratusConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        BlobStore store = new LocalBlobStore(config.storagePath());
        resources.add(store);
        if (config.indexUrl() == null) LegacyH2Upgrade.runIfNeeded(config.dataDir(), store);
        String url = config.indexUrl() != null ? config.indexUrl() : SqlIndex.embeddedUrl(config.dataDir());
        Index index = IndexFactory.open(url, config.indexUser(), config.indexPassword(), config.migrateOnStart());
        resources.add(index);
        EventBus events = new InProcessEventBus();
        resources.add(events);
        RetrieveService retrieve = new RetrieveService(index, store);
        SeriesMetadataService seriesMetadata = new SeriesMetadataService(index, store, retrieve,
                t -> config.tenant(t.name()).numbersAsStrings());
        IngestService ingest = new IngestService(index, store, events, config.dataDir().resolve("spool"),
                config.storageDirectWrites());
        ingest.parseWithin(config.ingestBudget());
        ingest.admitting(new IngestAdmission(config.ingestMaxConcurrent(), config.ingestQueue()));
        ingest.watching(new StorageSpace(config.dataDir(), config.storageReserveBytes(), config.storagePath()));
        Liveness liveness = new Liveness(index);
        resources.add(liveness);
        ingest.deleteSpoolLeftovers(); // never acknowledged: a stopped process's half-received instances
        if (config.metadataWorkerEnabled()) {
            MetadataWorker worker = new MetadataWorker(index, store, seriesMetadata, new MetadataWorker.Settings(
                    config.metadataQuietPeriod(), config.metadataBusyQuietPeriod(), config.metadataPollInterval(),
                    config.metadataMaxRetries(), Duration.ofMinutes(5), Duration.ofSeconds(10)),
                    () -> ingest.activity().busyWithin(MetadataWorker.BUSY_WINDOW));
            worker.start();
            resources.add(worker);
        }
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        WebSettings settings = new WebSettings(config.httpHost(), config.httpPort(), config.corsOrigins(), (TenantId t) -> {
            StratusConfig.TenantSettings s = config.tenant(t.name());
            return new WebSettings.TenantOptions(s.numbersAsStrings(), s.emptyQidoAs204());
        }, config.stowMaxParts(), config.shutdownTimeout());
        dimse = config.dimsePort() < 0 ? null : new DimseServer(DimseSettings.defaults()
                .withListen(config.dimseHost(), config.dimsePort())
                .withTimeouts(config.dimseLimits().artim(), config.dimseLimits().idle())
                .withAssociationLimits(config.dimseLimits().maxAssociations(), config.dimseLimits().maxAssociationsPerPeer(),
                        config.dimseLimits().maxPendingAssociations())
                .withCalledAeTitlePolicy(config.dimseAeTitle(), true)
                .withTenants(TenantId.DEFAULT, dimseTenantsByCalledAeTitle(config), dimseAllowedCallingAeTitles(config))
                .withSpoolDir(config.dataDir().resolve("dimse-spool")), ingest, index);
        web = new DicomWebServer(settings, new ArchiveServices(index, store, ingest, retrieve,
                new DeleteService(index, store, events), seriesMetadata, liveness), metrics);
    }

    private static Map<String, TenantId> dimseTenantsByCalledAeTitle(StratusConfig config) {
        Map<String, TenantId> map = new HashMap<>();
        config.dimseTenants().tenantByCalledAeTitle().forEach((ae, tenant) -> map.put(ae, new TenantId(tenant)));
        return map;
    }

    private static Map<TenantId, Set<String>> dimseAllowedCallingAeTitles(StratusConfig config) {
        Map<TenantId, Set<String>> map = new HashMap<>();
        config.dimseTenants().allowedCallingAeTitles().forEach((tenant, aes) -> map.put(new TenantId(tenant), Set.copyOf(aes)));
        return map;
    }

    public int start() throws IOException {
        port = web.start();
        if (dimse != null) dimse.start();
        return port;
    }

    /** The DICOM port, or -1 when the DICOM listener is off. */
    public int dimsePort() {
        return dimse == null ? -1 : dimse.port();
    }

    @Override
    public void close() {
        if (dimse != null) dimse.close();
        web.close();
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        for (AutoCloseable r : reversed) {
            try {
                r.close();
            } catch (Exception e) {
                // closing on shutdown: nothing more to do than go on with the others
            }
        }
    }
}

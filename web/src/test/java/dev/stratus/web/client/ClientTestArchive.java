package dev.stratus.web.client;

import dev.stratus.archive.delete.DeleteService;
import dev.stratus.archive.ingest.IngestService;
import dev.stratus.archive.metadata.MetadataWorker;
import dev.stratus.archive.metadata.SeriesMetadataService;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.index.Index;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.LocalBlobStore;
import dev.stratus.web.ArchiveServices;
import dev.stratus.web.DicomWebServer;
import dev.stratus.web.WebSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real archive on an ephemeral port for the client tests, as dev.stratus.web.TestArchive builds it
 * (embedded SQLite index, local blob store, metadata worker) but reachable from this package.
 */
final class ClientTestArchive implements AutoCloseable {
    private final Index index;
    private final InProcessEventBus events = new InProcessEventBus();
    private final MetadataWorker worker;
    private final DicomWebServer server;
    /** http://127.0.0.1:PORT, without a trailing slash. */
    final String base;

    ClientTestArchive(Path dir) throws IOException {
        index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true);
        LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
        RetrieveService retrieve = new RetrieveService(index, store);
        SeriesMetadataService series = new SeriesMetadataService(index, store, retrieve, t -> false);
        worker = new MetadataWorker(index, store, series, new MetadataWorker.Settings(Duration.ZERO, Duration.ZERO, Duration.ofMillis(50), 3,
                Duration.ofMinutes(1), Duration.ofMillis(10)));
        WebSettings settings = new WebSettings("127.0.0.1", 0, List.of("*"), t -> WebSettings.TenantOptions.DEFAULT);
        server = new DicomWebServer(settings, new ArchiveServices(index, store,
                new IngestService(index, store, events, dir.resolve("spool"), true), retrieve,
                new DeleteService(index, store, events), series), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        base = "http://127.0.0.1:" + server.start();
    }

    @Override
    public void close() {
        server.close();
        worker.close();
        events.close();
        index.close();
    }
}

package dev.stratus.web;

import dev.stratus.archive.delete.DeleteService;
import dev.stratus.archive.ingest.IngestService;
import dev.stratus.archive.metadata.MetadataWorker;
import dev.stratus.archive.metadata.SeriesMetadataService;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.index.Index;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.LocalBlobStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real archive on an ephemeral port: embedded SQLite index and local blob store in a temporary directory. */
final class TestArchive implements AutoCloseable {
    final Index index;
    final LocalBlobStore store;
    final InProcessEventBus events = new InProcessEventBus();
    final MetadataWorker worker;
    /** The ingest path, for tests of its limits (admission, storage space). */
    final IngestService ingest;
    final DicomWebServer server;
    final String base;
    final HttpClient http = HttpClient.newHttpClient();

    private final Runnable dropDatabase;

    TestArchive(Path dir) throws IOException {
        this(dir, Map.of(), TestBackend.SQLITE);
    }

    TestArchive(Path dir, TestBackend backend) throws IOException {
        this(dir, Map.of(), backend);
    }

    TestArchive(Path dir, Map<String, WebSettings.TenantOptions> tenantOptions) throws IOException {
        this(dir, tenantOptions, TestBackend.SQLITE);
    }

    TestArchive(Path dir, Map<String, WebSettings.TenantOptions> tenantOptions, TestBackend backend) throws IOException {
        this(dir, tenantOptions, backend, UnaryOperator.identity());
    }

    /** @param tuning changes to the HTTP settings (limits, timeouts) a test is about */
    TestArchive(Path dir, UnaryOperator<WebSettings> tuning) throws IOException {
        this(dir, Map.of(), TestBackend.SQLITE, tuning);
    }

    private TestArchive(Path dir, Map<String, WebSettings.TenantOptions> tenantOptions, TestBackend backend,
                        UnaryOperator<WebSettings> tuning) throws IOException {
        TestBackend.Opened opened = backend.open(dir);
        index = opened.index();
        dropDatabase = opened.drop();
        store = new LocalBlobStore(dir.resolve("blobs"));
        RetrieveService retrieve = new RetrieveService(index, store);
        SeriesMetadataService series = new SeriesMetadataService(index, store, retrieve, t -> false);
        worker = new MetadataWorker(index, store, series, new MetadataWorker.Settings(Duration.ZERO, Duration.ZERO, Duration.ofMillis(50), 3,
                Duration.ofMinutes(1), Duration.ofMillis(10)));
        WebSettings settings = tuning.apply(new WebSettings("127.0.0.1", 0, List.of("*"),
                t -> tenantOptions.getOrDefault(t.name(), WebSettings.TenantOptions.DEFAULT)));
        ingest = new IngestService(index, store, events, dir.resolve("spool"), true);
        server = new DicomWebServer(settings, new ArchiveServices(index, store, ingest, retrieve,
                new DeleteService(index, store, events), series), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        int port = server.start();
        base = "http://127.0.0.1:" + port;
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (accept != null) b.header("Accept", accept);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> stow(String path, Multipart body) throws IOException, InterruptedException {
        return stow(path, body, "application/dicom+json");
    }

    HttpResponse<String> stow(String path, Multipart body, String accept) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", body.contentType())
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        worker.close();
        events.close();
        index.close();
        dropDatabase.run();
    }
}

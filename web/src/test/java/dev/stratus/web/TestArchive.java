package dev.stratus.web;

import dev.stratus.archive.Archive;
import dev.stratus.archive.ingest.IngestService;
import dev.stratus.archive.metadata.MetadataWorker;
import dev.stratus.index.Index;
import dev.stratus.index.RetryPolicy;
import dev.stratus.storage.BlobStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real archive on an ephemeral port, opened as the server opens it (Archive.open): the index of a TestBackend
 * (embedded SQLite by default) and local blobs in a temporary directory (or the storage a test sets). Its metadata worker is not started: the
 * tests run it by hand ({@code worker.runOnce()}), quiet period zero.
 */
final class TestArchive implements DicomWebEndpoint {
    static final MetadataWorker.Settings QUICK_WORKER = new MetadataWorker.Settings(Duration.ZERO, Duration.ZERO,
            Duration.ofMillis(50), RetryPolicy.doubling(3, Duration.ofMillis(10)), Duration.ofMinutes(1));

    final Archive archive;
    final Index index;
    final BlobStore store;
    /** The directory of the blob store (null when it is not on local disk). */
    final Path blobs;
    final MetadataWorker worker;
    /** The ingest path, for tests of its limits (admission, storage space). */
    final IngestService ingest;
    final DicomWebServer server;
    final String base;
    final HttpClient http;

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
        this(dir, tenantOptions, backend, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /** @param tuning changes to the HTTP settings (limits, timeouts) a test is about */
    TestArchive(Path dir, UnaryOperator<WebSettings> tuning) throws IOException {
        this(dir, Map.of(), TestBackend.SQLITE, tuning, UnaryOperator.identity());
    }

    /** @param archiveTuning changes to the archive's settings (its storage) a test is about */
    static TestArchive withArchive(Path dir, UnaryOperator<Archive.Settings> archiveTuning) throws IOException {
        return new TestArchive(dir, Map.of(), TestBackend.SQLITE, UnaryOperator.identity(), archiveTuning);
    }

    private TestArchive(Path dir, Map<String, WebSettings.TenantOptions> tenantOptions, TestBackend backend,
                        UnaryOperator<WebSettings> tuning, UnaryOperator<Archive.Settings> archiveTuning) throws IOException {
        this(dir, tenantOptions, backend, tuning, archiveTuning, HttpClient.newHttpClient());
    }

    /**
     * @param tuning changes to the HTTP settings (authorization, trusted proxies, limits)
     * @param http the client the helpers send with (one that adds a bearer token, say)
     */
    TestArchive(Path dir, Map<String, WebSettings.TenantOptions> tenantOptions, TestBackend backend,
                UnaryOperator<WebSettings> tuning, HttpClient http) throws IOException {
        this(dir, tenantOptions, backend, tuning, UnaryOperator.identity(), http);
    }

    private TestArchive(Path dir, Map<String, WebSettings.TenantOptions> tenantOptions, TestBackend backend,
                        UnaryOperator<WebSettings> tuning, UnaryOperator<Archive.Settings> archiveTuning,
                        HttpClient http) throws IOException {
        this.http = http;
        TestBackend.Database db = backend.create();
        dropDatabase = db.drop();
        Archive.Settings archiveSettings = archiveTuning.apply(Archive.Settings.in(dir)
                .withIndex(db.url(), db.user(), db.password(), true)
                .withMetadataWorker(QUICK_WORKER)
                .withNumbersAsStrings(t -> tenantOptions.getOrDefault(t.name(), WebSettings.TenantOptions.DEFAULT).numbersAsStrings()));
        blobs = archiveSettings.storagePath();
        archive = Archive.open(archiveSettings);
        index = archive.index();
        store = archive.store();
        worker = archive.metadataWorker().orElseThrow();
        ingest = archive.ingest();
        WebSettings settings = tuning.apply(new WebSettings("127.0.0.1", 0, List.of("*"),
                t -> tenantOptions.getOrDefault(t.name(), WebSettings.TenantOptions.DEFAULT)));
        server = new DicomWebServer(settings, archive, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        int port = server.start();
        base = (settings.tls() != null ? "https" : "http") + "://127.0.0.1:" + port;
    }

    @Override
    public String base() {
        return base;
    }

    @Override
    public HttpClient http() {
        return http;
    }

    @Override
    public List<String> blobs(String prefix) throws IOException {
        return store.list(prefix);
    }

    @Override
    public void buildSeriesMetadata(String studyUid, String seriesUid) {
        org.junit.jupiter.api.Assertions.assertEquals(1, worker.runOnce(), "the worker builds the quiet series " + seriesUid);
    }

    @Override
    public void close() {
        server.close();
        archive.close();
        dropDatabase.run();
    }
}

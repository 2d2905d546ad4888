package dev.stratus.archive;

import dev.stratus.archive.delete.DeleteService;
import dev.stratus.archive.ingest.IngestAdmission;
import dev.stratus.archive.ingest.IngestService;
import dev.stratus.archive.ingest.LegacyH2Upgrade;
import dev.stratus.archive.metadata.MetadataWorker;
import dev.stratus.archive.metadata.RenderedMetadata;
import dev.stratus.archive.metadata.SeriesMetadataService;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.codec.ParseBudget;
import dev.stratus.index.Index;
import dev.stratus.index.IndexFactory;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.pipeline.EventBus;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.pipeline.KafkaEventBus;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.BlobStoreFactory;
import dev.stratus.storage.S3Options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.FutureTask;
import java.util.function.Predicate;

/**
 * The archive, composed in this one place: blob store, index, event bus, and the services HTTP and DIMSE share.
 * The server (app's ArchiveNode), the maintenance commands and the tests all open it here, so no wiring of theirs
 * can drift from another's. Each backend is chosen from {@link Settings} in one method ({@code openStore},
 * {@code openIndex}, {@code openEvents}): S3 and Kafka are cases there; a node running only some roles
 * leaves the others out through its settings (as {@code metadataWorker = null} does today).
 */
public final class Archive implements AutoCloseable {
    /**
     * What the archive needs to open.
     *
     * @param dataDir          the embedded index, the ingest spool and (by default) the blobs live under it
     * @param indexUrl         the index database (jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb:, mongodb://...), or null
     *                         for the embedded SQLite index of {@code dataDir}
     * @param migrate          create or upgrade the index schema on open
     * @param storageUrl       where the blobs are: {@code file:DIR} (local disk) or {@code s3://BUCKET[/PREFIX]}
     *                         (stratus-storage-s3), opened by {@link BlobStoreFactory}
     * @param s3               how to reach the object store of an s3:// URL (endpoint, region, path style)
     * @param directWrites     whether large spool files may bypass the page cache (storage.directWrites; only when the
     *                         store moves spool files into place, as the local one does)
     * @param parseBudget      the limits within which an object offered for storage is parsed (ingest.*)
     * @param metadataWorker   the series metadata worker's timings, or null when this node builds no documents
     * @param numbersAsStrings per tenant: IS/DS values as JSON strings in series metadata documents
     * @param limits           stores at once, how long another waits, disk space kept back for deletes
     * @param kafka            the Kafka event log (the index then writes its outbox), or null for the in-process bus
     */
    public record Settings(Path dataDir, String indexUrl, String indexUser, String indexPassword, boolean migrate,
                           String storageUrl, S3Options s3, boolean directWrites, ParseBudget parseBudget,
                           MetadataWorker.Settings metadataWorker, Predicate<TenantId> numbersAsStrings, Limits limits,
                           KafkaEventBus.Settings kafka) {
        public Settings {
            Objects.requireNonNull(dataDir);
            Objects.requireNonNull(storageUrl);
            Objects.requireNonNull(s3);
            Objects.requireNonNull(parseBudget);
            Objects.requireNonNull(numbersAsStrings);
            Objects.requireNonNull(limits);
        }

        /**
         * Everything in {@code dataDir}: the embedded index (migrated on open), blobs in {@code blobs/} written
         * directly, the default parse budget, no metadata worker, numbers as JSON numbers.
         */
        public static Settings in(Path dataDir) {
            return new Settings(dataDir, null, null, null, true, BlobStoreFactory.fileUrl(dataDir.resolve("blobs")), S3Options.DEFAULT,
                    true, ParseBudget.DEFAULT, null, t -> false, Limits.DEFAULT, null);
        }

        /** @param url null for the embedded index */
        public Settings withIndex(String url, String user, String password, boolean migrate) {
            return new Settings(dataDir, url, user, password, migrate, storageUrl, s3, directWrites, parseBudget,
                    metadataWorker, numbersAsStrings, limits, kafka);
        }

        /** Blobs in a local directory. */
        public Settings withStorage(Path path, boolean directWrites) {
            return withStorage(BlobStoreFactory.fileUrl(path), S3Options.DEFAULT, directWrites);
        }

        /** @param url {@code file:DIR} or {@code s3://BUCKET[/PREFIX]} (storage.url) */
        public Settings withStorage(String url, S3Options s3, boolean directWrites) {
            return new Settings(dataDir, indexUrl, indexUser, indexPassword, migrate, url, s3, directWrites, parseBudget,
                    metadataWorker, numbersAsStrings, limits, kafka);
        }

        /** The directory of a local blob store, or null when the blobs are elsewhere (S3). */
        public Path storagePath() {
            return BlobStoreFactory.localDirectory(storageUrl);
        }

        public Settings withParseBudget(ParseBudget budget) {
            return new Settings(dataDir, indexUrl, indexUser, indexPassword, migrate, storageUrl, s3, directWrites, budget,
                    metadataWorker, numbersAsStrings, limits, kafka);
        }

        /** @param worker null for none */
        public Settings withMetadataWorker(MetadataWorker.Settings worker) {
            return new Settings(dataDir, indexUrl, indexUser, indexPassword, migrate, storageUrl, s3, directWrites, parseBudget,
                    worker, numbersAsStrings, limits, kafka);
        }

        public Settings withNumbersAsStrings(Predicate<TenantId> perTenant) {
            return new Settings(dataDir, indexUrl, indexUser, indexPassword, migrate, storageUrl, s3, directWrites, parseBudget,
                    metadataWorker, perTenant, limits, kafka);
        }

        public Settings withLimits(Limits limits) {
            return new Settings(dataDir, indexUrl, indexUser, indexPassword, migrate, storageUrl, s3, directWrites, parseBudget,
                    metadataWorker, numbersAsStrings, limits, kafka);
        }

        /** @param kafka the Kafka event log, or null for the in-process bus (the default) */
        public Settings withKafka(KafkaEventBus.Settings kafka) {
            return new Settings(dataDir, indexUrl, indexUser, indexPassword, migrate, storageUrl, s3, directWrites, parseBudget,
                    metadataWorker, numbersAsStrings, limits, kafka);
        }

        /**
         * @param maxConcurrentStores STOW requests and C-STOREs stored at once (ingest.maxConcurrent)
         * @param storeQueue          how long one more waits for a place before it is refused as busy
         * @param storageReserveBytes disk space held back so that deletes can commit on a full disk (0: none)
         */
        public record Limits(int maxConcurrentStores, Duration storeQueue, long storageReserveBytes) {
            public static final Limits DEFAULT = new Limits(IngestAdmission.DEFAULT_MAX_CONCURRENT, IngestAdmission.DEFAULT_QUEUE, 64L << 20);
        }

        boolean embeddedIndex() {
            return indexUrl == null;
        }
    }

    private final List<AutoCloseable> opened;
    private final BlobStore store;
    private final Index index;
    private final EventBus events;
    private final IngestService ingest;
    private final RetrieveService retrieve;
    private final DeleteService delete;
    private final SeriesMetadataService seriesMetadata;
    private final MetadataWorker metadataWorker;
    private final Liveness liveness;

    private Archive(List<AutoCloseable> opened, BlobStore store, Index index, EventBus events, IngestService ingest,
                    RetrieveService retrieve, DeleteService delete, SeriesMetadataService seriesMetadata,
                    MetadataWorker metadataWorker, Liveness liveness) {
        this.opened = opened;
        this.store = store;
        this.index = index;
        this.events = events;
        this.ingest = ingest;
        this.retrieve = retrieve;
        this.delete = delete;
        this.seriesMetadata = seriesMetadata;
        this.metadataWorker = metadataWorker;
        this.liveness = liveness;
    }

    /**
     * Opens the archive: the blob store, the index (a data directory of the H2 era moved to SQLite first), the event
     * bus, then the services; spool files a stopped process left are deleted. Background work waits for {@link #start()}.
     * On failure, whatever was opened is closed again.
     */
    public static Archive open(Settings settings) throws IOException {
        List<AutoCloseable> opened = new ArrayList<>();
        FutureTask<StorageSpace> spaceCheck = null;
        try {
            Files.createDirectories(settings.dataDir());
            BlobStore store = add(opened, openStore(settings));
            // The data directory holds the spool and the embedded index whatever the store; a local store's disk is watched too.
            // Checked (its reserve written and synced, 64 MiB on a first start) while the index opens: neither needs the other.
            Path localBlobs = settings.storagePath();
            FutureTask<StorageSpace> space = new FutureTask<>(() -> new StorageSpace(settings.dataDir(),
                    settings.limits().storageReserveBytes(), localBlobs == null ? new Path[0] : new Path[] {localBlobs}));
            spaceCheck = space;
            Thread.ofVirtual().name("stratus-storage-space").start(space);
            Index index = add(opened, openIndex(settings, store, settings.migrate(), settings.kafka() != null));
            EventBus events = add(opened, openEvents(settings, index));
            RetrieveService retrieve = new RetrieveService(index, store, settings.dataDir().resolve("spool"));
            // each instance's metadata JSON rendered as it is stored: a series' first metadata is then their concatenation
            RenderedMetadata rendered = new RenderedMetadata(RenderedMetadata.DEFAULT_BYTES, settings.numbersAsStrings(), retrieve);
            SeriesMetadataService seriesMetadata = new SeriesMetadataService(index, store, retrieve, settings.numbersAsStrings(), rendered);
            IngestService ingest = new IngestService(index, store, events, settings.dataDir().resolve("spool"), settings.directWrites());
            ingest.rendering(rendered);
            ingest.parseWithin(settings.parseBudget());
            ingest.admitting(new IngestAdmission(settings.limits().maxConcurrentStores(), settings.limits().storeQueue()));
            ingest.watching(checked(space));
            ingest.deleteSpoolLeftovers(); // never acknowledged: a stopped process's half-received instances
            Liveness liveness = add(opened, new Liveness(index));
            MetadataWorker worker = settings.metadataWorker() == null ? null
                    : add(opened, new MetadataWorker(index, store, seriesMetadata, settings.metadataWorker(),
                            () -> ingest.activity().busyWithin(MetadataWorker.BUSY_WINDOW)).announcingTo(events));
            return new Archive(opened, store, index, events, ingest, retrieve, new DeleteService(index, store, events, rendered),
                    seriesMetadata, worker, liveness);
        } catch (IOException | RuntimeException | Error e) {
            if (spaceCheck != null) {
                try {
                    checked(spaceCheck); // the caller may delete the data directory next: not while the reserve is written
                } catch (RuntimeException | Error ignored) {
                    // the failure being reported matters more
                }
            }
            closeInReverse(opened, e);
            throw e;
        }
    }

    /**
     * stratus migrate: moves a data directory of the H2 era to SQLite and creates or upgrades the index schema, and
     * nothing else: no services, no event bus, and the spool is left as it is.
     */
    public static void migrateIndex(Settings settings) throws IOException {
        if (settings.embeddedIndex()) Files.createDirectories(settings.dataDir());
        try (BlobStore store = settings.embeddedIndex() ? openStore(settings) : null;
             Index index = openIndex(settings, store, true, false)) {
            index.checkReady();
        }
    }

    /** What the archive holds, the blob store and the index, opened without services, background work or spool clean-up. */
    public record Contents(BlobStore store, Index index) implements AutoCloseable {
        @Override
        public void close() {
            closeInReverse(List.of(store, index), null);
        }
    }

    /**
     * Opens the blob store and the index alone, for the tools that read or mend what is stored and may run beside a
     * server (stratus check, export): unlike {@link #open}, nothing of a running server's (its spool) is touched.
     */
    public static Contents openContents(Settings settings) throws IOException {
        if (settings.embeddedIndex()) Files.createDirectories(settings.dataDir());
        BlobStore store = openStore(settings);
        try {
            return new Contents(store, openIndex(settings, store, settings.migrate(), false));
        } catch (IOException | RuntimeException e) {
            closeInReverse(List.of(store), e);
            throw e;
        }
    }

    /** Local disk or S3, as the storage URL says. */
    private static BlobStore openStore(Settings settings) throws IOException {
        return BlobStoreFactory.open(settings.storageUrl(), settings.s3());
    }

    /**
     * @param store  where the blobs of an H2-era directory's journal are, to index them again
     * @param outbox whether every store and delete also writes its event for Kafka (docs/decisions/0003)
     */
    /** The storage check begun on its own thread in {@link #open}, waited for; its failure is thrown here. */
    private static StorageSpace checked(FutureTask<StorageSpace> space) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return space.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static Index openIndex(Settings settings, BlobStore store, boolean migrate, boolean outbox) throws IOException {
        if (!settings.embeddedIndex()) {
            return IndexFactory.open(settings.indexUrl(), settings.indexUser(), settings.indexPassword(), migrate, outbox);
        }
        // An H2 index of an earlier version is moved to SQLite first: a new empty file must not hide it.
        LegacyH2Upgrade.runIfNeeded(settings.dataDir(), store);
        return IndexFactory.open(SqlIndex.embeddedUrl(settings.dataDir()), settings.indexUser(), settings.indexPassword(), migrate, outbox);
    }

    /** In-process while every role runs in one JVM; Kafka, relaying the index's outbox, when roles run apart. */
    private static EventBus openEvents(Settings settings, Index index) {
        return settings.kafka() == null ? new InProcessEventBus() : new KafkaEventBus(index, settings.kafka());
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    /** Starts the background work: the metadata worker, when this node runs one. */
    public Archive start() {
        if (metadataWorker != null) metadataWorker.start();
        return this;
    }

    public BlobStore store() { return store; }

    public Index index() { return index; }

    public EventBus events() { return events; }

    public IngestService ingest() { return ingest; }

    public RetrieveService retrieve() { return retrieve; }

    public DeleteService delete() { return delete; }

    public SeriesMetadataService seriesMetadata() { return seriesMetadata; }

    /**
     * Removes the blobs that no index row refers to and that were written before {@code grace} ago: what a crash
     * between storing and indexing (or between a delete's commit and its blob deletes) left. See {@link OrphanSweep}.
     */
    public OrphanSweep.Result sweepOrphans(Duration grace) throws IOException {
        return new OrphanSweep(store, index).run(grace, java.time.Instant.now());
    }

    /** Whether this process can still do its work (/health/live): an Error seen anywhere, or the index closed, ends it. */
    public Liveness liveness() { return liveness; }

    /** The metadata worker, built when the settings asked for one; it runs once {@link #start() started}. */
    public Optional<MetadataWorker> metadataWorker() { return Optional.ofNullable(metadataWorker); }

    /** Closes in the reverse order of opening: the worker, the event bus, the index, the blob store. */
    @Override
    public synchronized void close() {
        closeInReverse(opened, null);
        opened.clear();
    }

    private static void closeInReverse(List<AutoCloseable> opened, Throwable failure) {
        for (AutoCloseable r : opened.reversed()) {
            try {
                r.close();
            } catch (Exception e) {
                // closing on shutdown (or after a failed open): nothing more to do than go on with the others
                if (failure != null) failure.addSuppressed(e);
            }
        }
    }
}

package dev.stratus.archive.metadata;

import dev.stratus.archive.ingest.IngestService;
import dev.stratus.archive.ingest.IngestServiceTest;
import dev.stratus.codec.Uids;
import dev.stratus.index.Index;
import dev.stratus.index.RetryPolicy;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.pipeline.ArchiveEvent;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.LocalBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.stratus.storage.BlobStore;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataWorkerTest {
    @TempDir
    Path dir;

    @Test
    void aFailingBuildIsRetriedUpToTheLimitThenMarkedFailedWithItsReason() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            String study = Uids.generate(), series = Uids.generate();
            new IngestService(index, store, bus, dir.resolve("spool")).ingest(TenantId.DEFAULT,
                    new ByteArrayInputStream(IngestServiceTest.instance(study, series, Uids.generate(), "W^K")), null, "test");
            AtomicInteger attempts = new AtomicInteger();
            SeriesDocumentBuilder failing = (ref, out) -> {
                attempts.incrementAndGet();
                throw new IOException("disk full");
            };
            MetadataWorker worker = new MetadataWorker(index, store, failing,
                    new MetadataWorker.Settings(Duration.ZERO, Duration.ZERO, Duration.ofMillis(10), RetryPolicy.doubling(2, Duration.ZERO), Duration.ofMinutes(1)));
            for (int pass = 0; pass < 10; pass++) worker.runOnce();
            SeriesState state = index.seriesState(new SeriesRef(TenantId.DEFAULT, study, series)).orElseThrow();
            assertEquals("FAILED", state.metadataStatus());
            assertTrue(state.metadataError().contains("disk full"), state.metadataError());
            assertFalse(state.metadataIsCurrent());
            assertTrue(attempts.get() >= 2 && attempts.get() <= 3, "attempts: " + attempts.get());

            MetadataWorker working = new MetadataWorker(index, store, (ref, out) -> out.write("[]".getBytes(StandardCharsets.US_ASCII)),
                    new MetadataWorker.Settings(Duration.ZERO, Duration.ZERO, Duration.ofMillis(10), RetryPolicy.doubling(2, Duration.ZERO), Duration.ofMinutes(1)));
            new IngestService(index, store, bus, dir.resolve("spool")).ingest(TenantId.DEFAULT,
                    new ByteArrayInputStream(IngestServiceTest.instance(study, series, Uids.generate(), "W^K")), null, "test");
            assertEquals(1, working.runOnce(), "a change of the series makes it pending again");
            assertTrue(index.seriesState(new SeriesRef(TenantId.DEFAULT, study, series)).orElseThrow().metadataIsCurrent());
        }
    }

    @Test
    void whileObjectsArriveASeriesWaitsForTheLongerQuietPeriod() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            IngestService ingest = new IngestService(index, store, bus, dir.resolve("spool"));
            String study = Uids.generate(), series = Uids.generate();
            ingest.ingest(TenantId.DEFAULT, new ByteArrayInputStream(IngestServiceTest.instance(study, series, Uids.generate(), "B^Usy")), null, "test");
            assertTrue(ingest.activity().busyWithin(Duration.ofMinutes(1)), "the store counts as activity");
            AtomicBoolean busy = new AtomicBoolean(true);
            MetadataWorker worker = new MetadataWorker(index, store, (ref, out) -> out.write("[]".getBytes(StandardCharsets.US_ASCII)),
                    new MetadataWorker.Settings(Duration.ZERO, Duration.ofHours(1), Duration.ofMillis(10), RetryPolicy.doubling(2, Duration.ZERO), Duration.ofMinutes(1)),
                    busy::get);
            assertEquals(0, worker.runOnce(), "not built while objects arrive and the series changed within the busy quiet period");
            busy.set(false);
            assertEquals(1, worker.runOnce());
            assertTrue(index.seriesState(new SeriesRef(TenantId.DEFAULT, study, series)).orElseThrow().metadataIsCurrent());
        }
    }

    @Test
    void aBuiltDocumentIsAnnouncedOnTheBusWithTheSeriesVersionItWasBuiltFrom() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            String study = Uids.generate(), series = Uids.generate();
            new IngestService(index, store, bus, dir.resolve("spool")).ingest(TenantId.DEFAULT,
                    new ByteArrayInputStream(IngestServiceTest.instance(study, series, Uids.generate(), "W^K")), null, "test");
            java.util.concurrent.LinkedBlockingQueue<ArchiveEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
            bus.subscribe("test", e -> { if (e instanceof ArchiveEvent.SeriesMetadataBuilt) events.add(e); });
            MetadataWorker worker = new MetadataWorker(index, store, (ref, out) -> out.write("[]".getBytes(StandardCharsets.US_ASCII)),
                    new MetadataWorker.Settings(Duration.ZERO, Duration.ZERO, Duration.ofMillis(10), RetryPolicy.doubling(2, Duration.ZERO), Duration.ofMinutes(1)))
                    .announcingTo(bus);
            assertEquals(1, worker.runOnce());
            long version = index.seriesState(new SeriesRef(TenantId.DEFAULT, study, series)).orElseThrow().updatedTime();
            assertEquals(new ArchiveEvent.SeriesMetadataBuilt(TenantId.DEFAULT, study, series, version), events.poll(10, TimeUnit.SECONDS));
        }
    }

    /** A local store that counts the bytes its {@code put} has read so far. */
    private static final class CountingStore implements BlobStore {
        final LocalBlobStore local;
        final AtomicLong putBytes = new AtomicLong();

        CountingStore(Path root) throws IOException {
            local = new LocalBlobStore(root);
        }

        @Override
        public long put(String key, InputStream data) throws IOException {
            return local.put(key, new FilterInputStream(data) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) putBytes.addAndGet(n);
                    return n;
                }
            });
        }

        @Override public InputStream open(String key) throws IOException { return local.open(key); }
        @Override public InputStream openRange(String key, long offset, long length) throws IOException { return local.openRange(key, offset, length); }
        @Override public long size(String key) throws IOException { return local.size(key); }
        @Override public void delete(String key) throws IOException { local.delete(key); }
        @Override public void walk(String prefix, java.util.function.Consumer<Listed> visitor) throws IOException { local.walk(prefix, visitor); }
        @Override public void checkReady() throws IOException { local.checkReady(); }
    }

    private static final MetadataWorker.Settings AT_ONCE =
            new MetadataWorker.Settings(Duration.ZERO, Duration.ZERO, Duration.ofMillis(10), RetryPolicy.doubling(2, Duration.ZERO), Duration.ofMinutes(1));

    @Test
    void aDocumentStreamsIntoTheStoreWhileItIsWrittenAndIsNeverHeldWholeInMemory() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            CountingStore store = new CountingStore(dir.resolve("blobs"));
            String study = Uids.generate(), series = Uids.generate();
            new IngestService(index, store.local, bus, dir.resolve("spool")).ingest(TenantId.DEFAULT,
                    new ByteArrayInputStream(IngestServiceTest.instance(study, series, Uids.generate(), "L^Arge")), null, "test");
            long documentBytes = 8L << 20;
            SeriesDocumentBuilder large = (ref, out) -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) ' ');
                for (long written = 0; written < documentBytes; written += chunk.length) out.write(chunk);
                // what was written has been going into the store meanwhile: nothing buffers the document whole first
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (store.putBytes.get() < documentBytes / 2 && System.nanoTime() < deadline) Thread.onSpinWait();
                if (store.putBytes.get() < documentBytes / 2) {
                    throw new IOException("the store read " + store.putBytes.get() + " bytes of a document written to " + documentBytes);
                }
            };
            assertEquals(1, new MetadataWorker(index, store, large, AT_ONCE).runOnce());
            SeriesState state = index.seriesState(new SeriesRef(TenantId.DEFAULT, study, series)).orElseThrow();
            assertTrue(state.metadataIsCurrent(), state.metadataError());
            assertEquals(documentBytes, store.size(state.metadataDocumentKey()));
        }
    }

    @Test
    void aDocumentWhoseWritingFailsHalfwayIsNotStoredAndItsFailureIsRecorded() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            String study = Uids.generate(), series = Uids.generate();
            new IngestService(index, store, bus, dir.resolve("spool")).ingest(TenantId.DEFAULT,
                    new ByteArrayInputStream(IngestServiceTest.instance(study, series, Uids.generate(), "H^Alfway")), null, "test");
            SeriesDocumentBuilder failing = (ref, out) -> {
                out.write(new byte[1 << 20]);
                throw new IOException("disk full after 1 MiB");
            };
            assertEquals(1, new MetadataWorker(index, store, failing, AT_ONCE).runOnce());
            SeriesState state = index.seriesState(new SeriesRef(TenantId.DEFAULT, study, series)).orElseThrow();
            assertFalse(state.metadataIsCurrent());
            assertEquals("disk full after 1 MiB", state.metadataError());
            Path documents = dir.resolve("blobs/tenants/default/metadata");
            try (var files = java.nio.file.Files.walk(documents)) {
                assertEquals(List.of(), files.filter(java.nio.file.Files::isRegularFile).toList(), "no document, whole, cut or temporary, is left");
            } catch (java.nio.file.NoSuchFileException none) {
                // nothing was ever written there
            }
        }
    }
}

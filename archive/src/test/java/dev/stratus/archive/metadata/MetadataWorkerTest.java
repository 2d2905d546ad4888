package dev.stratus.archive.metadata;

import dev.stratus.archive.ingest.IngestService;
import dev.stratus.archive.ingest.IngestServiceTest;
import dev.stratus.codec.Uids;
import dev.stratus.index.Index;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.LocalBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
                    new MetadataWorker.Settings(Duration.ZERO, Duration.ZERO, Duration.ofMillis(10), 2, Duration.ofMinutes(1), Duration.ZERO));
            for (int pass = 0; pass < 10; pass++) worker.runOnce();
            SeriesState state = index.seriesState(new SeriesRef(TenantId.DEFAULT, study, series)).orElseThrow();
            assertEquals("FAILED", state.metadataStatus());
            assertTrue(state.metadataError().contains("disk full"), state.metadataError());
            assertFalse(state.metadataIsCurrent());
            assertTrue(attempts.get() >= 2 && attempts.get() <= 3, "attempts: " + attempts.get());

            MetadataWorker working = new MetadataWorker(index, store, (ref, out) -> out.write("[]".getBytes(StandardCharsets.US_ASCII)),
                    new MetadataWorker.Settings(Duration.ZERO, Duration.ZERO, Duration.ofMillis(10), 2, Duration.ofMinutes(1), Duration.ZERO));
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
                    new MetadataWorker.Settings(Duration.ZERO, Duration.ofHours(1), Duration.ofMillis(10), 2, Duration.ofMinutes(1), Duration.ZERO),
                    busy::get);
            assertEquals(0, worker.runOnce(), "not built while objects arrive and the series changed within the busy quiet period");
            busy.set(false);
            assertEquals(1, worker.runOnce());
            assertTrue(index.seriesState(new SeriesRef(TenantId.DEFAULT, study, series)).orElseThrow().metadataIsCurrent());
        }
    }
}

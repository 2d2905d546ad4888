package dev.stratus.archive.ingest;

import dev.stratus.codec.Uids;
import dev.stratus.index.Index;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.pipeline.ArchiveEvent;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.LocalBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.stratus.archive.ingest.IngestServiceTest.instance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A request's instances stored together: outcomes per instance, in order, and all-or-nothing on failure. */
class IngestBatchTest {
    @TempDir
    Path dir;

    private static ByteArrayInputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    private static void assertSpoolEmpty(Path spool) throws Exception {
        try (var files = Files.list(spool)) {
            assertEquals(List.of(), files.toList(), "nothing left in the spool");
        }
    }

    @Test
    void eachInstanceGetsItsOwnOutcomeInTheOrderSent() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            List<ArchiveEvent> events = new CopyOnWriteArrayList<>();
            bus.subscribe("test", events::add);
            IngestService ingest = new IngestService(index, store, bus, dir.resolve("spool"));
            String study = Uids.generate(), series = Uids.generate(), other = Uids.generate();
            String a = Uids.generate(), b = Uids.generate(), elsewhere = Uids.generate();
            ingest.ingest(TenantId.DEFAULT, in(instance(study, other, elsewhere, "P^Q")), null, "test");

            List<IngestOutcome> outcomes;
            try (IngestBatch batch = ingest.batch(TenantId.DEFAULT, null, "test")) {
                batch.add(in(instance(study, series, a, "P^Q")));
                batch.add(in(new byte[] {1, 2, 3}));                                  // not DICOM
                batch.add(in(instance(study, series, elsewhere, "P^Q")));             // SOP UID already in another series
                batch.add(in(instance(study, series, b, "P^Q")));
                batch.add(in(instance(study, series, a, "P^R")));                     // the same SOP again: replaces the first
                batch.addFailure(new IngestOutcome.Failed(null, null, FailureReason.CANNOT_UNDERSTAND, "wrong part type"));
                outcomes = batch.commit();
            }
            assertEquals(6, outcomes.size());
            IngestOutcome.Stored first = assertInstanceOf(IngestOutcome.Stored.class, outcomes.get(0));
            assertEquals(a, first.sopInstanceUid());
            assertFalse(first.replaced());
            assertEquals(FailureReason.CANNOT_UNDERSTAND, assertInstanceOf(IngestOutcome.Failed.class, outcomes.get(1)).reason());
            IngestOutcome.Failed conflict = assertInstanceOf(IngestOutcome.Failed.class, outcomes.get(2));
            assertEquals(elsewhere, conflict.sopInstanceUid());
            assertTrue(conflict.message().contains(other), conflict.message());
            assertEquals(b, assertInstanceOf(IngestOutcome.Stored.class, outcomes.get(3)).sopInstanceUid());
            assertTrue(assertInstanceOf(IngestOutcome.Stored.class, outcomes.get(4)).replaced());
            assertEquals("wrong part type", assertInstanceOf(IngestOutcome.Failed.class, outcomes.get(5)).message());

            assertEquals(2, index.listInstances(TenantId.DEFAULT, study, series).size());
            assertEquals(3, store.list("tenants").size(), "a, b and the earlier instance: no blob of refused or replaced copies");
            bus.close(); // delivers what was published
            assertEquals(java.util.stream.Stream.of(a, b, a).sorted().toList(), events.stream().map(e -> (ArchiveEvent.InstanceStored) e)
                    .filter(e -> e.seriesUid().equals(series)).map(ArchiveEvent.InstanceStored::sopInstanceUid).sorted().toList(),
                    "one event per stored instance, the replacement included");
            assertSpoolEmpty(dir.resolve("spool"));
        }
    }

    @Test
    void aBatchLargerThanOneTransactionIsStoredWhole() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            AtomicInteger transactions = new AtomicInteger();
            Index counting = (Index) Proxy.newProxyInstance(Index.class.getClassLoader(), new Class<?>[] {Index.class}, (p, m, args) -> {
                if (m.getName().equals("store")) transactions.incrementAndGet();
                return m.invoke(index, args);
            });
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            IngestService ingest = new IngestService(counting, store, bus, dir.resolve("spool"));
            String study = Uids.generate(), series = Uids.generate();
            int n = IngestBatch.MAX_PENDING * 2 + 3;
            List<IngestOutcome> outcomes;
            try (IngestBatch batch = ingest.batch(TenantId.DEFAULT, study, "test")) {
                for (int i = 0; i < n; i++) batch.add(in(instance(study, series, Uids.generate(), "P^Q")));
                outcomes = batch.commit();
            }
            assertTrue(outcomes.stream().allMatch(o -> o instanceof IngestOutcome.Stored), outcomes.toString());
            assertEquals(3, transactions.get(), "one index transaction per " + IngestBatch.MAX_PENDING + " instances");
            assertEquals(n, index.listInstances(TenantId.DEFAULT, study, series).size());
        }
    }

    // Instances under IngestBatch.PLACE_AT_ONCE_BYTES are placed at the batch's end, larger ones as they arrive.
    @ParameterizedTest(name = "{0} pixel bytes")
    @ValueSource(ints = {200_000, 600_000})
    void aBatchClosedWithoutCommitStoresNothing(int pixelBytes) throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            IngestService ingest = new IngestService(index, store, bus, dir.resolve("spool"));
            String study = Uids.generate(), series = Uids.generate();
            try (IngestBatch batch = ingest.batch(TenantId.DEFAULT, null, "test")) {
                batch.add(in(instance(study, series, Uids.generate(), "P^Q", pixelBytes)));
                batch.add(in(instance(study, series, Uids.generate(), "P^Q", pixelBytes)));
                // the request breaks off here (a client gone, a malformed multipart body)
            }
            assertEquals(List.of(), index.listInstances(TenantId.DEFAULT, study, null));
            assertEquals(List.of(), store.list(""));
            assertSpoolEmpty(dir.resolve("spool"));
        }
    }

    @ParameterizedTest(name = "{0} pixel bytes")
    @ValueSource(ints = {200_000, 600_000})
    void anIndexFailureLeavesNoBlobOfTheBatch(int pixelBytes) throws Exception {
        try (Index real = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            Index failing = IngestServiceTest.failingStores(real);
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            IngestService ingest = new IngestService(failing, store, bus, dir.resolve("spool"));
            String study = Uids.generate(), series = Uids.generate();
            try (IngestBatch batch = ingest.batch(TenantId.DEFAULT, null, "test")) {
                for (int i = 0; i < 5; i++) batch.add(in(instance(study, series, Uids.generate(), "P^Q", pixelBytes)));
                assertThrows(IndexUnavailableException.class, batch::commit);
            }
            assertEquals(List.of(), store.list(""), "no orphan blob");
            assertSpoolEmpty(dir.resolve("spool"));
        }
    }

    @ParameterizedTest(name = "{0} pixel bytes, {1}")
    @CsvSource({"200000, Input/output error", "600000, Input/output error", "200000, No space left on device", "600000, No space left on device"})
    void aFlushThatFailsIndexesNothingAndLeavesNoBlob(int pixelBytes, String error) throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore local = new LocalBlobStore(dir.resolve("blobs"));
            // The disk refuses to make the second instance durable (at its fsync: an I/O error, or full).
            AtomicInteger placed = new AtomicInteger();
            BlobStore flakyDisk = (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class}, (p, m, args) -> {
                Object result = m.invoke(local, args);
                if (!m.getName().equals("place") || placed.incrementAndGet() != 2) return result;
                return (BlobStore.Placement) () -> {
                    ((BlobStore.Placement) result).await();
                    throw new IOException(error);
                };
            });
            IngestService ingest = new IngestService(index, flakyDisk, bus, dir.resolve("spool"));
            String study = Uids.generate(), series = Uids.generate();
            try (IngestBatch batch = ingest.batch(TenantId.DEFAULT, null, "test")) {
                for (int i = 0; i < 3; i++) batch.add(in(instance(study, series, Uids.generate(), "P^Q", pixelBytes)));
                if (error.startsWith("No space")) {
                    // a full disk is each instance's failure (A700, in words), and the archive now refuses new objects
                    for (IngestOutcome o : batch.commit()) {
                        IngestOutcome.Failed f = assertInstanceOf(IngestOutcome.Failed.class, o);
                        assertEquals(FailureReason.OUT_OF_RESOURCES, f.reason());
                        assertTrue(f.message().startsWith("storage full: no space left on device"), f.message());
                    }
                    assertNotNull(batch.storageFull());
                    assertNotNull(ingest.space().fullReason());
                } else {
                    assertEquals(error, assertThrows(IOException.class, batch::commit).getMessage());
                }
            }
            assertEquals(List.of(), index.listInstances(TenantId.DEFAULT, study, null), "nothing indexed that is not durable");
            assertEquals(List.of(), local.list(""), "no orphan blob");
            assertSpoolEmpty(dir.resolve("spool"));
        }
    }
}

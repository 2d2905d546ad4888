package dev.stratus.archive.ingest;

import dev.stratus.codec.Uids;
import dev.stratus.index.Index;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.LocalBlobStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.stratus.archive.ingest.IngestServiceTest.instance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stores that reach the index while a commit is under way (concurrent C-STOREs, each a batch of one) are committed
 * together, and each keeps its own outcome: one whose blob cannot be made durable fails alone.
 */
class SharedCommitTest {
    static final int STORES = 5;

    @TempDir
    Path dir;
    /** Counted down once the first store's commit waits for its held flush. */
    private final CountDownLatch holding = new CountDownLatch(1);

    /**
     * A local disk whose first flush is held until the other stores wait for the next commit, so that they share it;
     * the flush of {@code failingSop}'s blob (if not null) fails as a disk's I/O error would.
     */
    private BlobStore heldDisk(LocalBlobStore local, IngestService[] ingest, String failingSop) {
        AtomicInteger placed = new AtomicInteger();
        return (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class}, (p, m, args) -> {
            Object result = m.invoke(local, args);
            if (!m.getName().equals("place")) return result;
            BlobStore.Placement placement = (BlobStore.Placement) result;
            boolean first = placed.incrementAndGet() == 1;
            boolean failing = failingSop != null && ((BlobStore.StagedFile) args[0]).key().contains(failingSop);
            return (BlobStore.Placement) () -> {
                placement.await();
                if (first) holding.countDown();
                // hang guard, generous: the other stores queue within milliseconds
                for (int i = 0; first && i < 60_000 && ingest[0].commitsForTest().waitingForTest() < STORES - 1; i++) pause();
                if (failing) throw new IOException("Input/output error");
            };
        });
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    private List<Future<IngestOutcome>> storeAtOnce(IngestService ingest, String study, List<String> sops) throws Exception {
        List<Future<IngestOutcome>> outcomes = new ArrayList<>();
        try (ExecutorService senders = Executors.newFixedThreadPool(STORES)) {
            for (int i = 0; i < sops.size(); i++) {
                byte[] bytes = instance(study, Uids.generate(), sops.get(i), "Shared^" + i, 4096); // a series each, as associations send
                outcomes.add(senders.submit(() -> ingest.ingest(TenantId.DEFAULT, new ByteArrayInputStream(bytes), null, "C-STORE test")));
                if (i == 0) assertTrue(holding.await(60, TimeUnit.SECONDS), "the first store's commit began"); // hang guard, generous
            }
        }
        return outcomes;
    }

    private static List<String> sops() {
        List<String> sops = new ArrayList<>();
        for (int i = 0; i < STORES; i++) sops.add(Uids.generate());
        return sops;
    }

    @Test
    @Timeout(120) // hang guard, generous
    void storesArrivingDuringACommitShareTheNextOne() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore local = new LocalBlobStore(dir.resolve("blobs"));
            IngestService[] ingest = new IngestService[1];
            ingest[0] = new IngestService(index, heldDisk(local, ingest, null), bus, dir.resolve("spool"));
            String study = Uids.generate();
            List<String> sops = sops();
            for (Future<IngestOutcome> f : storeAtOnce(ingest[0], study, sops)) assertInstanceOf(IngestOutcome.Stored.class, f.get());
            assertEquals(2, ingest[0].commitsForTest().groupsForTest(), "the first store's commit, then one for the " + (STORES - 1) + " that waited");
            assertEquals(STORES, index.listInstances(TenantId.DEFAULT, study, null).size());
        }
    }

    @Test
    @Timeout(120) // hang guard, generous
    void aBlobThatCannotBeMadeDurableFailsOnlyItsOwnStoreInTheGroup() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore local = new LocalBlobStore(dir.resolve("blobs"));
            List<String> sops = sops();
            String bad = sops.get(2); // one of those that wait for the second commit
            IngestService[] ingest = new IngestService[1];
            ingest[0] = new IngestService(index, heldDisk(local, ingest, bad), bus, dir.resolve("spool"));
            String study = Uids.generate();
            List<Future<IngestOutcome>> outcomes = storeAtOnce(ingest[0], study, sops);
            for (int i = 0; i < STORES; i++) {
                if (i == 2) {
                    Throwable failure = assertThrows(java.util.concurrent.ExecutionException.class, outcomes.get(i)::get).getCause();
                    assertEquals("Input/output error", assertInstanceOf(IOException.class, failure).getMessage());
                } else {
                    assertEquals(sops.get(i), assertInstanceOf(IngestOutcome.Stored.class, outcomes.get(i).get()).sopInstanceUid());
                }
            }
            List<String> indexed = index.listInstances(TenantId.DEFAULT, study, null).stream().map(s -> s.sopInstanceUid()).toList();
            assertEquals(STORES - 1, indexed.size(), "every store but the failed one: " + indexed);
            assertTrue(!indexed.contains(bad), "the failed instance is not indexed");
            assertEquals(STORES - 1, local.list("").size(), "no blob of the failed instance left behind");
            assertEquals(2 + STORES - 1, ingest[0].commitsForTest().groupsForTest(), "the group's store failed: each of it again alone");
        }
    }
}

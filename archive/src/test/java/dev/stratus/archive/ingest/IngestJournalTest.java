package dev.stratus.archive.ingest;

import dev.stratus.archive.delete.DeleteService;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Uids;
import dev.stratus.index.Index;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.LocalBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ingest journal lets the embedded index acknowledge a store before its commit is durable: these tests
 * crash a process right after it acknowledged, and check that what it acknowledged comes back, and that what
 * it deleted does not.
 */
class IngestJournalTest {
    @TempDir
    Path dir;

    static final String STUDY = "1.2.826.0.1.3680043.8.498.1";
    static final String SERIES_A = STUDY + ".1", SERIES_B = STUDY + ".2";

    static String sop(String series, int i) {
        return series + "." + i;
    }

    /**
     * The child: stores five instances, deletes one of them, then stores five more and a new version of a
     * second one, says so and dies without closing anything. Its H2 writes nothing out by itself for 100 s,
     * so the last commits exist only in the journal when it dies.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir) + ";WRITE_DELAY=100000", null, null, true);
        LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
        InProcessEventBus bus = new InProcessEventBus();
        IngestJournal journal = IngestJournal.open(dir.resolve("journal"), index, false);
        IngestService ingest = new IngestService(index, store, bus, dir.resolve("spool"), true, journal);
        DeleteService deletes = new DeleteService(index, store, bus, journal);
        store(ingest, SERIES_A, "First^Version");
        deletes.delete(TenantId.DEFAULT, STUDY, SERIES_A, sop(SERIES_A, 1));
        store(ingest, SERIES_B, "First^Version");
        ingest.ingest(TenantId.DEFAULT, new ByteArrayInputStream(IngestServiceTest.instance(STUDY, SERIES_A, sop(SERIES_A, 2),
                "Second^Version", 10_000)), null, "test");
        System.out.println("acknowledged");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void store(IngestService ingest, String series, String patient) throws Exception {
        try (IngestBatch batch = ingest.batch(TenantId.DEFAULT, STUDY, "test")) {
            for (int i = 1; i <= 5; i++) {
                batch.add(new ByteArrayInputStream(IngestServiceTest.instance(STUDY, series, sop(series, i), patient, 10_000)));
            }
            List<IngestOutcome> outcomes = batch.commit();
            if (!outcomes.stream().allMatch(o -> o instanceof IngestOutcome.Stored)) throw new AssertionError(outcomes.toString());
        }
    }

    @Test
    void acknowledgedStoresComeBackAfterACrashAndADeletedInstanceStaysDeleted() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                IngestJournalTest.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child finished");
        assertTrue(output.contains("acknowledged"), output);

        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            assertEquals(0, index.listInstances(TenantId.DEFAULT, STUDY, SERIES_B).size(),
                    "the crash lost the commits made after the last sync (else this test proves nothing)");
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            IngestJournal journal = IngestJournal.open(dir.resolve("journal"), index, false);
            IngestService ingest = new IngestService(index, store, bus, dir.resolve("spool"), true, journal);
            assertEquals(6, ingest.replayJournal(), "five instances of series B and the new version of A.2; the first batch's page went with the delete");

            assertEquals(List.of(2, 3, 4, 5), numbers(index.listInstances(TenantId.DEFAULT, STUDY, SERIES_A)), "A.1 stays deleted");
            assertEquals(List.of(1, 2, 3, 4, 5), numbers(index.listInstances(TenantId.DEFAULT, STUDY, SERIES_B)));
            StoredInstance replaced = index.findInstance(TenantId.DEFAULT, STUDY, SERIES_A, sop(SERIES_A, 2)).orElseThrow();
            try (InputStream in = store.open(replaced.blobKey())) {
                assertEquals("Second^Version", DicomReader.read(in.readAllBytes()).dataSet().getString(0x00100010));
            }
            assertEquals(9, store.list("tenants").size(), "one blob per instance: the replaced version's is gone");
            try (Stream<Path> pages = Files.list(dir.resolve("journal"))) {
                assertEquals(0, pages.count(), "replayed pages are deleted");
            }
            journal.close();
        }
    }

    private static List<Integer> numbers(List<StoredInstance> instances) {
        return instances.stream().map(i -> Integer.parseInt(i.sopInstanceUid().substring(i.sopInstanceUid().lastIndexOf('.') + 1))).sorted().toList();
    }

    @Test
    void aPageReadsBackWholeAndEveryCutOrChangedCopyReadsAsTorn() {
        List<IngestJournal.Entry> entries = List.of(
                new IngestJournal.Entry(TenantId.DEFAULT, "tenants/default/studies/1/series/2/3_abc.dcm", 1234),
                new IngestJournal.Entry(new TenantId("site-b"), "tenants/site-b/studies/1/series/2/4_def.dcm", 99));
        byte[] page = IngestJournal.encode(entries);
        assertEquals(entries, IngestJournal.decode(page));
        for (int cut = 0; cut < page.length; cut++) {
            assertNull(IngestJournal.decode(Arrays.copyOf(page, cut)), "cut after " + cut + " bytes");
        }
        for (int i = 0; i < page.length; i++) {
            byte[] changed = page.clone();
            changed[i] ^= 0x01;
            assertNull(IngestJournal.decode(changed), "byte " + i + " changed");
        }
    }

    @Test
    void aPageNamingAPathOutsideTheStoreIsRefused() {
        byte[] page = IngestJournal.encode(List.of(new IngestJournal.Entry(TenantId.DEFAULT, "../../etc/passwd", 10)));
        assertNull(IngestJournal.decode(page));
    }

    @Test
    void retiringSyncsTheIndexBeforeItDeletesTheCommittedPagesOnly() throws Exception {
        try (Index real = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true)) {
            Path pages = dir.resolve("journal");
            AtomicBoolean syncedWithPagePresent = new AtomicBoolean();
            Path[] first = new Path[1];
            Index watched = (Index) Proxy.newProxyInstance(Index.class.getClassLoader(), new Class<?>[] {Index.class}, (p, m, args) -> {
                if (m.getName().equals("syncStores")) syncedWithPagePresent.set(Files.exists(first[0]));
                try {
                    return m.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
            try (IngestJournal journal = IngestJournal.open(pages, watched, false)) {
                IngestJournal.Page committed = journal.write(List.of(new IngestJournal.Entry(TenantId.DEFAULT, "a/b.dcm", 1)));
                IngestJournal.Page pending = journal.write(List.of(new IngestJournal.Entry(TenantId.DEFAULT, "a/c.dcm", 1)));
                first[0] = committed.file;
                committed.await();
                journal.commit(committed, () -> null);
                journal.retire();
                assertTrue(syncedWithPagePresent.get(), "the index was synced while the page still existed");
                assertFalse(Files.exists(committed.file), "a committed page is deleted once the index synced");
                assertTrue(Files.exists(pending.file), "a page whose store has not committed stays");
                assertEquals(1, journal.leftOver().size());
                journal.abandon(pending);
                assertEquals(0, journal.leftOver().size());
            }
        }
    }

    @Test
    void replaySkipsTornPagesAndEntriesWhoseBlobIsMissingOrShort() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            String study = Uids.generate(), series = Uids.generate(), whole = Uids.generate(), shortened = Uids.generate();
            byte[] wholeBytes = IngestServiceTest.instance(study, series, whole, "Whole^File", 10_000);
            byte[] shortBytes = IngestServiceTest.instance(study, series, shortened, "Short^File", 10_000);
            String wholeKey = "tenants/default/studies/" + study + "/series/" + series + "/" + whole + "_1.dcm";
            String shortKey = "tenants/default/studies/" + study + "/series/" + series + "/" + shortened + "_1.dcm";
            store.put(wholeKey, new ByteArrayInputStream(wholeBytes));
            store.put(shortKey, new ByteArrayInputStream(Arrays.copyOf(shortBytes, shortBytes.length - 100)));
            Path pages = Files.createDirectories(dir.resolve("journal"));
            Files.write(pages.resolve("00000000000000000001.journal"), IngestJournal.encode(List.of(
                    new IngestJournal.Entry(TenantId.DEFAULT, "tenants/default/studies/1/series/2/missing_1.dcm", 500),
                    new IngestJournal.Entry(TenantId.DEFAULT, shortKey, shortBytes.length),
                    new IngestJournal.Entry(TenantId.DEFAULT, wholeKey, wholeBytes.length))));
            byte[] torn = IngestJournal.encode(List.of(new IngestJournal.Entry(TenantId.DEFAULT, shortKey, shortBytes.length - 100)));
            Files.write(pages.resolve("00000000000000000002.journal"), Arrays.copyOf(torn, torn.length - 3));
            try (IngestJournal journal = IngestJournal.open(pages, index, false)) {
                IngestService ingest = new IngestService(index, store, bus, dir.resolve("spool"), true, journal);
                assertEquals(1, ingest.replayJournal());
                assertEquals(List.of(whole), index.listInstances(TenantId.DEFAULT, study, series).stream()
                        .map(StoredInstance::sopInstanceUid).toList(), "only the complete blob of a complete page is indexed");
                assertEquals(0, journal.leftOver().size(), "every page is dealt with");
            }
        }
    }
}

package dev.stratus.index.mongodb;

import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.StoreResult;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import dev.stratus.index.TestInstance;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.QidoQueryParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The races that single-document operations must settle without transactions: recounts overlapping,
 * one SOP Instance UID stored into two series at once, and stores racing deletes of the same series.
 * Each recount pauses up to 2 ms (one in ten: 8 ms) between its reads and its write, so that the races happen.
 */
class MongoRaceTest {
    private static final TenantId T = new TenantId("t1");
    private final String uri = TestMongo.withDatabase(TestMongo.memoryServerUri(), TestMongo.randomDatabase());
    private final MongoIndex index = MongoIndex.open(uri, true);

    @BeforeEach
    void widenRaceWindow() {
        Recount.raceWindow = () -> {
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(10) == 0 ? 8 : ThreadLocalRandom.current().nextInt(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @AfterEach
    void close() {
        Recount.raceWindow = () -> {};
        index.close();
        TestMongo.drop(uri);
    }

    @Test
    void overlappingRecountsKeepExactSeriesAndStudyCounts() throws Exception {
        int threads = 8, rounds = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        // Every round stores at once; between rounds, when every store has returned, the counts must be exact.
        CyclicBarrier together = new CyclicBarrier(threads, () -> {
            int stored = index.listInstances(T, "1.1", "1.1.1").size();
            int counted = index.seriesState(new SeriesRef(T, "1.1", "1.1.1")).map(SeriesState::instanceCount).orElse(0);
            if (stored != counted) wrong.add("series: " + counted + " counted, " + stored + " stored");
            int inStudy = index.listInstances(T, "1.1", null).size();
            String studyCount = inStudy == 0 ? "0" : index.search(T, QidoQueryParser.parse(Level.STUDY, null, null, Map.of()))
                    .matches().getFirst().getString(TestInstance.tag("NumberOfStudyRelatedInstances"));
            if (!String.valueOf(inStudy).equals(studyCount)) wrong.add("study: " + studyCount + " counted, " + inStudy + " stored");
        });
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < rounds; i++) {
                        together.await();
                        Thread.sleep(ThreadLocalRandom.current().nextInt(3)); // inserts spread over the others' recounts
                        String series = i % 2 == 0 ? "1.1.1" : "1.1." + (2 + thread % 3); // one series shared by all, three by some
                        index.store(List.of(TestInstance.of(T, "1.1", series, series + "." + thread + "." + i).build()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(List.of(), List.copyOf(wrong), "a recount that missed a concurrent store won");
        assertEquals(threads * rounds / 2, index.seriesState(new SeriesRef(T, "1.1", "1.1.1")).orElseThrow().instanceCount());
        for (String s : List.of("1.1.1", "1.1.2", "1.1.3", "1.1.4")) assertCountsMatchInstances(s);
        var study = index.search(T, QidoQueryParser.parse(Level.STUDY, null, null, Map.of())).matches().getFirst();
        assertEquals("4", study.getString(TestInstance.tag("NumberOfStudyRelatedSeries")));
        assertEquals(String.valueOf(threads * rounds), study.getString(TestInstance.tag("NumberOfStudyRelatedInstances")));
    }

    @Test
    void oneInstanceStoredIntoTwoSeriesAtOnceIsStoredOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String sop = "1.1.9." + round;
                CountDownLatch start = new CountDownLatch(1);
                Future<StoreResult> a = pool.submit(storeAfter(start, "1.1", "1.1.1", sop));
                Future<StoreResult> b = pool.submit(storeAfter(start, "1.1", "1.1.2", sop));
                start.countDown();
                int conflicts = a.get().conflicts().size() + b.get().conflicts().size();
                assertEquals(1, conflicts, "round " + round + ": exactly one store loses");
                StoredInstance stored = index.findInstance(T, null, null, sop).orElseThrow();
                String loser = stored.seriesUid().equals("1.1.1") ? "1.1.2" : "1.1.1";
                assertTrue(index.listInstances(T, "1.1", loser).stream().noneMatch(i -> i.sopInstanceUid().equals(sop)));
            }
            assertCountsMatchInstances("1.1.1");
            assertCountsMatchInstances("1.1.2");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void storesRacingDeletesOfTheSameSeriesLeaveExactCountsAndLoseNoBlobKey() throws Exception {
        int storers = 4, perStorer = 15;
        ConcurrentLinkedQueue<String> reported = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(storers + 2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < storers; t++) {
                int thread = t;
                done.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < perStorer; i++) {
                        String sop = "1.1.1." + thread + "." + i;
                        index.store(List.of(TestInstance.of(T, "1.1", "1.1.1", sop).instanceNumber(i).build()));
                        if (i % 5 == 4) reported.addAll(index.delete(T, "1.1", "1.1.1", "1.1.1." + thread + "." + (i - 2)).blobKeys());
                    }
                    return null;
                }));
            }
            done.add(pool.submit((Callable<Void>) () -> {
                for (int i = 0; i < 6; i++) {
                    reported.addAll(index.delete(T, "1.1", "1.1.1", null).blobKeys());
                    Thread.sleep(5);
                }
                return null;
            }));
            done.add(pool.submit((Callable<Void>) () -> {
                for (int i = 0; i < 4; i++) {
                    reported.addAll(index.delete(T, "1.1", null, null).blobKeys());
                    Thread.sleep(7);
                }
                return null;
            }));
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        assertCountsMatchInstances("1.1.1");
        Set<String> accounted = new HashSet<>(reported);
        for (StoredInstance i : index.listInstances(T, "1.1", null)) accounted.add(i.blobKey());
        for (int t = 0; t < storers; t++) {
            for (int i = 0; i < perStorer; i++) {
                String sop = "1.1.1." + t + "." + i;
                assertTrue(accounted.contains("t1/" + sop), "blob key of " + sop + " neither kept nor reported by a delete");
                Optional<StoredInstance> found = index.findInstance(T, null, null, sop);
                if (found.isPresent()) {
                    assertTrue(index.listInstances(T, "1.1", "1.1.1").contains(found.get()), sop + " kept but not listed: orphaned");
                }
            }
        }
    }

    private Callable<StoreResult> storeAfter(CountDownLatch start, String study, String series, String sop) {
        return () -> {
            start.await();
            return index.store(List.of(TestInstance.of(T, study, series, sop).build()));
        };
    }

    /** The series' and its study's counts are those of the instances stored, or neither exists without instances. */
    private void assertCountsMatchInstances(String seriesUid) {
        int instances = index.listInstances(T, "1.1", seriesUid).size();
        Optional<SeriesState> state = index.seriesState(new SeriesRef(T, "1.1", seriesUid));
        if (instances == 0) {
            assertTrue(state.isEmpty(), "an empty series is removed: " + state);
        } else {
            assertEquals(instances, state.orElseThrow().instanceCount());
        }
        int studyInstances = index.listInstances(T, "1.1", null).size();
        var studies = index.search(T, QidoQueryParser.parse(Level.STUDY, null, null, Map.of())).matches();
        if (studyInstances == 0) {
            assertEquals(List.of(), studies, "a study without instances is removed");
        } else {
            assertEquals(String.valueOf(studyInstances), studies.getFirst().getString(TestInstance.tag("NumberOfStudyRelatedInstances")));
        }
    }
}

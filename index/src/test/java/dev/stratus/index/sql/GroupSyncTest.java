package dev.stratus.index.sql;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupSyncTest {
    /** Every caller returns only after a sync that started after it arrived; concurrent callers share syncs. */
    @Test
    void everyWriterWaitsForASyncStartedAfterItsCommitAndWritersShareThem() throws Exception {
        AtomicLong commits = new AtomicLong();       // commits made so far
        AtomicLong coveredBySync = new AtomicLong(); // commits made before the last finished sync started
        AtomicInteger syncs = new AtomicInteger();
        GroupSync group = new GroupSync(() -> {
            long seen = commits.get();
            syncs.incrementAndGet();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            coveredBySync.accumulateAndGet(seen, Math::max);
        });
        int writers = 16, rounds = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        AtomicInteger violations = new AtomicInteger();
        for (int w = 0; w < writers; w++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int r = 0; r < rounds; r++) {
                    long mine = commits.incrementAndGet();
                    group.awaitDurable();
                    if (coveredBySync.get() < mine) violations.incrementAndGet();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join();
        assertEquals(0, violations.get(), "a writer returned before its commit was synced");
        assertTrue(syncs.get() < writers * rounds, "syncs shared: " + syncs.get() + " for " + writers * rounds + " commits");
    }

    @Test
    void aFailedSyncFailsItsCallerAndTheNextCallerSyncsAgain() {
        AtomicInteger calls = new AtomicInteger();
        GroupSync group = new GroupSync(() -> {
            if (calls.incrementAndGet() == 1) throw new IllegalStateException("disk went away");
        });
        assertThrows(IllegalStateException.class, group::awaitDurable);
        group.awaitDurable();
        assertEquals(2, calls.get());
    }
}

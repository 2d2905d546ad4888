package dev.stratus.index.sql;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for a database whose commits are durable only after an explicit sync (H2: CHECKPOINT SYNC).
 * A writer calls {@link #awaitDurable} after its commit; one sync makes every commit made before it started
 * durable, so writers that commit while a sync runs share the next one instead of queueing one each.
 */
final class GroupSync {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition synced = lock.newCondition();
    private final Runnable sync;
    private long requested;  // tickets handed out, one per commit
    private long durable;    // every ticket up to this one is covered by a finished sync
    private boolean running;

    GroupSync(Runnable sync) {
        this.sync = sync;
    }

    /** Returns once a sync that started after the caller's commit has finished; a failed sync is retried. */
    void awaitDurable() {
        lock.lock();
        try {
            long ticket = ++requested;
            while (durable < ticket) {
                if (running) {
                    synced.awaitUninterruptibly();
                    continue;
                }
                running = true;
                long covers = requested;
                lock.unlock();
                boolean ok = false;
                try {
                    sync.run();
                    ok = true;
                } finally {
                    lock.lock();
                    running = false;
                    if (ok) durable = Math.max(durable, covers);
                    synced.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}

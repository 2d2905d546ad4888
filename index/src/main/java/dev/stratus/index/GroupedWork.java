package dev.stratus.index;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Work handed in while a group of it runs waits and runs in the next group: the caller that finds no group running
 * leads the next one, the others wait for it. What an entry's result is, and how a group runs, are the caller's; this
 * is the queue and the leading (the commits of embedded SQLite, and the stores that share them).
 */
public final class GroupedWork<E> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private final ArrayDeque<E> waiting = new ArrayDeque<>();
    private final Set<E> unfinished = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Function<ArrayDeque<E>, List<E>> nextGroup;
    private final Consumer<List<E>> runGroup;
    private boolean leading;
    private long groups;

    /**
     * @param nextGroup takes the next group from the waiting entries, in order (at least the first)
     * @param runGroup  runs a group and records each entry's outcome in it; it throws nothing but an Error
     */
    public GroupedWork(Function<ArrayDeque<E>, List<E>> nextGroup, Consumer<List<E>> runGroup) {
        this.nextGroup = nextGroup;
        this.runGroup = runGroup;
    }

    /** Returns once a group holding {@code entry} has run; its outcome is visible to the caller then. */
    public void run(E entry) {
        lock.lock();
        try {
            waiting.add(entry);
            unfinished.add(entry);
            while (unfinished.contains(entry)) {
                if (leading) {
                    finished.awaitUninterruptibly();
                    continue;
                }
                leading = true;
                List<E> group = nextGroup.apply(waiting);
                lock.unlock();
                try {
                    runGroup.accept(group);
                } finally {
                    lock.lock(); // publishes the group's outcomes to its waiters
                    group.forEach(unfinished::remove);
                    groups++;
                    leading = false;
                    finished.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Entries waiting for a group, for tests. */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Groups run so far, for tests. */
    public long groups() {
        lock.lock();
        try {
            return groups;
        } finally {
            lock.unlock();
        }
    }
}

package dev.stratus.archive.ingest;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many stores may run at once (ingest.maxConcurrent): a STOW-RS request from its first byte to its answer, a
 * C-STORE from its parse to its answer. Each holds spool buffers (pooled, as many sets as permits) and, while it
 * parses, up to the parse budget's worst case of heap; this bounds their sum (docs/configuration.md). A store
 * beyond it waits up to the queue time for a permit, then is refused as busy (503 with Retry-After, C-STORE A700).
 */
public final class IngestAdmission {
    public static final int DEFAULT_MAX_CONCURRENT = 64;
    public static final Duration DEFAULT_QUEUE = Duration.ofSeconds(5);

    private final int maxConcurrent;
    private final Duration queue;
    private final Semaphore permits;

    public IngestAdmission(int maxConcurrent, Duration queue) {
        if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent must be at least 1, not " + maxConcurrent);
        if (queue.isNegative()) throw new IllegalArgumentException("the queue time must not be negative");
        this.maxConcurrent = maxConcurrent;
        this.queue = queue;
        this.permits = new Semaphore(maxConcurrent, true); // fair: the longest waiting goes first
    }

    public int maxConcurrent() { return maxConcurrent; }

    public Duration queue() { return queue; }

    /** Stores running now. */
    public int running() { return maxConcurrent - permits.availablePermits(); }

    /** A permit, once one is free within the queue time; close it when the store is over. */
    public Permit admit() throws Busy {
        boolean got;
        try {
            got = permits.tryAcquire(queue.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) throw new Busy(maxConcurrent, queue);
        return new Permit();
    }

    /** A running store's place; closing it twice releases once. */
    public final class Permit implements AutoCloseable {
        private boolean released;

        private Permit() {}

        @Override
        public synchronized void close() {
            if (released) return;
            released = true;
            permits.release();
        }
    }

    /** No permit came free within the queue time: the store is refused, to be retried later. */
    public static final class Busy extends RuntimeException {
        private final Duration retryAfter;

        Busy(int maxConcurrent, Duration queue) {
            super("the archive is busy: " + maxConcurrent + " stores are running (ingest.maxConcurrent) and none ended within "
                    + queue.toMillis() / 1000.0 + " s; retry later", null, false, false);
            this.retryAfter = queue.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : queue;
        }

        /** When to try again: the queue time (at least a second), by which stores running now have likely moved on. */
        public Duration retryAfter() { return retryAfter; }
    }
}

package dev.stratus.archive.ingest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** When this node last took in an instance: background work yields while objects are arriving. */
public final class IngestActivity {
    private final AtomicLong lastNanos = new AtomicLong(System.nanoTime() - Duration.ofDays(1).toNanos());

    void touch() {
        lastNanos.set(System.nanoTime());
    }

    /** True when an instance arrived less than {@code window} ago. */
    public boolean busyWithin(Duration window) {
        return System.nanoTime() - lastNanos.get() < window.toNanos();
    }
}

package dev.stratus.archive.retrieve;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct buffers for stored bytes, kept for the next response rather than allocated for each: a new direct buffer is
 * zeroed and its pages faulted in, a quarter of a whole-study retrieve's CPU in perf (docs/benchmarks.md). Sizes are
 * rounded up to {@link #GRAIN}; at most {@code limit} bytes are kept, the last given back taken first (cache-warm).
 */
final class DirectBuffers {
    static final int GRAIN = 1 << 16;

    private final long limit;
    private final AtomicLong kept = new AtomicLong();
    private final ConcurrentHashMap<Integer, ConcurrentLinkedDeque<ByteBuffer>> free = new ConcurrentHashMap<>();

    DirectBuffers(long limit) {
        this.limit = limit;
    }

    /** A cleared buffer whose limit is {@code capacity} (its capacity may be larger). */
    ByteBuffer take(int capacity) {
        int grains = (int) ((capacity + (long) GRAIN - 1) / GRAIN);
        ConcurrentLinkedDeque<ByteBuffer> q = free.get(grains);
        ByteBuffer b = q == null ? null : q.pollFirst();
        if (b == null) return ByteBuffer.allocateDirect(grains * GRAIN).limit(capacity);
        kept.addAndGet(-b.capacity());
        return b.clear().limit(capacity);
    }

    /** Gives back a buffer no one reads or writes any more (one from {@link #take}); dropped when enough are kept. */
    void give(ByteBuffer b) {
        if (!b.isDirect() || b.capacity() % GRAIN != 0) return;
        if (kept.addAndGet(b.capacity()) > limit) {
            kept.addAndGet(-b.capacity());
            return;
        }
        free.computeIfAbsent(b.capacity() / GRAIN, k -> new ConcurrentLinkedDeque<>()).offerFirst(b);
    }

    /** Bytes kept for reuse. */
    long kept() {
        return kept.get();
    }
}

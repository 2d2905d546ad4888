package dev.stratus.web.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit trail: JSON lines, one per access, written by one thread of its own from a bounded queue, so that a
 * request never waits on the audit disk. When the queue is full (the disk stalls, or is slower than the requests for
 * longer than the queue lasts) a record is dropped, counted ({@link #dropped()}) and the next line written says how many
 * were lost before it ({@code "dropped": n}), with a warning in the log at most once a minute: the archive keeps
 * serving rather than stopping for its audit trail, and the gap is visible in the trail itself.
 */
public final class AuditLog implements AutoCloseable {
    public static final AuditLog OFF = new AuditLog();
    public static final int DEFAULT_QUEUE = 10_000;
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final AuditRecord STOP = new AuditRecord(null, null, null, null, null, null, null, null, null, 0, null);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final String sink;
    private final OutputStream out;
    private final BlockingQueue<AuditRecord> queue;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedSinceWritten = new AtomicLong();
    private volatile long lastWarning;

    private AuditLog() {
        sink = "off";
        out = null;
        queue = null;
        writer = null;
    }

    /** @param out written by this log's thread alone, closed by {@link #close()} */
    AuditLog(String sink, OutputStream out, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("the audit queue must hold at least 1 record, not " + capacity);
        this.sink = sink;
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = Thread.ofPlatform().daemon().name("audit-writer").start(this::drain);
    }

    /**
     * @param sink {@code off}, {@code stdout} or {@code file:PATH} (appended to, created if absent)
     * @param capacity records the queue holds while the sink is behind
     */
    public static AuditLog open(String sink, int capacity) throws IOException {
        String s = sink == null ? "off" : sink.strip();
        if (s.equalsIgnoreCase("off")) return OFF;
        if (s.equalsIgnoreCase("stdout")) return new AuditLog("stdout", new FilterOutputStream(System.out) {
            @Override
            public void close() throws IOException {
                flush(); // stdout is not ours to close
            }
        }, capacity);
        if (s.toLowerCase(Locale.ROOT).startsWith("file:") && s.length() > 5) {
            Path file = Path.of(s.substring(5));
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            return new AuditLog(s, new FileOutputStream(file.toFile(), true), capacity);
        }
        throw new IllegalArgumentException("the audit sink must be off, stdout or file:PATH, not '" + sink + "'");
    }

    public boolean enabled() { return queue != null; }

    /** off, stdout or file:PATH. */
    public String sink() { return sink; }

    /** Records dropped because the queue was full, since the start. */
    public long dropped() { return dropped.get(); }

    /** Queues the record for writing; never waits. */
    public void record(AuditRecord r) {
        if (queue == null) return;
        if (!queue.offer(r)) {
            dropped.incrementAndGet();
            droppedSinceWritten.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastWarning > TimeUnit.MINUTES.toNanos(1)) {
                lastWarning = now;
                log.warn("audit queue full ({} records): audit records are being dropped ({} so far); is {} stalled?",
                        queue.size(), dropped.get(), sink);
            }
        }
    }

    private void drain() {
        List<AuditRecord> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch);
                boolean stop = false;
                for (AuditRecord r : batch) {
                    if (r == STOP) {
                        stop = true;
                        break;
                    }
                    write(r);
                }
                out.flush(); // a batch at a time: one write for many lines when busy, nothing held back when idle
                batch.clear();
                if (stop) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.error("the audit trail cannot be written to {} any more: {}; further records are dropped", sink, e.toString());
            queue.clear();
        }
    }

    private void write(AuditRecord r) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(line)) {
            r.write(g, droppedSinceWritten.getAndSet(0));
        }
        line.write('\n');
        line.writeTo(out);
    }

    /** Writes what is queued (waiting up to 10 s for a stalled sink), then closes the sink. */
    @Override
    public void close() {
        if (queue == null) return;
        try {
            // a full queue: make room for the stop mark rather than wait behind a stalled sink
            while (!queue.offer(STOP, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                if (queue.poll() != null) dropped.incrementAndGet();
            }
            writer.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            log.warn("the audit trail at {} did not take the last {} records within {} s", sink, queue.size(), CLOSE_WAIT.toSeconds());
            writer.interrupt();
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            log.warn("closing the audit trail at {}: {}", sink, e.toString());
        }
    }
}

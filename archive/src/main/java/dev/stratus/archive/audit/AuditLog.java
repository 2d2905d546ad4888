package dev.stratus.archive.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
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
 * The audit trail: one record per access, to each of its sinks (JSON lines on stdout or in a file; Kafka's access
 * topic), each written by a thread of its own from a bounded queue, so that a request never waits on the audit disk or
 * broker, and a stalled sink holds up no other. When a sink's queue is full (the disk stalls, or is slower than the
 * requests for longer than the queue lasts) a record is dropped for it, counted ({@link #dropped()}), the next record
 * written there says how many were lost before it ({@code "dropped": n}), and the log warns at most once a minute: the
 * archive keeps serving rather than stopping for its audit trail, and the gap is visible in the trail itself.
 */
public final class AuditLog implements AutoCloseable {
    public static final AuditLog OFF = new AuditLog(List.of());
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final AuditRecord STOP = new AuditRecord(null, null, null, null, null, null, null, null, null, 0, null, null, null);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final List<Outlet> outlets;

    private AuditLog(List<Outlet> outlets) {
        this.outlets = List.copyOf(outlets);
    }

    /**
     * @param sink {@code off}, {@code stdout} or {@code file:PATH} (appended to, created if absent)
     * @param capacity records the queue holds while the sink is behind
     */
    public static AuditLog open(String sink, int capacity) throws IOException {
        String s = sink == null ? "off" : sink.strip();
        if (s.equalsIgnoreCase("off")) return OFF;
        if (s.equalsIgnoreCase("stdout")) return lines("stdout", new BufferedOutputStream(System.out, 64 * 1024) {
            @Override
            public void close() throws IOException {
                flush(); // stdout is not ours to close
            }
        }, capacity);
        if (s.toLowerCase(Locale.ROOT).startsWith("file:") && s.length() > 5) {
            Path file = Path.of(s.substring(5));
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            return lines(s, new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 64 * 1024), capacity);
        }
        throw new IllegalArgumentException("the audit sink must be off, stdout or file:PATH, not '" + sink + "'");
    }

    /** JSON lines to {@code out}, which this log closes. */
    static AuditLog lines(String name, OutputStream out, int capacity) {
        return new AuditLog(List.of(new Outlet(name, new LineSink(out), capacity)));
    }

    /** This log and one more sink with a queue of its own (the Kafka access topic, say). */
    public AuditLog and(String name, AuditSink sink, int capacity) {
        List<Outlet> all = new ArrayList<>(outlets);
        all.add(new Outlet(name, sink, capacity));
        return new AuditLog(all);
    }

    public boolean enabled() { return !outlets.isEmpty(); }

    /** The sinks' names: stdout, file:PATH, and those given to {@link #and}; empty when off. */
    public List<String> sinks() { return outlets.stream().map(o -> o.name).toList(); }

    /** Records dropped because a sink's queue was full, since the start, all sinks together. */
    public long dropped() { return outlets.stream().mapToLong(o -> o.dropped.get()).sum(); }

    /** Queues the record for every sink; never waits. */
    public void record(AuditRecord r) {
        for (Outlet o : outlets) o.offer(r);
    }

    /** Writes what is queued (waiting up to 10 s for a stalled sink), then closes the sinks. */
    @Override
    public void close() {
        for (Outlet o : outlets) o.stop();
        for (Outlet o : outlets) o.close();
    }

    /** One sink, its queue and the thread that writes it. */
    private static final class Outlet {
        final String name;
        final AuditSink sink;
        final BlockingQueue<AuditRecord> queue;
        final Thread writer;
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong droppedSinceWritten = new AtomicLong();
        volatile long lastWarning = System.nanoTime() - TimeUnit.MINUTES.toNanos(2);

        Outlet(String name, AuditSink sink, int capacity) {
            if (capacity < 1) throw new IllegalArgumentException("the audit queue must hold at least 1 record, not " + capacity);
            this.name = name;
            this.sink = sink;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.writer = Thread.ofPlatform().daemon().name("audit-" + name).start(this::drain);
        }

        void offer(AuditRecord r) {
            if (queue.offer(r)) return;
            dropped.incrementAndGet();
            droppedSinceWritten.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastWarning > TimeUnit.MINUTES.toNanos(1)) {
                lastWarning = now;
                log.warn("audit queue of {} full ({} records): records are being dropped ({} so far); is it stalled?", name, queue.size(), dropped.get());
            }
        }

        private void drain() {
            List<AuditRecord> batch = new ArrayList<>();
            try {
                while (true) {
                    batch.add(queue.take());
                    queue.drainTo(batch);
                    for (AuditRecord r : batch) {
                        if (r == STOP) {
                            sink.flush();
                            return;
                        }
                        sink.write(r, json(r, droppedSinceWritten.getAndSet(0)));
                    }
                    sink.flush(); // a batch at a time: one write for many records when busy, nothing held back when idle
                    batch.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                log.error("the audit trail cannot be written to {} any more: {}; its further records are dropped", name, e.toString());
                queue.clear();
            }
        }

        /** Queues the stop mark behind what is queued; on a full queue of a stalled sink, makes room rather than wait. */
        void stop() {
            try {
                while (!queue.offer(STOP, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    if (queue.poll() != null) dropped.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            try {
                writer.join(CLOSE_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (writer.isAlive()) {
                log.warn("the audit trail at {} did not take its last {} records within {} s", name, queue.size(), CLOSE_WAIT.toSeconds());
                writer.interrupt();
                return;
            }
            try {
                sink.close();
            } catch (Exception e) {
                log.warn("closing the audit trail at {}: {}", name, e.toString());
            }
        }
    }

    private static byte[] json(AuditRecord r, long dropped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            r.write(g, dropped);
        }
        return out.toByteArray();
    }

    /** JSON lines on a stream. */
    private record LineSink(OutputStream out) implements AuditSink {
        @Override
        public void write(AuditRecord record, byte[] json) throws IOException {
            out.write(json);
            out.write('\n');
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}

package dev.stratus.archive.metadata;

import dev.stratus.archive.BlobKeys;
import dev.stratus.index.Index;
import dev.stratus.index.IndexTime;
import dev.stratus.index.RetryPolicy;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.pipeline.ArchiveEvent;
import dev.stratus.pipeline.EventBus;
import dev.stratus.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Builds series metadata documents in the background: claims series that changed and have been quiet
 * for a while (a lease, so two workers never build one series at once), writes the document atomically,
 * and records the series version it was built from. Failures are retried with exponential backoff, then
 * marked FAILED with the reason.
 */
public final class MetadataWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetadataWorker.class);
    private static final int BATCH = 16;

    /**
     * {@code busyQuietPeriod}: how long a series must be unchanged while this node is taking in objects (any
     * arrived in the last {@link #BUSY_WINDOW}); longer than {@code quietPeriod}, so that building documents
     * does not slow the stores a modality or a STOW client is waiting for. Series metadata is answered live
     * (and complete) until its document is built. {@code retries}: how often a series' build is tried before it
     * is marked FAILED, and the pause after each failure (the index schedules the next try).
     */
    public record Settings(Duration quietPeriod, Duration busyQuietPeriod, Duration pollInterval, RetryPolicy retries,
                           Duration lease) {}

    public static final Duration BUSY_WINDOW = Duration.ofSeconds(1);

    private final Index index;
    private final BlobStore store;
    private final SeriesDocumentBuilder builder;
    private final Settings settings;
    private final BooleanSupplier ingestBusy;
    private final String workerId = "worker-" + UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean running;
    private volatile EventBus events;
    private Thread thread;

    public MetadataWorker(Index index, BlobStore store, SeriesDocumentBuilder builder, Settings settings) {
        this(index, store, builder, settings, () -> false);
    }

    /** {@code ingestBusy}: whether objects are arriving now (e.g. IngestActivity.busyWithin). */
    public MetadataWorker(Index index, BlobStore store, SeriesDocumentBuilder builder, Settings settings, BooleanSupplier ingestBusy) {
        this.index = index;
        this.store = store;
        this.builder = builder;
        this.ingestBusy = ingestBusy;
        this.settings = settings;
    }

    /** Publishes a SeriesMetadataBuilt event on {@code events} after each document built. */
    public MetadataWorker announcingTo(EventBus events) {
        this.events = events;
        return this;
    }

    public synchronized void start() {
        if (running) return;
        running = true;
        thread = Thread.ofVirtual().name("metadata-worker").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                int built = runOnce();
                if (built == 0) TimeUnit.MILLISECONDS.sleep(settings.pollInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("metadata worker pass failed, retrying after {}: {}", settings.pollInterval(), e.toString());
                try {
                    TimeUnit.MILLISECONDS.sleep(settings.pollInterval().toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** One pass: claims and builds what is due. Returns the number of series handled. */
    public int runOnce() {
        Duration quiet = ingestBusy.getAsBoolean() ? settings.busyQuietPeriod() : settings.quietPeriod();
        long quietSince = IndexTime.nowMicros() - IndexTime.micros(quiet);
        List<SeriesState> due = index.claimPendingSeries(quietSince, BATCH, workerId, settings.lease());
        for (SeriesState s : due) build(s);
        return due.size();
    }

    private void build(SeriesState s) {
        SeriesRef ref = s.series();
        try {
            String key = BlobKeys.seriesMetadata(ref.tenant(), ref.studyUid(), ref.seriesUid(), s.updatedTime());
            putDocument(key, ref);
            index.metadataBuilt(ref, workerId, s.updatedTime(), key);
            EventBus bus = events;
            if (bus != null) bus.publish(new ArchiveEvent.SeriesMetadataBuilt(ref.tenant(), ref.studyUid(), ref.seriesUid(), s.updatedTime()));
            if (s.metadataDocumentKey() != null && !s.metadataDocumentKey().equals(key)) {
                store.delete(s.metadataDocumentKey());
            }
        } catch (IOException | RuntimeException e) {
            int tries = s.metadataRetries() + 1;
            log.warn("building metadata of series {} failed (attempt {}): {}", ref.seriesUid(), tries, e.toString());
            long retryAt = IndexTime.nowMicros() + IndexTime.micros(settings.retries().pauseAfter(tries));
            index.metadataFailed(ref, workerId, String.valueOf(e.getMessage()), retryAt, settings.retries().attempts());
        }
    }

    /**
     * Streams the series' document into the store while it is written (on a thread of its own, through a pipe), so
     * that no document is ever held whole in memory: one of a series with a few large text values or thousands of
     * instances is hundreds of MB, and building it in memory ran the worker out of heap (the fuzzer's server died
     * of it, and would again at every restart). A document whose writing fails is not stored: the store's read
     * of it fails instead of ending early, and the writer's failure is what this throws.
     */
    private void putDocument(String key, SeriesRef ref) throws IOException {
        PipedInputStream pipe = new PipedInputStream(PIPE_BYTES);
        PipedOutputStream sink = new PipedOutputStream(pipe);
        AtomicReference<Throwable> writing = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().name("metadata-document").start(() -> {
            try {
                builder.write(ref, sink);
            } catch (Throwable e) {
                writing.set(e); // before the close below, so that the reader sees it at the end of the pipe
            } finally {
                try {
                    sink.close();
                } catch (IOException readerGone) {
                    // the store stopped reading: its own failure is reported
                }
            }
        });
        try (InputStream document = new WholeOrFailing(pipe, writing)) {
            store.put(key, document);
        } catch (WriterFailed e) {
            switch (writing.get()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw e;
            }
        } finally {
            join(writer); // closing the pipe fails a writer still writing within a second
        }
    }

    private static final int PIPE_BYTES = 64 * 1024;

    /** The end of the document as the store reads it: a failure when its writer failed, so that nothing is stored. */
    private static final class WholeOrFailing extends FilterInputStream {
        private final AtomicReference<Throwable> writing;

        WholeOrFailing(InputStream in, AtomicReference<Throwable> writing) {
            super(in);
            this.writing = writing;
        }

        @Override
        public int read() throws IOException {
            return checked(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return checked(super.read(b, off, len));
        }

        private int checked(int n) throws WriterFailed {
            if (n < 0 && writing.get() != null) throw new WriterFailed(writing.get());
            return n;
        }
    }

    private static final class WriterFailed extends IOException {
        WriterFailed(Throwable cause) {
            super("writing the document failed: " + cause, cause);
        }
    }

    private static void join(Thread writer) {
        try {
            writer.join();
        } catch (InterruptedException e) {
            writer.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package dev.stratus.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * An object received into the {@link Spool}: its file, its size, its first bytes (kept in memory) and its last
 * writes, which may still be running behind the reader. Read it with {@link #open()}; then either move it into a
 * blob store ({@link #placeIn}) or {@link #delete()} it.
 */
public final class SpooledFile {
    private static final Logger log = LoggerFactory.getLogger(SpooledFile.class);
    private static final Future<?> DONE = CompletableFuture.completedFuture(null);

    private final Path file;
    private final long size;
    private final byte[] head;
    private final Future<?> writes;

    SpooledFile(Path file, long size, byte[] head, Future<?> writes) {
        this.file = file;
        this.size = size;
        this.head = head;
        this.writes = writes;
    }

    /** A file whose bytes are all written. */
    SpooledFile(Path file, long size, byte[] head) {
        this(file, size, head, DONE);
    }

    public Path file() { return file; }

    /** Bytes received, which the file holds once {@link #awaitWrites()} returns. */
    public long size() { return size; }

    /** The first bytes, as many as the spool keeps in memory. */
    byte[] head() { return head; }

    /** Returns once every byte is in the file (and it is closed); throws if a write failed. */
    public void awaitWrites() throws IOException {
        Futures.await(writes, "write " + file);
    }

    /** The file's bytes, the head served from memory (see {@link HeadFirstInputStream}). */
    public InputStream open() {
        return new HeadFirstInputStream(file, size, head, this::awaitWrites);
    }

    /**
     * Moves the file into {@code store} under {@code key} (see {@link BlobStore#place}) once its last writes are over:
     * at once if they are, else on a virtual thread, so that the caller can receive the next object meanwhile.
     */
    public BlobStore.Placement placeIn(BlobStore store, String key) throws IOException {
        BlobStore.StagedFile staged = new BlobStore.StagedFile(key, file);
        if (writes.isDone()) {
            awaitWrites(); // throws if one failed
            return store.place(staged);
        }
        FutureTask<Void> placed = new FutureTask<>(() -> {
            awaitWrites();
            store.place(staged).await();
            return null;
        });
        Thread.ofVirtual().start(placed);
        return () -> Futures.await(placed, "store " + key);
    }

    /** Deletes the file (if it was not placed); a failure is logged, as the next start deletes spool leftovers. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete spool file {}: {}", file, e.toString());
        }
    }
}

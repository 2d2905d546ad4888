package dev.stratus.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where object bytes live: local disk ({@link LocalBlobStore}) or S3-compatible object storage (stratus-storage-s3),
 * chosen by a storage URL ({@link BlobStoreFactory}). Keys are relative paths of segments of [A-Za-z0-9._-]
 * ({@link BlobKey}); a blob becomes visible under its key only once it is complete and durable, so a reader never
 * sees half an object. What every store must do is written down once, in the test-jar's BlobStoreContractTest.
 * A store that cannot be reached throws {@link StorageUnavailableException}.
 */
public interface BlobStore extends AutoCloseable {
    /** Writes the stream to {@code key} atomically and durably; replaces an existing blob. Returns the size. */
    long put(String key, InputStream data) throws IOException;

    /**
     * Stores a local file under {@code key} atomically and durably; the file is consumed (moved when the
     * store can, so ingest does not copy the bytes twice). Returns the size.
     */
    default long putFile(String key, java.nio.file.Path file) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return put(key, in);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /**
     * Hints that {@code key} will be read soon, so that a store that can starts fetching it now (a local file into the
     * page cache); returns at once, and does nothing where there is nothing to gain.
     */
    default void prefetch(String key) {}

    /** Whether {@link #prefetch} does anything here (worth finding the keys for). */
    default boolean prefetches() { return false; }

    /**
     * True when {@link #place} moves local files into place rather than reading them: then nothing reads
     * a spool file after it is written, and it need not pass through the page cache.
     */
    default boolean adoptsLocalFiles() { return false; }

    /** A local file to be stored under {@code key} by {@link #place}. */
    record StagedFile(String key, java.nio.file.Path file) {}

    /**
     * Starts storing a local file as {@link #putFile} does, under a key that nothing refers to yet: the blob may
     * be readable before {@link Placement#await()} returns, and is durable once it has. Lets a caller overlap
     * one file's flush with its next work. On failure the caller deletes the key.
     */
    default Placement place(StagedFile file) throws IOException {
        putFile(file.key(), file.file());
        return Placement.DONE;
    }

    /** A blob being made durable by {@link #place}. */
    interface Placement {
        Placement DONE = () -> {};

        /** Returns once the blob is durable; throws if it could not be made so. */
        void await() throws IOException;

        /** Awaits every placement, also after a failure, then throws the first failure. */
        static void awaitAll(List<Placement> placements) throws IOException {
            IOException first = null;
            for (Placement p : placements) {
                try {
                    p.await();
                } catch (IOException e) {
                    if (first == null) first = e;
                }
            }
            if (first != null) throw first;
        }
    }

    /** The whole blob. Throws {@link BlobNotFoundException} if absent. */
    InputStream open(String key) throws IOException;

    /** {@code length} bytes from {@code offset} (fewer at the end of the blob). */
    InputStream openRange(String key, long offset, long length) throws IOException;

    /**
     * Reads the blob from {@code offset} into {@code dst} until it is full or the blob ends; returns the bytes read.
     * A direct {@code dst} lets a local store read without a copy through the heap (frames are served from it).
     */
    default int read(String key, long offset, java.nio.ByteBuffer dst) throws IOException {
        int start = dst.position();
        try (InputStream in = openRange(key, offset, dst.remaining())) {
            byte[] chunk = new byte[Math.min(dst.remaining(), 1 << 16)];
            for (int n; dst.hasRemaining() && (n = in.read(chunk, 0, Math.min(chunk.length, dst.remaining()))) >= 0; ) dst.put(chunk, 0, n);
        }
        return dst.position() - start;
    }

    /** Size in bytes, or -1 if absent. */
    long size(String key) throws IOException;

    /** Removes the blob; absent is not an error. */
    void delete(String key) throws IOException;

    /** Keys under a prefix ("" for all), a prefix being whole segments ("t/a" holds "t/a/x", not "t/ab"). */
    default List<String> list(String prefix) throws IOException {
        List<String> keys = new java.util.ArrayList<>();
        walk(prefix, blob -> keys.add(blob.key()));
        return keys;
    }

    /** A blob as a listing shows it: its key, size and when it was last written. */
    record Listed(String key, long size, java.time.Instant modified) {}

    /**
     * Visits every blob under a prefix (as {@link #list}), in no set order, without holding the listing in memory:
     * for maintenance over many blobs (the orphan sweep).
     */
    void walk(String prefix, java.util.function.Consumer<Listed> visitor) throws IOException;

    /** Throws with a reason when the store cannot be written. */
    void checkReady() throws IOException;

    @Override
    default void close() throws IOException {}
}

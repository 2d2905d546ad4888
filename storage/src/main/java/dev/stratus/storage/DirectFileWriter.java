package dev.stratus.storage;

import com.sun.nio.file.ExtendedOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes streams to new files in one directory with direct I/O (O_DIRECT) where the file system allows it:
 * the bytes go from a reused, aligned buffer to the device instead of being copied into page-cache pages
 * that nothing will read soon. Meant for files written once and then moved into a {@link LocalBlobStore}
 * (the {@link Spool}), as object stores such as MinIO write their objects. The caller still forces the file.
 * <p>
 * A direct write waits for the device, so chunks are written behind the reader on virtual threads, up to
 * {@link #IN_FLIGHT} per writer thread: the stream is read at its own pace, and a file's last writes may still
 * run when {@link #write} returns ({@link SpooledFile#awaitWrites()} waits for them).
 * <p>
 * Files of at most one {@link #CHUNK} are written through the page cache all the same (a cheap copy there).
 * The first bytes of each file are kept in memory ({@link SpooledFile#head()}), so that its header can be parsed
 * without reading the file back from the device. A file system that refuses direct I/O (tmpfs, some network
 * file systems) gets ordinary writes from then on.
 */
final class DirectFileWriter {
    private static final Logger log = LoggerFactory.getLogger(DirectFileWriter.class);
    /** Bytes read from the stream and written per call. */
    static final int CHUNK = 256 * 1024;
    /** Sets of buffers kept for reuse by default; the ingest service keeps one per store it admits at once. */
    private static final int POOLED_BUFFERS = 16;
    /** Chunks one writer thread may have on their way to the device. */
    static final int IN_FLIGHT = 4;

    private final Path dir;
    private final int alignment;
    private volatile boolean direct;
    private final Queue<Buffers> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();
    private volatile int poolLimit = POOLED_BUFFERS;
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param direct false to write through the page cache (when the file will be read back soon, e.g. to be
     *               uploaded to object storage)
     */
    DirectFileWriter(Path dir, boolean direct) throws IOException {
        // the alignment that direct I/O needs, as ExtendedOpenOption.DIRECT documents it
        this(Files.createDirectories(dir), direct, Files.getFileStore(dir).getBlockSize());
    }

    DirectFileWriter(Path dir, boolean direct, long block) throws IOException {
        this.dir = Files.createDirectories(dir);
        boolean usable = block > 0 && block <= CHUNK && Long.bitCount(block) == 1;
        this.alignment = usable ? (int) block : 1;
        this.direct = direct && usable;
    }

    /** Deletes the files of the directory whose names match {@code glob}; returns how many there were. */
    int deleteLeftovers(String glob) throws IOException {
        int n = 0;
        try (var files = Files.newDirectoryStream(dir, glob)) {
            for (Path p : files) {
                if (Files.isRegularFile(p) && Files.deleteIfExists(p)) n++;
            }
        }
        return n;
    }

    /** Whether files are (still) written with direct I/O. */
    boolean direct() { return direct; }

    /**
     * Keeps up to {@code sets} sets of buffers given back for reuse (beyond, they are dropped): as many as there are
     * writers at once, so that their direct memory is allocated once, never again per request (direct memory is
     * freed only when the collector finds the buffer, which kept RSS above the heap under load).
     */
    void poolAtMost(int sets) {
        if (sets < 0) throw new IllegalArgumentException("sets must not be negative");
        poolLimit = sets;
    }

    /** The buffers one writer thread uses, from the pool: direct memory is costly to allocate each time. */
    Buffers buffers() {
        Buffers b = pool.poll();
        if (b == null) return new Buffers();
        pooled.decrementAndGet();
        return b;
    }

    /**
     * A heap chunk for reading the stream and {@link #IN_FLIGHT} aligned direct buffers for writing it; give back
     * with close. A buffer returns to its set only when its write is over, so a set given back while writes
     * still run is safe to hand out again: its next user waits for them.
     */
    final class Buffers implements AutoCloseable {
        private final byte[] chunk = new byte[CHUNK];
        private final BlockingQueue<ByteBuffer> aligned = new ArrayBlockingQueue<>(IN_FLIGHT);

        /** Aligned buffers allocated so far: only direct writes need them, so a set used for plain writes has none. */
        private int allocated;

        private Buffers() {}

        private ByteBuffer take() throws IOException {
            ByteBuffer free = aligned.poll();
            if (free != null) return free;
            if (allocated < IN_FLIGHT) {
                allocated++;
                return ByteBuffer.allocateDirect(CHUNK + alignment).alignedSlice(alignment);
            }
            try {
                return aligned.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for a write buffer");
            }
        }

        @Override
        public void close() {
            if (pooled.incrementAndGet() <= poolLimit) pool.offer(this);
            else pooled.decrementAndGet();
        }
    }

    /**
     * Writes all of {@code in} to {@code name} in the directory (which must not exist) and returns it with its
     * size and its first {@code headBytes} bytes. On failure the file is deleted.
     */
    SpooledFile write(InputStream in, String name, Buffers buffers, int headBytes) throws IOException {
        Path file = dir.resolve(name);
        if (!file.getParent().equals(dir)) throw new IllegalArgumentException("not a file name: " + name);
        byte[] chunk = buffers.chunk;
        int n = in.readNBytes(chunk, 0, CHUNK);
        byte[] head = Arrays.copyOf(chunk, Math.min(n, headBytes));
        // A file that fits in one chunk goes through the page cache: there a small write is a cheap copy, flushed
        // with the others later, where a direct one would wait for the device on its own.
        FileChannel out = direct && n == CHUNK ? openDirect(file) : null;
        if (out != null) return writeBehind(in, file, out, n, head, buffers);
        try (FileChannel plain = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = 0;
            for (; n > 0; size += n, n = in.readNBytes(chunk, 0, CHUNK)) writeFully(plain, ByteBuffer.wrap(chunk, 0, n), size);
            return new SpooledFile(file, size, head);
        } catch (Throwable e) { // any failure, an Error too: a file left here would stay forever
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Reads the rest of the stream, each chunk written with direct I/O on a virtual thread. */
    private SpooledFile writeBehind(InputStream in, Path file, FileChannel out, int first, byte[] head, Buffers buffers) throws IOException {
        List<Future<?>> chunks = new ArrayList<>();
        long size = 0;
        boolean padded = false;
        try {
            for (int n = first; n > 0; size += n, n = in.readNBytes(buffers.chunk, 0, CHUNK)) {
                ByteBuffer aligned = buffers.take();
                padded |= fill(aligned, buffers.chunk, n);
                long position = size;
                int length = n;
                chunks.add(writers.submit(() -> {
                    try {
                        writeChunk(out, file, aligned, length, position);
                    } finally {
                        buffers.aligned.add(aligned);
                    }
                    return null;
                }));
            }
        } catch (Throwable e) {
            awaitQuietly(chunks);
            try {
                out.close();
            } finally {
                Files.deleteIfExists(file);
            }
            throw e;
        }
        long written = size;
        boolean truncate = padded;
        Future<?> writes = writers.submit(() -> {
            try (out) {
                for (Future<?> chunk : chunks) Futures.await(chunk, "write " + file);
                if (truncate) out.truncate(written);
            }
            return null;
        });
        return new SpooledFile(file, size, head, writes);
    }

    /** Writes a filled buffer at {@code position}; a file system that refuses the direct write gets an ordinary one. */
    private void writeChunk(FileChannel out, Path file, ByteBuffer aligned, int length, long position) throws IOException {
        try {
            writeFully(out, aligned, position);
        } catch (IOException e) {
            // If the ordinary write fails too, the problem was not direct I/O.
            aligned.clear().limit(length);
            try (FileChannel plain = FileChannel.open(file, StandardOpenOption.WRITE)) {
                writeFully(plain, aligned, position);
            }
            disable(e);
        }
    }

    private static void awaitQuietly(List<Future<?>> writes) {
        for (Future<?> w : writes) {
            try {
                w.get();
            } catch (ExecutionException e) {
                // the file is deleted anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The new file opened for direct I/O, or null if the file system refuses it. */
    private FileChannel openDirect(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            Files.deleteIfExists(file); // Linux may create the file before it refuses O_DIRECT; the name was free
            disable(e);
            return null;
        }
    }

    /** Puts n bytes into the buffer, padded to whole blocks; true if it padded. */
    private boolean fill(ByteBuffer aligned, byte[] chunk, int n) {
        int length = (n + alignment - 1) / alignment * alignment;
        aligned.clear();
        aligned.put(chunk, 0, n);
        while (aligned.position() < length) aligned.put((byte) 0); // fewer than one block of padding, cut off later
        aligned.flip();
        return length != n;
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) position += out.write(buffer, position);
    }

    private void disable(Exception e) {
        if (direct) {
            direct = false;
            log.info("the file system of {} refuses direct I/O ({}): spool files are written through the page cache", dir, e.toString());
        }
    }
}

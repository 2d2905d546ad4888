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
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes streams to new files in one directory with direct I/O (O_DIRECT) where the file system allows it:
 * the bytes go from a reused, aligned buffer to the device instead of being copied into page-cache pages
 * that nothing will read soon. Meant for files written once and then moved into a {@link LocalBlobStore}
 * (the ingest spool), as object stores such as MinIO write their objects. The caller still forces the file.
 * <p>
 * Files of at most one {@link #CHUNK} are written through the page cache all the same (a cheap copy there).
 * The first bytes of each file are kept in memory ({@link Written#head()}), so that its header can be parsed
 * without reading the file back from the device. A file system that refuses direct I/O (tmpfs, some network
 * file systems) gets ordinary writes from then on.
 */
public final class DirectFileWriter {
    private static final Logger log = LoggerFactory.getLogger(DirectFileWriter.class);
    /** Bytes read from the stream and written per call. */
    public static final int CHUNK = 256 * 1024;
    private static final int POOLED_BUFFERS = 16;

    private final Path dir;
    private final int alignment;
    private volatile boolean direct;
    private final BlockingQueue<Buffers> pool = new ArrayBlockingQueue<>(POOLED_BUFFERS);

    /** A file written: its path, size and first bytes (up to the number asked for). */
    public record Written(Path file, long size, byte[] head) {
        /** The file's bytes, the head served from memory (see {@link HeadFirstInputStream}). */
        public InputStream open() {
            return new HeadFirstInputStream(file, size, head);
        }
    }

    /**
     * @param direct false to write through the page cache (when the file will be read back soon, e.g. to be
     *               uploaded to object storage)
     */
    public DirectFileWriter(Path dir, boolean direct) throws IOException {
        // the alignment that direct I/O needs, as ExtendedOpenOption.DIRECT documents it
        this(Files.createDirectories(dir), direct, Files.getFileStore(dir).getBlockSize());
    }

    DirectFileWriter(Path dir, boolean direct, long block) throws IOException {
        this.dir = Files.createDirectories(dir);
        boolean usable = block > 0 && block <= CHUNK && Long.bitCount(block) == 1;
        this.alignment = usable ? (int) block : 1;
        this.direct = direct && usable;
    }

    /** Whether files are (still) written with direct I/O. */
    public boolean direct() { return direct; }

    /** The buffers one writer thread uses, from a small pool: direct memory is costly to allocate each time. */
    public Buffers buffers() {
        Buffers b = pool.poll();
        return b != null ? b : new Buffers();
    }

    /** A heap chunk for reading the stream and an aligned direct buffer for writing it; give back with close. */
    public final class Buffers implements AutoCloseable {
        private final byte[] chunk = new byte[CHUNK];
        private final ByteBuffer aligned = ByteBuffer.allocateDirect(CHUNK + alignment).alignedSlice(alignment);

        @Override
        public void close() {
            pool.offer(this);
        }
    }

    /**
     * Writes all of {@code in} to {@code name} in the directory (which must not exist) and returns it with its
     * size and its first {@code headBytes} bytes. On failure the file is deleted.
     */
    public Written write(InputStream in, String name, Buffers buffers, int headBytes) throws IOException {
        Path file = dir.resolve(name);
        if (!file.getParent().equals(dir)) throw new IllegalArgumentException("not a file name: " + name);
        byte[] chunk = buffers.chunk;
        int n = in.readNBytes(chunk, 0, CHUNK);
        byte[] head = Arrays.copyOf(chunk, Math.min(n, headBytes));
        // A file that fits in one chunk goes through the page cache: there a small write is a cheap copy, flushed
        // with the others later, where a direct one would wait for the device on its own.
        FileChannel out = direct && n == CHUNK ? openDirect(file) : null;
        boolean directFile = out != null;
        if (out == null) out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            long size = 0;
            boolean padded = false;
            IOException refused = null;
            for (; n > 0; size += n, n = in.readNBytes(chunk, 0, CHUNK)) {
                if (directFile) {
                    try {
                        padded |= writeAligned(out, chunk, n, size, buffers.aligned);
                        continue;
                    } catch (IOException e) {
                        // Go on without direct I/O in this file; if the ordinary write fails too, the problem was not direct I/O.
                        out.close();
                        out = FileChannel.open(file, StandardOpenOption.WRITE);
                        directFile = false;
                        refused = e;
                    }
                }
                writeFully(out, ByteBuffer.wrap(chunk, 0, n), size);
                if (refused != null) disable(refused);
                refused = null;
            }
            if (padded) out.truncate(size);
            out.close();
            return new Written(file, size, head);
        } catch (IOException | RuntimeException e) {
            out.close();
            Files.deleteIfExists(file);
            throw e;
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

    /** Writes n bytes at {@code position} (aligned: a whole number of chunks precede it); true if it padded the end. */
    private boolean writeAligned(FileChannel out, byte[] chunk, int n, long position, ByteBuffer aligned) throws IOException {
        int length = (n + alignment - 1) / alignment * alignment;
        aligned.clear();
        aligned.put(chunk, 0, n);
        while (aligned.position() < length) aligned.put((byte) 0); // fewer than one block of padding, cut off later
        aligned.flip();
        writeFully(out, aligned, position);
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

package dev.stratus.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The directory where objects being received are written before they go into a {@link BlobStore}: each is streamed
 * into a new file ({@link DirectFileWriter}: with direct I/O where the store moves the file into place, as nothing
 * reads it back then), its first bytes kept in memory for the parse of its header. A file is never acknowledged
 * while it is here, so what a stopped process left is deleted at the next start.
 */
public final class Spool {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final String PREFIX = "ingest-";

    private final DirectFileWriter writer;
    private final int headBytes;

    /**
     * @param direct    whether large files may bypass the page cache
     * @param headBytes how many first bytes of each file to keep in memory
     */
    public Spool(Path dir, boolean direct, int headBytes) throws IOException {
        this.writer = new DirectFileWriter(dir, direct);
        this.headBytes = headBytes;
    }

    /**
     * Deletes the files a previous process left (never acknowledged, and also the temporary files made beside them);
     * run before the first receipt. Returns how many there were.
     */
    public int deleteLeftovers() throws IOException {
        int n = writer.deleteLeftovers(PREFIX + "*");
        if (n > 0) log.info("deleted {} spool files left by an earlier process (never acknowledged)", n);
        return n;
    }

    /** Keeps the buffers of up to {@code receivers} receivers for reuse: as many as receive at once. */
    public void keepBuffersFor(int receivers) {
        writer.poolAtMost(receivers);
    }

    /** Receives objects one after the other, with one set of buffers (from a pool) that close gives back. */
    public Receiver receiver() {
        return new Receiver(writer.buffers());
    }

    /** A file already written elsewhere in the same file system (a C-STORE data set), taken over as it is. */
    public SpooledFile adopt(Path file) throws IOException {
        return adopt(file, new byte[0]);
    }

    /** As {@link #adopt(Path)}, with the file's first bytes, which its writer kept in memory: the parse reads them from there. */
    public SpooledFile adopt(Path file, byte[] head) throws IOException {
        long size = Files.size(file);
        if (head.length > size) throw new IllegalArgumentException("a head of " + head.length + " bytes for a file of " + size);
        return new SpooledFile(file, size, head);
    }

    /** One request's receipts: a set of buffers, reused for each of its objects. */
    public final class Receiver implements AutoCloseable {
        private final DirectFileWriter.Buffers buffers;

        private Receiver(DirectFileWriter.Buffers buffers) {
            this.buffers = buffers;
        }

        /** Writes all of {@code in} to a new spool file; on failure the file is deleted. */
        public SpooledFile receive(InputStream in) throws IOException {
            return writer.write(in, PREFIX + UUID.randomUUID() + ".dcm", buffers, headBytes);
        }

        @Override
        public void close() {
            buffers.close();
        }
    }
}

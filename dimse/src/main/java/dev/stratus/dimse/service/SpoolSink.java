package dev.stratus.dimse.service;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams a C-STORE data set into a temporary Part 10 file: preamble and File Meta Information first
 * (built from the command and the presentation context), then the data set bytes exactly as received.
 * The first {@link #HEAD_BYTES} stay in memory, the header is parsed from there; an object no longer than that is
 * written to its file in one write when it is complete, a longer one streams on to the file from there. The file is
 * deleted on close, stored or not.
 */
final class SpoolSink implements DataSetSink {
    /** First bytes kept in memory as they are written, so that the parse of the header reads no file (as a STOW part's). */
    static final int HEAD_BYTES = 64 * 1024;
    /** Owner-only, as Files.createTempFile made them (the blob store adopts the file as it is). */
    private static final FileAttribute<?>[] OWNER_ONLY = {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    /** Spool names of this process: unique without a secure random draw per C-STORE (CREATE_NEW still checks). */
    private static final String PROCESS = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    private static final AtomicLong NEXT = new AtomicLong();
    private static final Set<StandardOpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private final Path dir;
    private Path file;
    private byte[] head = new byte[16 * 1024]; // grown up to HEAD_BYTES: most objects stored over DIMSE are small
    private int headLength;
    private FileChannel out; // opened once the object outgrows the head
    private IOException failure;
    private long size;

    private SpoolSink(Path dir, byte[] meta) {
        this.dir = dir;
        keep(meta, 0, meta.length);
    }

    static SpoolSink create(Path dir, DataSet fileMeta) throws IOException {
        ByteArrayOutputStream meta = new ByteArrayOutputStream(512);
        DicomWriter w = new DicomWriter(meta, null);
        w.writePreambleAndMeta(fileMeta);
        w.flush();
        return new SpoolSink(dir, meta.toByteArray());
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        if (failure != null) return;
        try {
            int kept = keep(buffer, offset, length);
            size += length;
            if (kept == length) return;
            if (out == null) open(); // the head is full: on to the file, head first
            writeFully(ByteBuffer.wrap(buffer, offset + kept, length - kept));
        } catch (IOException e) {
            failure = e;
            closeQuietly();
            deleteQuietly(); // free the space now: the rest of the data set is discarded
        }
    }

    /** Keeps what fits of {@code buffer} in the head; returns how much that was. */
    private int keep(byte[] buffer, int offset, int length) {
        int n = Math.min(length, HEAD_BYTES - headLength);
        if (n <= 0) return 0;
        if (headLength + n > head.length) head = Arrays.copyOf(head, Math.min(HEAD_BYTES, Math.max(2 * head.length, headLength + n)));
        System.arraycopy(buffer, offset, head, headLength, n);
        headLength += n;
        return n;
    }

    private void open() throws IOException {
        while (true) {
            Path candidate = dir.resolve("c-store-" + PROCESS + "-" + NEXT.incrementAndGet() + ".dcm");
            try {
                out = FileChannel.open(candidate, CREATE, attributes(dir));
                file = candidate;
                break;
            } catch (FileAlreadyExistsException e) {
                // another process's name: the next one
            }
        }
        writeFully(ByteBuffer.wrap(head, 0, headLength));
    }

    private static FileAttribute<?>[] attributes(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix") ? OWNER_ONLY : new FileAttribute<?>[0];
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) out.write(b);
    }

    /** The file's first bytes (up to {@link #HEAD_BYTES}), as written. */
    byte[] head() {
        return headLength == head.length ? head : Arrays.copyOf(head, headLength);
    }

    /** The write failure, if any (such as no space left on the device). */
    IOException failure() { return failure; }

    long dataSetLength() { return size; }

    /** Finishes the file and returns it, for the ingest path to take over (a file moved away is not deleted). */
    Path finish() throws IOException {
        if (failure != null) throw failure;
        try {
            if (out == null) open(); // the whole object was in the head: one write
            out.close();
        } catch (IOException e) {
            failure = e;
            closeQuietly();
            deleteQuietly();
            throw e;
        }
        out = null;
        return file;
    }

    @Override
    public void close() {
        closeQuietly();
        deleteQuietly();
    }

    private void closeQuietly() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            // the file is deleted next: nothing was acknowledged from it
        }
        out = null;
    }

    private void deleteQuietly() {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(SpoolSink.class).warn("could not delete spool file {}: {}", file, e.toString());
        }
    }
}

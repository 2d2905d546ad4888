package dev.stratus.dimse.service;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams a C-STORE data set into a temporary Part 10 file: preamble and File Meta Information first
 * (built from the command and the presentation context), then the data set bytes exactly as received.
 * The object is never held in memory; the file is deleted on close, stored or not.
 */
final class SpoolSink implements DataSetSink {
    /** First bytes kept in memory as they are written, so that the parse of the header reads no file (as a STOW part's). */
    static final int HEAD_BYTES = 64 * 1024;

    private final Path file;
    private byte[] head = new byte[16 * 1024]; // grown up to HEAD_BYTES: most objects stored over DIMSE are small
    private int headLength;
    private OutputStream out;
    private IOException failure;
    private long size;

    private SpoolSink(Path file, OutputStream out, byte[] meta) {
        this.file = file;
        this.out = out;
        keep(meta, 0, meta.length);
    }

    static SpoolSink create(Path dir, DataSet fileMeta) throws IOException {
        Path file = Files.createTempFile(dir, "c-store-", ".dcm");
        OutputStream out = null;
        try {
            out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            ByteArrayOutputStream meta = new ByteArrayOutputStream(512);
            DicomWriter w = new DicomWriter(meta, null);
            w.writePreambleAndMeta(fileMeta);
            w.flush();
            meta.writeTo(out);
            return new SpoolSink(file, out, meta.toByteArray());
        } catch (IOException | RuntimeException e) {
            if (out != null) out.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        if (failure != null) return;
        try {
            out.write(buffer, offset, length);
            keep(buffer, offset, length);
            size += length;
        } catch (IOException e) {
            failure = e;
            closeQuietly();
            deleteQuietly(); // free the space now: the rest of the data set is discarded
        }
    }

    private void keep(byte[] buffer, int offset, int length) {
        int n = Math.min(length, HEAD_BYTES - headLength);
        if (n <= 0) return;
        if (headLength + n > head.length) head = java.util.Arrays.copyOf(head, Math.min(HEAD_BYTES, Math.max(2 * head.length, headLength + n)));
        System.arraycopy(buffer, offset, head, headLength, n);
        headLength += n;
    }

    /** The file's first bytes (up to {@link #HEAD_BYTES}), as written. */
    byte[] head() {
        return headLength == head.length ? head : java.util.Arrays.copyOf(head, headLength);
    }

    /** The write failure, if any (such as no space left on the device). */
    IOException failure() { return failure; }

    long dataSetLength() { return size; }

    /** Finishes the file and returns it, for the ingest path to take over (a file moved away is not deleted). */
    Path finish() throws IOException {
        if (failure != null) throw failure;
        out.close();
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
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(SpoolSink.class).warn("could not delete spool file {}: {}", file, e.toString());
        }
    }
}

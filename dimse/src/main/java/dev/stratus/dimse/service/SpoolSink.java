package dev.stratus.dimse.service;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;

import java.io.BufferedOutputStream;
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
    private final Path file;
    private OutputStream out;
    private IOException failure;
    private long size;

    private SpoolSink(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    static SpoolSink create(Path dir, DataSet fileMeta) throws IOException {
        Path file = Files.createTempFile(dir, "c-store-", ".dcm");
        OutputStream out = null;
        try {
            out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            DicomWriter w = new DicomWriter(out, null);
            w.writePreambleAndMeta(fileMeta);
            w.flush();
            return new SpoolSink(file, out);
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
            size += length;
        } catch (IOException e) {
            failure = e;
            closeQuietly();
            deleteQuietly(); // free the space now: the rest of the data set is discarded
        }
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

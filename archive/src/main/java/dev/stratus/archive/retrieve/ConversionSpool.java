package dev.stratus.archive.retrieve;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A conversion's whole output, written before any of it is sent (so that a frame that fails to decode fails the
 * conversion, not a message half-way): in memory up to a limit, past it in a file of {@code dir} that is gone once
 * read (deleted on close, at once where the system allows it).
 */
final class ConversionSpool extends OutputStream {
    private static final int BUFFER = 1 << 16;

    private final Path dir;
    private final int inMemory;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private FileChannel file;
    private OutputStream fileOut;

    ConversionSpool(Path dir, int inMemory) {
        this.dir = dir;
        this.inMemory = inMemory;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (file == null && memory.size() + (long) len > inMemory) spill();
        if (file == null) memory.write(b, off, len);
        else fileOut.write(b, off, len);
    }

    private void spill() throws IOException {
        Files.createDirectories(dir);
        Path p = Files.createTempFile(dir, "retrieve-", ".dcm");
        try {
            file = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(p);
            throw e;
        }
        fileOut = new BufferedOutputStream(Channels.newOutputStream(file), BUFFER);
        memory.writeTo(fileOut);
        memory = null;
    }

    /** What was written, to be read once; closing it releases the spool. */
    InputStream read() throws IOException {
        if (file == null) return new ByteArrayInputStream(memory.toByteArray());
        fileOut.flush();
        file.position(0);
        FileChannel f = file;
        file = null; // the stream owns it now
        return new BufferedInputStream(Channels.newInputStream(f), BUFFER);
    }

    /** Releases the spool when its content is not read. */
    @Override
    public void close() throws IOException {
        if (file != null) file.close();
        memory = null;
    }
}

package dev.stratus.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file's bytes, of which the first ones are already in memory: those are served from memory, the file is
 * opened only when a read goes past them, and skips only move the position. A header parse that skips the
 * pixel data to the end of a freshly written file so never reads the file.
 */
final class HeadFirstInputStream extends InputStream {
    private final Path file;
    private final long size;
    private final byte[] head;
    private final WrittenCheck written;
    private long position;
    private FileChannel channel;

    /** Waits until the file holds all its bytes. */
    interface WrittenCheck {
        void await() throws IOException;
    }

    HeadFirstInputStream(Path file, long size, byte[] head, WrittenCheck written) {
        this.file = file;
        this.size = size;
        this.head = head;
        this.written = written;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (position >= size) return -1;
        int n;
        if (position < head.length) {
            n = (int) Math.min(len, head.length - position);
            System.arraycopy(head, (int) position, b, off, n);
        } else {
            if (channel == null) {
                written.await();
                channel = FileChannel.open(file, StandardOpenOption.READ);
            }
            n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, size - position)), position);
            if (n < 0) return -1; // the file is shorter than it was written: let the reader report the end
        }
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, size - position));
        position += k;
        return k;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, Math.min(size, head.length) - position));
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
    }
}

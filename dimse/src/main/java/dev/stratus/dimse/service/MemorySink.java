package dev.stratus.dimse.service;

import java.io.ByteArrayOutputStream;

/** Keeps a small data set (a C-FIND identifier) in memory, up to a limit past which it only records the overflow. */
final class MemorySink implements DataSetSink {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int limit;
    private boolean overflow;

    MemorySink(int limit) {
        this.limit = limit;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        if (overflow || bytes.size() + (long) length > limit) {
            overflow = true;
            return;
        }
        bytes.write(buffer, offset, length);
    }

    boolean overflow() { return overflow; }

    byte[] bytes() { return bytes.toByteArray(); }

    @Override
    public void close() {}
}

package dev.stratus.codec;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A positioned, buffered reader of DICOM bytes. Over a byte array it reads in place; over a stream it
 * buffers and never allocates more for a value than the bytes that actually arrive, so a hostile
 * length fails at end of data instead of exhausting memory.
 */
final class DicomInput {
    private static final int BUFFER = 64 * 1024;
    private static final int CHUNK = 1 << 20;

    private InputStream in;
    private byte[] buf;
    private int pos;
    private int limit;
    private long base; // stream offset of buf[0]
    private long knownLength; // -1 when the stream length is not known

    DicomInput(byte[] data, int offset, int length) {
        this.buf = data;
        this.pos = offset;
        this.limit = offset + length;
        this.base = -offset;
        this.knownLength = length;
    }

    DicomInput(InputStream in, long knownLength) {
        this.in = in;
        // a small object gets a buffer of its size: reading thousands of headers for series metadata allocated and
        // cleared 64 KiB for each 13 KB instance
        this.buf = new byte[knownLength > 0 && knownLength < BUFFER ? (int) Math.max(knownLength, 256) : BUFFER];
        this.knownLength = knownLength;
    }

    long position() { return base + pos; }

    /** Bytes left before the end of input, or -1 if unknown. */
    long remaining() { return knownLength < 0 ? -1 : knownLength - position(); }

    /** The unread rest of the input, buffered bytes first: to be wrapped in a filter for {@link #switchTo}. */
    InputStream rest() {
        return new java.io.SequenceInputStream(
                new java.io.ByteArrayInputStream(buf, pos, limit - pos),
                in == null ? InputStream.nullInputStream() : in);
    }

    /** Reads from {@code filtered} (the {@link #rest()} through a filter, e.g. an inflater) from here on. */
    void switchTo(InputStream filtered) {
        in = filtered;
        base = position(); // offsets past here count inflated bytes and cannot be used to seek
        knownLength = -1;
        buf = new byte[BUFFER];
        pos = limit = 0;
    }

    /** Ensures n bytes are buffered; returns false at end of data. */
    private boolean fill(int n) throws IOException {
        if (limit - pos >= n) return true;
        if (in == null) return false;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            base += pos;
            limit -= pos;
            pos = 0;
        }
        if (buf.length < n) buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
        while (limit < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) return false;
            limit += r;
        }
        return true;
    }

    boolean atEnd() throws IOException {
        return !fill(1);
    }

    /** Peeks up to n bytes without consuming them. */
    byte[] peek(int n) throws IOException {
        fill(n);
        return Arrays.copyOfRange(buf, pos, pos + Math.min(n, limit - pos));
    }

    private void need(int n) throws IOException {
        if (!fill(n)) throw new EOFException("unexpected end of data");
    }

    int readU16(boolean bigEndian) throws IOException {
        need(2);
        int b0 = buf[pos] & 0xFF, b1 = buf[pos + 1] & 0xFF;
        pos += 2;
        return bigEndian ? (b0 << 8) | b1 : (b1 << 8) | b0;
    }

    int readI32(boolean bigEndian) throws IOException {
        need(4);
        int b0 = buf[pos] & 0xFF, b1 = buf[pos + 1] & 0xFF, b2 = buf[pos + 2] & 0xFF, b3 = buf[pos + 3] & 0xFF;
        pos += 4;
        return bigEndian ? (b0 << 24) | (b1 << 16) | (b2 << 8) | b3 : (b3 << 24) | (b2 << 16) | (b1 << 8) | b0;
    }

    /** Tag as group then element, each 16-bit in the given byte order. */
    int readTag(boolean bigEndian) throws IOException {
        need(4);
        int g = readU16(bigEndian);
        int e = readU16(bigEndian);
        return (g << 16) | e;
    }

    /** Two VR characters as a big-endian 16-bit code. */
    int readVRCode() throws IOException {
        return readU16(true);
    }

    byte[] readBytes(long length) throws IOException {
        if (length > Integer.MAX_VALUE - 16) throw new EOFException("value of " + length + " bytes is too large to hold in memory");
        int n = (int) length;
        long rem = remaining();
        if (rem >= 0 && n > rem) throw new EOFException("value of " + n + " bytes but only " + rem + " left");
        if (n <= limit - pos) {
            byte[] r = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return r;
        }
        // Grow as bytes arrive rather than trusting the declared length.
        byte[] out = new byte[Math.min(n, CHUNK)];
        int got = 0;
        while (got < n) {
            if (!fill(1)) throw new EOFException("value of " + n + " bytes but only " + got + " left");
            int take = Math.min(n - got, limit - pos);
            if (got + take > out.length) out = Arrays.copyOf(out, (int) Math.min(n, Math.max((long) out.length * 2, got + take)));
            System.arraycopy(buf, pos, out, got, take);
            pos += take;
            got += take;
        }
        return out;
    }

    void skip(long n) throws IOException {
        long rem = remaining();
        if (rem >= 0 && n > rem) throw new EOFException("value of " + n + " bytes but only " + rem + " left");
        long buffered = limit - pos;
        if (n <= buffered) {
            pos += (int) n;
            return;
        }
        n -= buffered;
        base += limit;
        pos = limit = 0;
        while (n > 0) {
            long s = in == null ? 0 : in.skip(n);
            if (s <= 0) {
                if (in == null || in.read() < 0) throw new EOFException("unexpected end of data while skipping a value");
                s = 1;
            }
            n -= s;
            base += s;
        }
    }
}

package dev.stratus.archive.retrieve;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.BulkDataSource;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Element;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.zip.Deflater;
import java.util.zip.DeflaterInputStream;

/**
 * A stored data set encoded in another uncompressed syntax, as a stream: values over {@link #IN_MEMORY} were left in
 * the blob when it was read, and top-level ones (the pixel data) are copied from there a chunk at a time, swapped where
 * the byte order changes. Memory: the header and a chunk, whatever the object's size.
 */
final class ConvertedDataSet extends InputStream {
    /** Values over this are left in the blob when read for a conversion; nested ones are read back one at a time. */
    static final long IN_MEMORY = 1 << 20;
    /** Bytes encoded or copied at a time: a multiple of every number size, so that a swap never straddles two. */
    private static final int CHUNK = 1 << 16;

    /** Opens a stored value's bytes in the blob. */
    interface BlobRange {
        InputStream open(long offset, long length) throws IOException;
    }

    private final TransferSyntax syntax;
    private final BlobRange values;
    private final Iterator<Element> elements;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final DicomWriter writer;
    private byte[] window = new byte[0];
    private int pos;
    private BulkDataElement copying; // the value being copied from the blob, null between values
    private InputStream value;
    private long valueLeft;

    private ConvertedDataSet(DataSet ds, TransferSyntax syntax, BulkDataSource nested, BlobRange values) throws IOException {
        this.syntax = syntax;
        this.values = values;
        this.elements = ds.iterator();
        this.writer = new DicomWriter(pending, nested);
        writer.writeDataSet(new DataSet(), syntax); // sets the writer's byte order and VR encoding; writes nothing
    }

    /**
     * The data set (read with values over {@link #IN_MEMORY} left in the blob) in {@code wanted}; refused before any
     * byte is read if it holds encapsulated pixel data, which no uncompressed syntax can carry.
     */
    static InputStream of(DataSet ds, TransferSyntax wanted, BulkDataSource nested, BlobRange values) throws IOException {
        for (Element e : ds) {
            if (e instanceof FragmentsElement || e instanceof BulkDataElement b && b.isUndefinedLength()) {
                throw new IOException("cannot write encapsulated " + Tag.toString(e.tag()) + " in " + wanted.name()
                        + ": compressed pixel data is never decoded by the codec");
            }
        }
        // Deflate's only syntax is explicit VR little endian (PS3.5 A.5), deflated as a whole as DicomWriter does
        if (!wanted.deflated()) return new ConvertedDataSet(ds, wanted, nested, values);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        return new DeflaterInputStream(new ConvertedDataSet(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, nested, values), deflater, CHUNK) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    deflater.end();
                }
            }
        };
    }

    @Override
    public int read() throws IOException {
        return fill() ? window[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, window.length - pos);
        System.arraycopy(window, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
        long total = 0;
        while (fill()) {
            out.write(window, pos, window.length - pos);
            total += window.length - pos;
            pos = window.length;
        }
        return total;
    }

    /** Makes the window hold unread bytes; false at the end. */
    private boolean fill() throws IOException {
        if (pos < window.length) return true;
        window = copying != null ? nextChunk() : nextElements();
        pos = 0;
        return window.length > 0;
    }

    /** Encodes elements up to a chunk's worth, or up to a value to copy from the blob (its header included). */
    private byte[] nextElements() throws IOException {
        pending.reset();
        while (pending.size() < CHUNK && elements.hasNext()) {
            Element e = elements.next();
            if (Tag.isGroupLength(e.tag()) || Tag.group(e.tag()) == 2) continue; // as DicomWriter.writeDataSet leaves them out
            if (e instanceof BulkDataElement b && b.vr().isBulk()) {
                writer.flush();
                pending.write(elementHeader(b.tag(), b.vr(), b.length() + (b.length() & 1), syntax));
                copying = b;
                valueLeft = b.length();
                value = values.open(b.offset(), b.length());
                break;
            }
            writer.writeElement(e);
        }
        writer.flush();
        return pending.toByteArray();
    }

    /** The next chunk of the value being copied, in the wanted byte order, padded to even length at its end. */
    private byte[] nextChunk() throws IOException {
        int n = (int) Math.min(CHUNK, valueLeft);
        boolean last = n == valueLeft;
        byte[] chunk = new byte[last && (n & 1) == 1 ? n + 1 : n];
        if (value.readNBytes(chunk, 0, n) != n) {
            throw new IOException("value of " + Tag.toString(copying.tag()) + " is cut short in storage");
        }
        if (copying.bigEndian() != syntax.bigEndian()) swap(chunk, n, copying.vr().bytesPerNumber());
        valueLeft -= n;
        if (last) {
            if (chunk.length > n) chunk[n] = copying.vr().padding();
            closeValue();
        }
        return chunk;
    }

    private void closeValue() throws IOException {
        copying = null;
        try (InputStream v = value) {
            value = null;
        }
    }

    @Override
    public void close() throws IOException {
        if (value != null) closeValue();
    }

    /** Reverses the bytes of each {@code k}-byte number in the first {@code length} bytes (k below 2: nothing to do). */
    static void swap(byte[] b, int length, int k) {
        if (k < 2) return;
        for (int i = 0; i + k <= length; i += k) {
            for (int lo = i, hi = i + k - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }

    /** The header of an element with a 32-bit length in {@code ts} (PS3.5 7.1.2), its value written after it. */
    static byte[] elementHeader(int tag, VR vr, long length, TransferSyntax ts) {
        ByteBuffer b = ByteBuffer.allocate(ts.explicitVR() ? 12 : 8).order(ts.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (tag >>> 16)).putShort((short) tag);
        if (ts.explicitVR()) b.put((byte) (vr.code() >> 8)).put((byte) vr.code()).putShort((short) 0);
        b.putInt((int) length);
        return b.array();
    }
}

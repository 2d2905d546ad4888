package dev.stratus.bench;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Proves that a {@link ReadOptions#HEADER} read never touches the pixel bytes, three ways:
 * <ol>
 * <li>in memory: the file cut right after the Pixel Data element's 12-byte header (not one pixel byte left)
 *     reads to the same header, while {@link ReadOptions#ALL} on that cut file fails;</li>
 * <li>from a stream that hands out at most {@value #TRICKLE} bytes a call (as a socket does): the reader
 *     consumes the header and fewer than {@value #TRICKLE} bytes more;</li>
 * <li>from a fast stream (whole 64 KiB reads granted): the reader consumes at most one buffer of look-ahead
 *     beyond the header, reported so the cost of that buffering is visible.</li>
 * </ol>
 * Used by the benchmark's {@code @Setup} and by the bench module's unit test.
 */
public final class HeaderOnlyCheck {
    private HeaderOnlyCheck() {}

    static final int TRICKLE = 512;
    /** DicomInput's stream buffer: the look-ahead a stream reader may take in one read call. */
    static final int READER_BUFFER = 64 * 1024;

    /**
     * @param headerBytes offset of the Pixel Data value: everything the header read needs
     * @param fileBytes   the whole file
     * @param trickleRead bytes consumed from a stream that gives at most {@value #TRICKLE} bytes a call
     * @param fastRead    bytes consumed from a stream that fills whatever is asked
     */
    public record Result(long headerBytes, long fileBytes, long trickleRead, long fastRead) {
        @Override
        public String toString() {
            return String.format("header %,d B of %,d B; stream reads consumed %,d B (%d-byte chunks) and %,d B (64 KiB reads);"
                            + " pixel bytes parsed: 0; a header-only prefix of the file reads the same header",
                    headerBytes, fileBytes, trickleRead, TRICKLE, fastRead);
        }
    }

    /** Runs the three checks on a Part 10 file with uncompressed Pixel Data; throws IllegalStateException if one fails. */
    public static Result verify(byte[] file) {
        DicomFile full = read(file, ReadOptions.HEADER);
        check(!full.complete(), "a HEADER read must stop before Pixel Data");
        if (!(full.dataSet().get(Tag.PixelData) instanceof BulkDataElement pixel)) {
            throw new IllegalStateException("a HEADER read must keep Pixel Data by reference, got " + full.dataSet().get(Tag.PixelData));
        }
        long headerBytes = pixel.offset();
        check(pixel.length() > 0 && headerBytes + pixel.length() == file.length,
                "Pixel Data must be the file's last element: value at " + headerBytes + " + " + pixel.length() + " != " + file.length);

        // 1. In memory: no pixel byte present at all.
        byte[] cut = Arrays.copyOf(file, (int) headerBytes);
        DicomFile fromCut = read(cut, ReadOptions.HEADER);
        check(fromCut.dataSet().equals(full.dataSet()), "the header read from the cut file differs from the full file's");
        try {
            new DicomReader(cut).readFile(ReadOptions.ALL);
            throw new IllegalStateException("ReadOptions.ALL on a file without pixel bytes must fail (so the cut is real)");
        } catch (DicomParseException expected) {
            // the pixel bytes are missing and a whole read needs them: the HEADER read above did not
        }

        // 2. Trickling stream: consumption stops within one chunk of the header.
        CountingInputStream trickle = new CountingInputStream(new ByteArrayInputStream(file), TRICKLE);
        DicomFile fromTrickle = read(trickle, file.length);
        check(fromTrickle.dataSet().equals(full.dataSet()), "the header read from a stream differs");
        check(trickle.count >= headerBytes && trickle.count < headerBytes + TRICKLE,
                "a HEADER read from a stream consumed " + trickle.count + " bytes; the header is " + headerBytes);

        // 3. Fast stream: at most one reader buffer of look-ahead.
        CountingInputStream fast = new CountingInputStream(new ByteArrayInputStream(file), Integer.MAX_VALUE);
        read(fast, file.length);
        check(fast.count <= headerBytes + READER_BUFFER,
                "a HEADER read from a fast stream consumed " + fast.count + " bytes; header " + headerBytes + " + one 64 KiB buffer at most");
        return new Result(headerBytes, file.length, trickle.count, fast.count);
    }

    private static DicomFile read(byte[] file, ReadOptions opts) {
        try {
            return new DicomReader(file).readFile(opts);
        } catch (DicomParseException e) {
            throw new IllegalStateException("cannot read the file: " + e.getMessage(), e);
        }
    }

    private static DicomFile read(InputStream in, long length) {
        try {
            return new DicomReader(in, length).readFile(ReadOptions.HEADER);
        } catch (DicomParseException e) {
            throw new IllegalStateException("cannot read the stream: " + e.getMessage(), e);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }

    /** Counts the bytes handed to the reader; gives at most {@code chunk} bytes a call. */
    static final class CountingInputStream extends FilterInputStream {
        long count;
        private final int chunk;

        CountingInputStream(InputStream in, int chunk) {
            super(in);
            this.chunk = chunk;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, Math.min(len, chunk));
            if (r > 0) count += r;
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, chunk));
            if (s > 0) count += s;
            return s;
        }
    }
}

package dev.stratus.codec;

import java.io.IOException;

/** Gives the bytes of a value that was left in its source (a file read by offset, an object in storage). */
@FunctionalInterface
public interface BulkDataSource {
    /** The value bytes exactly as stored (binary numbers in the source byte order, see {@link BulkDataElement#bigEndian()}). */
    byte[] read(BulkDataElement element) throws IOException;

    BulkDataSource NONE = e -> {
        throw new IOException("value of " + Tag.toString(e.tag()) + " was left in its source and no source is available");
    };

    /** A source over an in-memory copy of the whole input, as read by {@link DicomReader}. */
    static BulkDataSource of(byte[] input) {
        return e -> {
            if (e.offset() < 0 || e.length() < 0 || e.offset() + e.length() > input.length) {
                throw new IOException("bulk data of " + Tag.toString(e.tag()) + " is outside its source");
            }
            return java.util.Arrays.copyOfRange(input, (int) e.offset(), (int) (e.offset() + e.length()));
        };
    }
}

package dev.stratus.codec;

/**
 * A large value left where it is: {@code offset}/{@code length} locate the value bytes in the source
 * (length -1 for encapsulated data not yet scanned), or {@code uri} names it (DICOM JSON BulkDataURI).
 * {@code bigEndian} says how binary numbers in the source bytes are ordered.
 */
public record BulkDataElement(int tag, VR vr, long offset, long length, boolean bigEndian, String uri)
        implements Element {
    public static final long UNDEFINED_LENGTH = -1;

    /** Encapsulated data left in the source unscanned (a value named only by URI has an unknown length, not this). */
    public boolean isUndefinedLength() { return length == UNDEFINED_LENGTH && uri == null; }

    @Override
    public String toString() { return Tag.toString(tag) + " " + vr + " bulk@" + offset + "#" + length; }
}

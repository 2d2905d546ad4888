package dev.stratus.codec;

/**
 * A large value left where it is: {@code offset}/{@code length} locate the value bytes in the source
 * (length -1 for encapsulated data not yet scanned), or {@code uri} names it (DICOM JSON BulkDataURI).
 * {@code bigEndian} says how binary numbers in the source bytes are ordered.
 */
public record BulkDataElement(int tag, VR vr, long offset, long length, boolean bigEndian, String uri)
        implements Element {
    public static final long UNDEFINED_LENGTH = -1;

    public boolean isUndefinedLength() { return length == UNDEFINED_LENGTH; }

    @Override
    public String toString() { return Tag.toString(tag) + " " + vr + " bulk@" + offset + "#" + length; }
}

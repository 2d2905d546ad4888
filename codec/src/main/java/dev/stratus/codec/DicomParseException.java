package dev.stratus.codec;

import java.io.IOException;

/** Malformed input: says where (byte offset in the stream), which element, and what was wrong. */
public class DicomParseException extends IOException {
    private final long offset;
    private final int tag;

    public DicomParseException(long offset, int tag, String problem) {
        super(describe(offset, tag, problem));
        this.offset = offset;
        this.tag = tag;
    }

    public DicomParseException(long offset, int tag, String problem, Throwable cause) {
        super(describe(offset, tag, problem), cause);
        this.offset = offset;
        this.tag = tag;
    }

    private static String describe(long offset, int tag, String problem) {
        String where = "at offset " + offset;
        if (tag != -1) {
            String kw = DataDictionary.keywordOf(tag);
            where += " in element " + Tag.toString(tag) + (kw.isEmpty() ? "" : " " + kw);
        }
        return problem + " (" + where + ")";
    }

    /** Byte offset in the input where the problem was found. */
    public long offset() { return offset; }

    /** Tag of the element being read, or -1 if none. */
    public int tag() { return tag; }
}

package dev.stratus.codec;

/** Value Representations of PS3.5 6.2, with the encoding facts the reader and writer need. */
public enum VR {
    AE(' ', false, Kind.STRING), AS(' ', false, Kind.STRING), AT(0, false, Kind.BINARY_4),
    CS(' ', false, Kind.STRING), DA(' ', false, Kind.STRING), DS(' ', false, Kind.STRING),
    DT(' ', false, Kind.STRING), FD(0, false, Kind.BINARY_8), FL(0, false, Kind.BINARY_4),
    IS(' ', false, Kind.STRING), LO(' ', false, Kind.STRING), LT(' ', false, Kind.TEXT),
    OB(0, true, Kind.BYTES), OD(0, true, Kind.BINARY_8), OF(0, true, Kind.BINARY_4),
    OL(0, true, Kind.BINARY_4), OV(0, true, Kind.BINARY_8), OW(0, true, Kind.BINARY_2),
    PN(' ', false, Kind.STRING), SH(' ', false, Kind.STRING), SL(0, false, Kind.BINARY_4),
    SQ(0, true, Kind.SEQUENCE), SS(0, false, Kind.BINARY_2), ST(' ', false, Kind.TEXT),
    SV(0, true, Kind.BINARY_8), TM(' ', false, Kind.STRING), UC(' ', true, Kind.STRING),
    UI(0, false, Kind.STRING), UL(0, false, Kind.BINARY_4), UN(0, true, Kind.BYTES),
    UR(' ', true, Kind.TEXT), US(0, false, Kind.BINARY_2), UT(' ', true, Kind.TEXT),
    UV(0, true, Kind.BINARY_8);

    /** How a value is laid out in bytes. */
    public enum Kind {
        /** Character string that may hold several values separated by a backslash. */
        STRING,
        /** Character string with a single value (backslash is an ordinary character). */
        TEXT,
        /** Opaque bytes: never byte-swapped. */
        BYTES,
        /** Fixed-size binary numbers of 2, 4 or 8 bytes: byte-swapped between endiannesses. */
        BINARY_2, BINARY_4, BINARY_8,
        SEQUENCE
    }

    private final byte padding;
    private final boolean longHeader;
    private final Kind kind;
    private final int code;

    VR(int padding, boolean longHeader, Kind kind) {
        this.padding = (byte) padding;
        this.longHeader = longHeader;
        this.kind = kind;
        this.code = (name().charAt(0) << 8) | name().charAt(1);
    }

    /** Byte used to pad a value to even length: space for text, NUL for UI and binary. */
    public byte padding() { return padding; }

    /** Whether explicit VR encoding uses 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1). */
    public boolean hasLongHeader() { return longHeader; }

    public Kind kind() { return kind; }

    /** The two ASCII characters as a 16-bit big-endian code, as they appear in the stream. */
    public int code() { return code; }

    public boolean isString() { return kind == Kind.STRING || kind == Kind.TEXT; }

    /** Bytes per binary number, or 0 if the values are not fixed-size numbers. */
    public int bytesPerNumber() {
        return switch (kind) {
            case BINARY_2 -> 2;
            case BINARY_4 -> 4;
            case BINARY_8 -> 8;
            default -> 0;
        };
    }

    /** Whether the value may hold bulk data (large binary values kept by reference). */
    public boolean isBulk() {
        return this == OB || this == OW || this == OF || this == OD || this == OL || this == OV || this == UN;
    }

    private static final VR[] BY_CODE = new VR[1 << 16];
    static {
        for (VR vr : values()) BY_CODE[vr.code] = vr;
    }

    /** The VR for a two-byte code as read from the stream, or null if it is not a VR. */
    public static VR ofCode(int code) {
        return BY_CODE[code & 0xFFFF];
    }

    /** The VR named by two letters ("PN"), or null. */
    public static VR ofName(String name) {
        if (name == null || name.length() != 2) return null;
        return ofCode((name.charAt(0) << 8) | name.charAt(1));
    }
}

package dev.stratus.codec;

/** Tags as ints ((group << 16) | element) and the handful of them the codec itself relies on. */
public final class Tag {
    private Tag() {}

    public static final int FileMetaInformationGroupLength = 0x00020000;
    public static final int FileMetaInformationVersion = 0x00020001;
    public static final int MediaStorageSOPClassUID = 0x00020002;
    public static final int MediaStorageSOPInstanceUID = 0x00020003;
    public static final int TransferSyntaxUID = 0x00020010;
    public static final int ImplementationClassUID = 0x00020012;
    public static final int ImplementationVersionName = 0x00020013;
    public static final int SourceApplicationEntityTitle = 0x00020016;
    public static final int SpecificCharacterSet = 0x00080005;
    public static final int SOPClassUID = 0x00080016;
    public static final int SOPInstanceUID = 0x00080018;
    public static final int StudyInstanceUID = 0x0020000D;
    public static final int SeriesInstanceUID = 0x0020000E;
    public static final int PixelRepresentation = 0x00280103;
    public static final int NumberOfFrames = 0x00280008;
    public static final int Rows = 0x00280010;
    public static final int Columns = 0x00280011;
    public static final int BitsAllocated = 0x00280100;
    public static final int SamplesPerPixel = 0x00280002;
    public static final int FloatPixelData = 0x7FE00008;
    public static final int DoubleFloatPixelData = 0x7FE00009;
    public static final int PixelData = 0x7FE00010;
    public static final int Item = 0xFFFEE000;
    public static final int ItemDelimitationItem = 0xFFFEE00D;
    public static final int SequenceDelimitationItem = 0xFFFEE0DD;

    public static int of(int group, int element) {
        return (group << 16) | (element & 0xFFFF);
    }

    public static int group(int tag) { return tag >>> 16; }

    public static int element(int tag) { return tag & 0xFFFF; }

    public static boolean isPrivate(int tag) { return (group(tag) & 1) == 1; }

    /** (gggg,0010)-(gggg,00FF) in an odd group: reserves a block of private elements. */
    public static boolean isPrivateCreator(int tag) {
        int e = element(tag);
        return isPrivate(tag) && e >= 0x10 && e <= 0xFF;
    }

    /** For a private data element (gggg,xxyy), its creator's tag (gggg,00xx); -1 if none applies. */
    public static int privateCreatorOf(int tag) {
        if (!isPrivate(tag)) return -1;
        int e = element(tag);
        int block = e >>> 8;
        if (block < 0x10) return -1;
        return of(group(tag), block);
    }

    public static boolean isGroupLength(int tag) { return element(tag) == 0; }

    /** "(0010,0010)" form. */
    public static String toString(int tag) {
        return String.format("(%04X,%04X)", group(tag), element(tag));
    }

    private static final java.util.HexFormat HEX = java.util.HexFormat.of().withUpperCase();

    /** "00100010" form, as DICOM JSON and the XML model write tags. */
    public static String toHex(int tag) {
        return HEX.toHexDigits(tag);
    }

    /** Parses "00100010", "0010,0010" or "(0010,0010)"; returns -1 if the text is not a tag. */
    public static int parse(String text) {
        String s = text.trim();
        if (s.startsWith("(") && s.endsWith(")")) s = s.substring(1, s.length() - 1);
        s = s.replace(",", "");
        if (s.length() != 8) return -1;
        try {
            return (int) Long.parseLong(s, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

package dev.stratus.codec;

/**
 * The standard data dictionary (PS3.6 and PS3.7 command group excluded). Placeholder: the generated
 * full dictionary replaces this body, keeping the public API.
 */
public final class DataDictionary {
    private DataDictionary() {}

    /** One attribute of PS3.6. {@code vrs} holds more than one VR for entries such as "US or SS". */
    public record Entry(int tag, String keyword, String name, VR[] vrs, String vm, boolean retired) {
        public VR vr() { return vrs[0]; }
    }

    /** The entry for a tag, including repeating groups (50xx, 60xx, ...); null if the tag is not standard. */
    public static Entry entry(int tag) {
        return null;
    }

    /** The VR to use when the encoding does not say (implicit VR): group length UL, private creator LO, unknown UN. */
    public static VR vrOf(int tag) {
        if (Tag.isGroupLength(tag)) return VR.UL;
        if (Tag.isPrivateCreator(tag)) return VR.LO;
        Entry e = entry(tag);
        return e == null ? VR.UN : e.vr();
    }

    /** The keyword of a standard tag, or "" if none. */
    public static String keywordOf(int tag) {
        Entry e = entry(tag);
        return e == null ? "" : e.keyword();
    }

    /** The tag of a keyword, or -1 if the keyword is not in the dictionary. */
    public static int tagOf(String keyword) {
        return -1;
    }
}

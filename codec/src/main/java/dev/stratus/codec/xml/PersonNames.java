package dev.stratus.codec.xml;

/** Person Name (PS3.5 6.2) facts the XML model needs. */
final class PersonNames {
    private PersonNames() {}

    /** A value or group with no component: only delimiters and spaces ("^^^^" is empty, PS3.5 6.2.1). */
    static boolean isEmpty(String s) {
        for (int i = 0; i < s.length(); i++) if ("^= ".indexOf(s.charAt(i)) < 0) return false;
        return true;
    }
}

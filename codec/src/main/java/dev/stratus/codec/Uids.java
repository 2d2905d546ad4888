package dev.stratus.codec;

import java.math.BigInteger;
import java.util.UUID;

/** Unique Identifiers (PS3.5 9): validation and generation. */
public final class Uids {
    private Uids() {}

    /**
     * PS3.5 9.1: at most 64 characters, components of digits separated by '.', no empty component,
     * no leading zero in a component of more than one digit.
     */
    public static boolean isValid(String uid) {
        if (uid == null || uid.isEmpty() || uid.length() > 64) return false;
        int componentStart = 0;
        for (int i = 0; i <= uid.length(); i++) {
            char c = i == uid.length() ? '.' : uid.charAt(i);
            if (c == '.') {
                int len = i - componentStart;
                if (len == 0) return false;
                if (len > 1 && uid.charAt(componentStart) == '0') return false;
                componentStart = i + 1;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Says why a UID is invalid, or null if it is valid. */
    public static String problem(String uid) {
        if (uid == null || uid.isEmpty()) return "is empty";
        if (uid.length() > 64) return "is longer than 64 characters";
        if (!isValid(uid)) return "'" + uid + "' is not digits separated by dots without leading zeros (PS3.5 9.1)";
        return null;
    }

    /** A new UID under the UUID-derived root 2.25 (PS3.5 B.2). */
    public static String generate() {
        UUID u = UUID.randomUUID();
        BigInteger b = new BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
        return "2.25." + b;
    }
}

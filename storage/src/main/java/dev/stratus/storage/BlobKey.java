package dev.stratus.storage;

import java.util.regex.Pattern;

/** Validates keys before they reach a file path or an object name: no traversal, no surprises. */
public final class BlobKey {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private BlobKey() {}

    /** Returns the key if every '/'-separated segment is safe, else throws IllegalArgumentException. */
    public static String check(String key) {
        if (key == null || key.isEmpty() || key.length() > 1024) throw new IllegalArgumentException("invalid storage key: empty or too long");
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid storage key segment '" + segment + "' in " + key);
            }
        }
        return key;
    }

    /** Joins segments, checking each. */
    public static String of(String... segments) {
        return check(String.join("/", segments));
    }
}

package dev.stratus.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The well-known UIDs of PS3.6 Annex A, loaded from {@code uids.tsv} (generated with dictionary.tsv). */
public final class UidDictionary {
    private UidDictionary() {}

    private record Uid(String uid, String name, String type, String keyword, boolean retired, boolean storage) {}

    private static final String RESOURCE = "uids.tsv";
    // The DICOMDIR's SOP class: exchanged on media (PS3.10), not a PS3.4 storage SOP class sent by C-STORE.
    private static final String MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10";

    private static final Map<String, Uid> BY_UID = new HashMap<>(1024);
    private static final Map<String, String> BY_KEYWORD = new HashMap<>(1024);
    private static final List<String> STORAGE;

    static {
        List<String> storage = new ArrayList<>();
        InputStream in = UidDictionary.class.getResourceAsStream(RESOURCE);
        if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.charAt(0) == '#') continue;
                // Columns: UID, name, type, keyword, "R" if retired.
                String[] f = line.split("\t", -1);
                if (f.length != 5) throw new IllegalStateException("bad line in " + RESOURCE + ": " + line);
                Uid u = new Uid(f[0], f[1], f[2], f[3], f[4].equals("R"), isStorage(f[0], f[1], f[2]));
                BY_UID.put(u.uid(), u);
                if (!u.keyword().isEmpty()) BY_KEYWORD.put(u.keyword(), u.uid());
                if (u.storage()) storage.add(u.uid());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        STORAGE = Collections.unmodifiableList(storage);
    }

    // PS3.6 names storage SOP classes "... Storage", "... Storage - For Processing" / "- Trial", and the
    // retired print ones "... Storage SOP Class"; Storage Commitment and the DICOMDIR are not storage.
    private static boolean isStorage(String uid, String name, String type) {
        if (!type.equals("SOP Class") || uid.equals(MEDIA_STORAGE_DIRECTORY)) return false;
        return name.endsWith(" Storage") || name.contains(" Storage - ") || name.endsWith(" Storage SOP Class");
    }

    /** The PS3.6 name ("CT Image Storage"), or "" for an unknown UID. */
    public static String name(String uid) {
        Uid u = BY_UID.get(uid);
        return u == null ? "" : u.name();
    }

    /** The keyword ("CTImageStorage"), or "" for an unknown UID or one without a keyword. */
    public static String keyword(String uid) {
        Uid u = BY_UID.get(uid);
        return u == null ? "" : u.keyword();
    }

    /** The UID type ("SOP Class", "Transfer Syntax", ...), or "" for an unknown UID. */
    public static String type(String uid) {
        Uid u = BY_UID.get(uid);
        return u == null ? "" : u.type();
    }

    /** Whether PS3.6 lists the UID as retired; false for an unknown UID. */
    public static boolean isRetired(String uid) {
        Uid u = BY_UID.get(uid);
        return u != null && u.retired();
    }

    /** The UID of a keyword ("ExplicitVRLittleEndian"), or null if the keyword is unknown. */
    public static String uidOf(String keyword) {
        return keyword == null ? null : BY_KEYWORD.get(keyword);
    }

    /** Whether the UID is a Storage SOP Class of PS3.4 (Annex B and non-patient Annex GG), retired ones included. */
    public static boolean isStorageSopClass(String uid) {
        Uid u = BY_UID.get(uid);
        return u != null && u.storage();
    }

    /** Every storage SOP class UID, in UID order. */
    public static List<String> storageSopClasses() {
        return STORAGE;
    }
}

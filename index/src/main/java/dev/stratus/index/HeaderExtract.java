package dev.stratus.index;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;

/**
 * What every index implementation takes from an instance's header: matching values cut to the lengths the
 * SQL columns have (so that all backends match and return the same), and each level's attribute blob.
 */
public final class HeaderExtract {
    private HeaderExtract() {}

    public static final int PATIENT_NAME = tag("PatientName");
    public static final int REFERRING_PHYSICIAN_NAME = tag("ReferringPhysicianName");

    public static String text(DataSet ds, String keyword, int max) {
        return cut(ds.getString(tag(keyword)), max);
    }

    /** A person name as fuzzy matching compares it (upper case, accents kept), cut to 255. */
    public static String upperName(DataSet ds, int tag) {
        return cut(PersonNames.upper(ds.getString(tag)), 255);
    }

    // ACR-NEMA times ("10:30:00") compare like DICOM ones ("103000") once the colons are gone.
    public static String time(DataSet ds, String keyword) {
        String t = ds.getString(tag(keyword));
        return t == null ? null : cut(t.replace(":", ""), 32);
    }

    public static Integer integer(DataSet ds, String keyword) {
        int v = ds.getInt(tag(keyword), Integer.MIN_VALUE);
        return v == Integer.MIN_VALUE ? null : v;
    }

    public static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Values joined with '\\' and cut, or null for none: the stored form of a value list. */
    public static String joined(Iterable<String> values, int max) {
        String s = String.join("\\", values);
        return s.isEmpty() ? null : cut(s, max);
    }

    /** The study-level attributes QIDO returns, with the Study Instance UID. */
    public static byte[] studyAttributes(InstanceRecord r) {
        DataSet attrs = AttributeBlobs.subset(r.attributes(), AttributeLevels.STUDY::contains);
        attrs.setString(Tag.StudyInstanceUID, VR.UI, r.studyUid());
        return AttributeBlobs.encode(attrs);
    }

    public static byte[] seriesAttributes(InstanceRecord r) {
        DataSet attrs = AttributeBlobs.subset(r.attributes(), AttributeLevels.SERIES::contains);
        attrs.setString(Tag.SeriesInstanceUID, VR.UI, r.seriesUid());
        return AttributeBlobs.encode(attrs);
    }

    /** Everything not of the study or series level, with the SOP Instance and Class UIDs. */
    public static byte[] instanceAttributes(InstanceRecord r) {
        DataSet attrs = AttributeBlobs.subset(r.attributes(),
                t -> !AttributeLevels.STUDY.contains(t) && !AttributeLevels.SERIES.contains(t));
        attrs.setString(Tag.SOPInstanceUID, VR.UI, r.sopInstanceUid());
        if (r.sopClassUid() != null) attrs.setString(Tag.SOPClassUID, VR.UI, r.sopClassUid());
        return AttributeBlobs.encode(attrs);
    }

    private static int tag(String keyword) {
        return DataDictionary.tagOf(keyword);
    }
}

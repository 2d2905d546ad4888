package dev.stratus.index;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;

/** Builds InstanceRecords with a plausible header for index tests. */
public final class TestInstance {
    public static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final String MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4";
    public static final String SR_DOCUMENT = "1.2.840.10008.5.1.4.1.1.88.11";
    public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    private final TenantId tenant;
    private final String studyUid, seriesUid, sopUid;
    private String sopClass = CT_IMAGE;
    private String blobKey;
    private final DataSet ds = new DataSet();

    private TestInstance(TenantId tenant, String studyUid, String seriesUid, String sopUid) {
        this.tenant = tenant;
        this.studyUid = studyUid;
        this.seriesUid = seriesUid;
        this.sopUid = sopUid;
        this.blobKey = tenant + "/" + sopUid;
        str("PatientName", VR.PN, "Doe^John");
        str("PatientID", VR.LO, "P1");
        str("StudyDate", VR.DA, "20200101");
        str("Modality", VR.CS, "CT");
    }

    public static TestInstance of(TenantId tenant, String studyUid, String seriesUid, String sopUid) {
        return new TestInstance(tenant, studyUid, seriesUid, sopUid);
    }

    public TestInstance str(String keyword, VR vr, String... values) {
        ds.setString(tag(keyword), vr, values);
        return this;
    }

    public TestInstance remove(String keyword) {
        ds.remove(tag(keyword));
        return this;
    }

    public TestInstance patient(String name, String id) {
        return str("PatientName", VR.PN, name).str("PatientID", VR.LO, id);
    }

    public TestInstance studyDate(String date) { return str("StudyDate", VR.DA, date); }

    public TestInstance modality(String modality) { return str("Modality", VR.CS, modality); }

    public TestInstance seriesNumber(int n) { return str("SeriesNumber", VR.IS, String.valueOf(n)); }

    public TestInstance instanceNumber(int n) { return str("InstanceNumber", VR.IS, String.valueOf(n)); }

    public TestInstance rows(int rows) {
        ds.setInt(Tag.Rows, VR.US, rows);
        return this;
    }

    public TestInstance sopClass(String uid) {
        sopClass = uid;
        return this;
    }

    public TestInstance blobKey(String key) {
        blobKey = key;
        return this;
    }

    /** Sets the Specific Character Set first, so that later strings are encoded in it. */
    public TestInstance charset(String term) {
        ds.setString(Tag.SpecificCharacterSet, VR.CS, term);
        return this;
    }

    public InstanceRecord build() {
        ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sopUid);
        ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
        return new InstanceRecord(tenant, studyUid, seriesUid, sopUid, sopClass, EXPLICIT_LE, blobKey, 1000, ds);
    }

    public static int tag(String keyword) {
        int tag = DataDictionary.tagOf(keyword);
        if (tag == -1) throw new IllegalArgumentException(keyword);
        return tag;
    }
}

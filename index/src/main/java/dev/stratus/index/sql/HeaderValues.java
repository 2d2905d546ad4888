package dev.stratus.index.sql;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.index.AttributeBlobs;
import dev.stratus.index.AttributeLevels;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.PersonNames;
import org.jooq.Field;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.stratus.index.sql.Tables.INSTANCE;
import static dev.stratus.index.sql.Tables.SERIES;
import static dev.stratus.index.sql.Tables.STUDY;

/** The column values and attribute blobs of each level, taken from one instance's header. */
final class HeaderValues {
    private HeaderValues() {}

    static final int PATIENT_NAME = tag("PatientName");
    static final int REFERRING_PHYSICIAN_NAME = tag("ReferringPhysicianName");

    /** Study columns (attribute columns only: counts and times are the store's business). */
    static Map<Field<?>, Object> study(InstanceRecord r) {
        DataSet ds = r.attributes();
        Map<Field<?>, Object> m = new LinkedHashMap<>();
        m.put(STUDY.patientId, text(ds, "PatientID", 255));
        m.put(STUDY.issuerOfPatientId, text(ds, "IssuerOfPatientID", 255));
        m.put(STUDY.patientName, cut(PersonNames.upper(ds.getString(PATIENT_NAME)), 255));
        m.put(STUDY.patientBirthDate, text(ds, "PatientBirthDate", 8));
        m.put(STUDY.patientSex, text(ds, "PatientSex", 16));
        m.put(STUDY.studyDate, text(ds, "StudyDate", 8));
        m.put(STUDY.studyTime, time(ds, "StudyTime"));
        m.put(STUDY.accessionNumber, text(ds, "AccessionNumber", 255));
        m.put(STUDY.studyId, text(ds, "StudyID", 255));
        m.put(STUDY.referringPhysicianName, cut(PersonNames.upper(ds.getString(REFERRING_PHYSICIAN_NAME)), 255));
        m.put(STUDY.studyDescription, text(ds, "StudyDescription", 255));
        DataSet attrs = AttributeBlobs.subset(ds, AttributeLevels.STUDY::contains);
        attrs.setString(Tag.StudyInstanceUID, VR.UI, r.studyUid());
        m.put(STUDY.attrs, AttributeBlobs.encode(attrs));
        return m;
    }

    static Map<Field<?>, Object> series(InstanceRecord r) {
        DataSet ds = r.attributes();
        Map<Field<?>, Object> m = new LinkedHashMap<>();
        m.put(SERIES.modality, text(ds, "Modality", 16));
        m.put(SERIES.seriesNumber, integer(ds, "SeriesNumber"));
        m.put(SERIES.seriesDescription, text(ds, "SeriesDescription", 255));
        m.put(SERIES.ppsStartDate, text(ds, "PerformedProcedureStepStartDate", 8));
        m.put(SERIES.ppsStartTime, time(ds, "PerformedProcedureStepStartTime"));
        DataSet attrs = AttributeBlobs.subset(ds, AttributeLevels.SERIES::contains);
        attrs.setString(Tag.SeriesInstanceUID, VR.UI, r.seriesUid());
        m.put(SERIES.attrs, AttributeBlobs.encode(attrs));
        return m;
    }

    static Map<Field<?>, Object> instance(InstanceRecord r) {
        DataSet ds = r.attributes();
        Map<Field<?>, Object> m = new LinkedHashMap<>();
        m.put(INSTANCE.sopClassUid, r.sopClassUid());
        m.put(INSTANCE.instanceNumber, integer(ds, "InstanceNumber"));
        m.put(INSTANCE.transferSyntaxUid, r.transferSyntaxUid());
        m.put(INSTANCE.blobKey, r.blobKey());
        m.put(INSTANCE.blobSize, r.blobSize());
        DataSet attrs = AttributeBlobs.subset(ds,
                t -> !AttributeLevels.STUDY.contains(t) && !AttributeLevels.SERIES.contains(t));
        attrs.setString(Tag.SOPInstanceUID, VR.UI, r.sopInstanceUid());
        if (r.sopClassUid() != null) attrs.setString(Tag.SOPClassUID, VR.UI, r.sopClassUid());
        m.put(INSTANCE.attrs, AttributeBlobs.encode(attrs));
        return m;
    }

    private static String text(DataSet ds, String keyword, int max) {
        return cut(ds.getString(tag(keyword)), max);
    }

    // ACR-NEMA times ("10:30:00") compare like DICOM ones ("103000") once the colons are gone.
    private static String time(DataSet ds, String keyword) {
        String t = ds.getString(tag(keyword));
        return t == null ? null : cut(t.replace(":", ""), 32);
    }

    private static Integer integer(DataSet ds, String keyword) {
        int v = ds.getInt(tag(keyword), Integer.MIN_VALUE);
        return v == Integer.MIN_VALUE ? null : v;
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static int tag(String keyword) {
        return DataDictionary.tagOf(keyword);
    }
}

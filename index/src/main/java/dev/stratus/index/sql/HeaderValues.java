package dev.stratus.index.sql;

import dev.stratus.codec.DataSet;
import dev.stratus.index.HeaderExtract;
import dev.stratus.index.InstanceRecord;
import org.jooq.Field;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.stratus.index.HeaderExtract.integer;
import static dev.stratus.index.HeaderExtract.text;
import static dev.stratus.index.HeaderExtract.time;
import static dev.stratus.index.HeaderExtract.upperName;
import static dev.stratus.index.sql.Tables.INSTANCE;
import static dev.stratus.index.sql.Tables.SERIES;
import static dev.stratus.index.sql.Tables.STUDY;

/** The column values and attribute blobs of each level, taken from one instance's header. */
final class HeaderValues {
    private HeaderValues() {}

    static final int PATIENT_NAME = HeaderExtract.PATIENT_NAME;
    static final int REFERRING_PHYSICIAN_NAME = HeaderExtract.REFERRING_PHYSICIAN_NAME;

    /** Study columns (attribute columns only: counts and times are the store's business). */
    static Map<Field<?>, Object> study(InstanceRecord r) {
        DataSet ds = r.attributes();
        Map<Field<?>, Object> m = new LinkedHashMap<>();
        m.put(STUDY.patientId, text(ds, "PatientID", 255));
        m.put(STUDY.issuerOfPatientId, text(ds, "IssuerOfPatientID", 255));
        m.put(STUDY.patientName, upperName(ds, PATIENT_NAME));
        m.put(STUDY.patientBirthDate, text(ds, "PatientBirthDate", 8));
        m.put(STUDY.patientSex, text(ds, "PatientSex", 16));
        m.put(STUDY.studyDate, text(ds, "StudyDate", 8));
        m.put(STUDY.studyTime, time(ds, "StudyTime"));
        m.put(STUDY.accessionNumber, text(ds, "AccessionNumber", 255));
        m.put(STUDY.studyId, text(ds, "StudyID", 255));
        m.put(STUDY.referringPhysicianName, upperName(ds, REFERRING_PHYSICIAN_NAME));
        m.put(STUDY.studyDescription, text(ds, "StudyDescription", 255));
        m.put(STUDY.attrs, HeaderExtract.studyAttributes(r));
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
        m.put(SERIES.attrs, HeaderExtract.seriesAttributes(r));
        return m;
    }

    static Map<Field<?>, Object> instance(InstanceRecord r) {
        Map<Field<?>, Object> m = new LinkedHashMap<>();
        m.put(INSTANCE.sopClassUid, r.sopClassUid());
        m.put(INSTANCE.instanceNumber, integer(r.attributes(), "InstanceNumber"));
        m.put(INSTANCE.transferSyntaxUid, r.transferSyntaxUid());
        m.put(INSTANCE.blobKey, r.blobKey());
        m.put(INSTANCE.blobSize, r.blobSize());
        m.put(INSTANCE.attrs, HeaderExtract.instanceAttributes(r));
        return m;
    }
}

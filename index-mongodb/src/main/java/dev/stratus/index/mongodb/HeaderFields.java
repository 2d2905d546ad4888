package dev.stratus.index.mongodb;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.index.AttributeBlobs;
import dev.stratus.index.AttributeLevels;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.PersonNames;
import org.bson.Document;
import org.bson.types.Binary;

import static dev.stratus.index.mongodb.Fields.*;

/**
 * The field values of each level taken from one instance's header, cut to the lengths the SQL columns
 * have, so that both implementations match and return the same values.
 */
final class HeaderFields {
    private HeaderFields() {}

    static final int PATIENT_NAME_TAG = tag("PatientName");
    static final int REFERRING_PHYSICIAN_NAME_TAG = tag("ReferringPhysicianName");

    /** Study fields (attributes and name tokens only: counts and times are the recount's business). */
    static Document study(InstanceRecord r) {
        DataSet ds = r.attributes();
        Document d = new Document();
        d.put(PATIENT_ID, text(ds, "PatientID", 255));
        d.put(ISSUER_OF_PATIENT_ID, text(ds, "IssuerOfPatientID", 255));
        d.put(PATIENT_NAME, cut(PersonNames.upper(ds.getString(PATIENT_NAME_TAG)), 255));
        d.put(PATIENT_NAME_TOKENS, PersonNames.tokens(ds.getString(PATIENT_NAME_TAG)));
        d.put(PATIENT_BIRTH_DATE, text(ds, "PatientBirthDate", 8));
        d.put(PATIENT_SEX, text(ds, "PatientSex", 16));
        d.put(STUDY_DATE, text(ds, "StudyDate", 8));
        d.put(STUDY_TIME, time(ds, "StudyTime"));
        d.put(ACCESSION_NUMBER, text(ds, "AccessionNumber", 255));
        d.put(STUDY_ID, text(ds, "StudyID", 255));
        d.put(REFERRING_PHYSICIAN_NAME, cut(PersonNames.upper(ds.getString(REFERRING_PHYSICIAN_NAME_TAG)), 255));
        d.put(REFERRING_PHYSICIAN_NAME_TOKENS, PersonNames.tokens(ds.getString(REFERRING_PHYSICIAN_NAME_TAG)));
        d.put(STUDY_DESCRIPTION, text(ds, "StudyDescription", 255));
        DataSet attrs = AttributeBlobs.subset(ds, AttributeLevels.STUDY::contains);
        attrs.setString(Tag.StudyInstanceUID, VR.UI, r.studyUid());
        d.put(ATTRS, new Binary(AttributeBlobs.encode(attrs)));
        return d;
    }

    static Document series(InstanceRecord r) {
        DataSet ds = r.attributes();
        Document d = new Document();
        Integer number = integer(ds, "SeriesNumber");
        d.put(MODALITY, text(ds, "Modality", 16));
        d.put(SERIES_NUMBER, number);
        d.put(SERIES_ORDER, number == null ? ABSENT_NUMBER : number.longValue());
        d.put(SERIES_DESCRIPTION, text(ds, "SeriesDescription", 255));
        d.put(PPS_START_DATE, text(ds, "PerformedProcedureStepStartDate", 8));
        d.put(PPS_START_TIME, time(ds, "PerformedProcedureStepStartTime"));
        DataSet attrs = AttributeBlobs.subset(ds, AttributeLevels.SERIES::contains);
        attrs.setString(Tag.SeriesInstanceUID, VR.UI, r.seriesUid());
        d.put(ATTRS, new Binary(AttributeBlobs.encode(attrs)));
        return d;
    }

    static Document instance(InstanceRecord r) {
        DataSet ds = r.attributes();
        Document d = new Document();
        Integer number = integer(ds, "InstanceNumber");
        d.put(SOP_CLASS_UID, r.sopClassUid());
        d.put(INSTANCE_NUMBER, number);
        d.put(INSTANCE_ORDER, number == null ? ABSENT_NUMBER : number.longValue());
        d.put(TRANSFER_SYNTAX_UID, r.transferSyntaxUid());
        d.put(BLOB_KEY, r.blobKey());
        d.put(BLOB_SIZE, r.blobSize());
        DataSet attrs = AttributeBlobs.subset(ds,
                t -> !AttributeLevels.STUDY.contains(t) && !AttributeLevels.SERIES.contains(t));
        attrs.setString(Tag.SOPInstanceUID, VR.UI, r.sopInstanceUid());
        if (r.sopClassUid() != null) attrs.setString(Tag.SOPClassUID, VR.UI, r.sopClassUid());
        d.put(ATTRS, new Binary(AttributeBlobs.encode(attrs)));
        return d;
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

    /** Values joined with '\' and cut, or null for none: the SQL columns' form of a value list. */
    static String joined(Iterable<String> values, int max) {
        String s = String.join("\\", values);
        return s.isEmpty() ? null : cut(s, max);
    }

    private static int tag(String keyword) {
        return DataDictionary.tagOf(keyword);
    }
}

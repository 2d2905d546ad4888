package dev.stratus.index.mongodb;

import dev.stratus.codec.DataSet;
import dev.stratus.index.HeaderExtract;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.PersonNames;
import org.bson.Document;
import org.bson.types.Binary;

import static dev.stratus.index.HeaderExtract.integer;
import static dev.stratus.index.HeaderExtract.text;
import static dev.stratus.index.HeaderExtract.time;
import static dev.stratus.index.HeaderExtract.upperName;
import static dev.stratus.index.mongodb.Fields.*;

/**
 * The field values of each level taken from one instance's header (HeaderExtract: the same values and
 * lengths as the SQL columns, so that both implementations match and return the same).
 */
final class HeaderFields {
    private HeaderFields() {}

    /** Study fields (attributes and name tokens only: counts and times are the recount's business). */
    static Document study(InstanceRecord r) {
        DataSet ds = r.attributes();
        Document d = new Document();
        d.put(PATIENT_ID, text(ds, "PatientID", 255));
        d.put(ISSUER_OF_PATIENT_ID, text(ds, "IssuerOfPatientID", 255));
        d.put(PATIENT_NAME, upperName(ds, HeaderExtract.PATIENT_NAME));
        d.put(PATIENT_NAME_TOKENS, PersonNames.tokens(ds.getString(HeaderExtract.PATIENT_NAME)));
        d.put(PATIENT_BIRTH_DATE, text(ds, "PatientBirthDate", 8));
        d.put(PATIENT_SEX, text(ds, "PatientSex", 16));
        d.put(STUDY_DATE, text(ds, "StudyDate", 8));
        d.put(STUDY_TIME, time(ds, "StudyTime"));
        d.put(ACCESSION_NUMBER, text(ds, "AccessionNumber", 255));
        d.put(STUDY_ID, text(ds, "StudyID", 255));
        d.put(REFERRING_PHYSICIAN_NAME, upperName(ds, HeaderExtract.REFERRING_PHYSICIAN_NAME));
        d.put(REFERRING_PHYSICIAN_NAME_TOKENS, PersonNames.tokens(ds.getString(HeaderExtract.REFERRING_PHYSICIAN_NAME)));
        d.put(STUDY_DESCRIPTION, text(ds, "StudyDescription", 255));
        d.put(ATTRS, new Binary(HeaderExtract.studyAttributes(r)));
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
        d.put(ATTRS, new Binary(HeaderExtract.seriesAttributes(r)));
        return d;
    }

    static Document instance(InstanceRecord r) {
        Document d = new Document();
        Integer number = integer(r.attributes(), "InstanceNumber");
        d.put(SOP_CLASS_UID, r.sopClassUid());
        d.put(INSTANCE_NUMBER, number);
        d.put(INSTANCE_ORDER, number == null ? ABSENT_NUMBER : number.longValue());
        d.put(TRANSFER_SYNTAX_UID, r.transferSyntaxUid());
        d.put(BLOB_KEY, r.blobKey());
        d.put(BLOB_SIZE, r.blobSize());
        d.put(ATTRS, new Binary(HeaderExtract.instanceAttributes(r)));
        return d;
    }
}

package dev.stratus.index.mongodb;

import dev.stratus.codec.DataDictionary;
import dev.stratus.index.AttributeLevels;
import dev.stratus.index.query.Level;

import java.util.HashMap;
import java.util.Map;

import static dev.stratus.index.mongodb.Fields.*;

/** The attributes QIDO can match and sort on (as the SQL index does), each with its field and how it compares. */
final class QueryFields {
    private QueryFields() {}

    enum Kind {
        /** Exact string; wild cards as an anchored regular expression. */
        TEXT,
        /** Exact; wild cards are refused by the parser. */
        UID,
        /** Upper-cased field: case-insensitive; fuzzy matching on the tokens field. */
        PERSON_NAME,
        /** YYYYMMDD strings: compare in order. */
        DATE,
        /** HHMMSS.FFFFFF strings: a range bound covers every finer time it is a prefix of. */
        TIME,
        INTEGER
    }

    /**
     * @param tokens     for person names, the field of their fuzzy-matching tokens
     * @param order      for numbers, the field that sorts absent values last in ascending order
     * @param everywhere the UID field that documents of lower levels carry too (study_uid, series_uid)
     */
    record Field(Level level, String name, Kind kind, String tokens, String order, boolean nullable, boolean everywhere) {
        /** The field's path in a document of {@code searched} level, whose parents are joined as "study" and "series". */
        String path(Level searched) {
            return everywhere ? name : path(searched, name);
        }

        /** Another field of the same document (tokens, order) in a document of {@code searched} level. */
        String path(Level searched, String field) {
            if (level == searched) return field;
            return (level == Level.STUDY ? "study." : "series.") + field;
        }
    }

    private static final Map<Integer, Field> MATCHABLE = new HashMap<>();
    private static final Map<Integer, Field> SORTABLE = new HashMap<>();

    static {
        uid(Level.STUDY, "StudyInstanceUID", STUDY_UID, true);
        study("PatientID", PATIENT_ID, Kind.TEXT);
        study("IssuerOfPatientID", ISSUER_OF_PATIENT_ID, Kind.TEXT);
        name("PatientName", PATIENT_NAME, PATIENT_NAME_TOKENS);
        study("PatientBirthDate", PATIENT_BIRTH_DATE, Kind.DATE);
        study("PatientSex", PATIENT_SEX, Kind.TEXT);
        study("StudyDate", STUDY_DATE, Kind.DATE);
        study("StudyTime", STUDY_TIME, Kind.TIME);
        study("AccessionNumber", ACCESSION_NUMBER, Kind.TEXT);
        study("StudyID", STUDY_ID, Kind.TEXT);
        name("ReferringPhysicianName", REFERRING_PHYSICIAN_NAME, REFERRING_PHYSICIAN_NAME_TOKENS);
        study("StudyDescription", STUDY_DESCRIPTION, Kind.TEXT);
        uid(Level.SERIES, "SeriesInstanceUID", SERIES_UID, true);
        put("Modality", new Field(Level.SERIES, MODALITY, Kind.TEXT, null, null, true, false));
        put("SeriesNumber", new Field(Level.SERIES, SERIES_NUMBER, Kind.INTEGER, null, SERIES_ORDER, true, false));
        put("SeriesDescription", new Field(Level.SERIES, SERIES_DESCRIPTION, Kind.TEXT, null, null, true, false));
        put("PerformedProcedureStepStartDate", new Field(Level.SERIES, PPS_START_DATE, Kind.DATE, null, null, true, false));
        put("PerformedProcedureStepStartTime", new Field(Level.SERIES, PPS_START_TIME, Kind.TIME, null, null, true, false));
        uid(Level.INSTANCE, "SOPInstanceUID", SOP_INSTANCE_UID, false);
        put("SOPClassUID", new Field(Level.INSTANCE, SOP_CLASS_UID, Kind.UID, null, null, true, false));
        put("InstanceNumber", new Field(Level.INSTANCE, INSTANCE_NUMBER, Kind.INTEGER, null, INSTANCE_ORDER, true, false));
        SORTABLE.putAll(MATCHABLE);
        SORTABLE.put(AttributeLevels.NUMBER_OF_STUDY_RELATED_SERIES, new Field(Level.STUDY, NUM_SERIES, Kind.INTEGER, null, null, false, false));
        SORTABLE.put(AttributeLevels.NUMBER_OF_STUDY_RELATED_INSTANCES, new Field(Level.STUDY, NUM_INSTANCES, Kind.INTEGER, null, null, false, false));
        SORTABLE.put(AttributeLevels.NUMBER_OF_SERIES_RELATED_INSTANCES, new Field(Level.SERIES, NUM_INSTANCES, Kind.INTEGER, null, null, false, false));
        SORTABLE.put(AttributeLevels.MODALITIES_IN_STUDY, new Field(Level.STUDY, MODALITIES_TEXT, Kind.TEXT, null, null, true, false));
    }

    /** The field to match a tag on, or null when the index does not match on it. */
    static Field matchable(int tag) { return MATCHABLE.get(tag); }

    static Field sortable(int tag) { return SORTABLE.get(tag); }

    private static void study(String keyword, String field, Kind kind) {
        put(keyword, new Field(Level.STUDY, field, kind, null, null, true, false));
    }

    private static void name(String keyword, String field, String tokens) {
        put(keyword, new Field(Level.STUDY, field, Kind.PERSON_NAME, tokens, null, true, false));
    }

    private static void uid(Level level, String keyword, String field, boolean everywhere) {
        put(keyword, new Field(level, field, Kind.UID, null, null, false, everywhere));
    }

    private static void put(String keyword, Field f) {
        MATCHABLE.put(DataDictionary.tagOf(keyword), f);
    }
}

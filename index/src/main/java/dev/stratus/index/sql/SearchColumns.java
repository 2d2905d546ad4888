package dev.stratus.index.sql;

import dev.stratus.codec.DataDictionary;
import dev.stratus.index.AttributeLevels;
import dev.stratus.index.query.Level;
import org.jooq.Field;

import java.util.HashMap;
import java.util.Map;

import static dev.stratus.index.sql.Tables.INSTANCE;
import static dev.stratus.index.sql.Tables.SERIES;
import static dev.stratus.index.sql.Tables.STUDY;

/** The attributes QIDO can match and sort on, each with the column that holds it and how it compares. */
final class SearchColumns {
    private SearchColumns() {}

    enum Kind {
        /** Exact string, LIKE for wild cards. */
        TEXT,
        /** Exact; wild cards are refused by the parser. */
        UID,
        /** Upper-cased column: case-insensitive; fuzzy matching through the token table. */
        PERSON_NAME,
        /** YYYYMMDD strings: compare in order. */
        DATE,
        /** HHMMSS.FFFFFF strings: a range bound covers every finer time it is a prefix of. */
        TIME,
        INTEGER
    }

    record Column(Level level, Field<?> field, Kind kind) {}

    private static final Map<Integer, Column> MATCHABLE = new HashMap<>();
    private static final Map<Integer, Column> SORTABLE = new HashMap<>();

    static {
        study("StudyInstanceUID", STUDY.studyUid, Kind.UID);
        study("PatientID", STUDY.patientId, Kind.TEXT);
        study("IssuerOfPatientID", STUDY.issuerOfPatientId, Kind.TEXT);
        study("PatientName", STUDY.patientName, Kind.PERSON_NAME);
        study("PatientBirthDate", STUDY.patientBirthDate, Kind.DATE);
        study("PatientSex", STUDY.patientSex, Kind.TEXT);
        study("StudyDate", STUDY.studyDate, Kind.DATE);
        study("StudyTime", STUDY.studyTime, Kind.TIME);
        study("AccessionNumber", STUDY.accessionNumber, Kind.TEXT);
        study("StudyID", STUDY.studyId, Kind.TEXT);
        study("ReferringPhysicianName", STUDY.referringPhysicianName, Kind.PERSON_NAME);
        study("StudyDescription", STUDY.studyDescription, Kind.TEXT);
        series("SeriesInstanceUID", SERIES.seriesUid, Kind.UID);
        series("Modality", SERIES.modality, Kind.TEXT);
        series("SeriesNumber", SERIES.seriesNumber, Kind.INTEGER);
        series("SeriesDescription", SERIES.seriesDescription, Kind.TEXT);
        series("PerformedProcedureStepStartDate", SERIES.ppsStartDate, Kind.DATE);
        series("PerformedProcedureStepStartTime", SERIES.ppsStartTime, Kind.TIME);
        instance("SOPInstanceUID", INSTANCE.sopInstanceUid, Kind.UID);
        instance("SOPClassUID", INSTANCE.sopClassUid, Kind.UID);
        instance("InstanceNumber", INSTANCE.instanceNumber, Kind.INTEGER);
        SORTABLE.putAll(MATCHABLE);
        SORTABLE.put(AttributeLevels.NUMBER_OF_STUDY_RELATED_SERIES, new Column(Level.STUDY, STUDY.numSeries, Kind.INTEGER));
        SORTABLE.put(AttributeLevels.NUMBER_OF_STUDY_RELATED_INSTANCES, new Column(Level.STUDY, STUDY.numInstances, Kind.INTEGER));
        SORTABLE.put(AttributeLevels.NUMBER_OF_SERIES_RELATED_INSTANCES, new Column(Level.SERIES, SERIES.numInstances, Kind.INTEGER));
        SORTABLE.put(AttributeLevels.MODALITIES_IN_STUDY, new Column(Level.STUDY, STUDY.modalities, Kind.TEXT));
    }

    /** The column to match a tag on, or null when the index does not match on it. */
    static Column matchable(int tag) { return MATCHABLE.get(tag); }

    static Column sortable(int tag) { return SORTABLE.get(tag); }

    private static void study(String keyword, Field<?> f, Kind k) { put(keyword, Level.STUDY, f, k); }

    private static void series(String keyword, Field<?> f, Kind k) { put(keyword, Level.SERIES, f, k); }

    private static void instance(String keyword, Field<?> f, Kind k) { put(keyword, Level.INSTANCE, f, k); }

    private static void put(String keyword, Level level, Field<?> f, Kind k) {
        MATCHABLE.put(DataDictionary.tagOf(keyword), new Column(level, f, k));
    }
}

package dev.stratus.index.sql;

import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.util.List;

/**
 * The tables of db/migration/&lt;vendor&gt;/V1__schema.sql as jOOQ names and typed fields, written by hand
 * (no code generation) so that a reader sees the SQL. Names render unquoted, as the DDL declares them.
 */
final class Tables {
    private Tables() {}

    private static final DataType<String> UID = SQLDataType.VARCHAR(64);
    private static final DataType<String> TEXT = SQLDataType.VARCHAR(255); // declared before the tables that use them

    static final StudyTable STUDY = new StudyTable();
    static final SeriesTable SERIES = new SeriesTable();
    static final InstanceTable INSTANCE = new InstanceTable();
    static final MetadataTable METADATA = new MetadataTable();
    static final NameTokenTable NAME_TOKEN = new NameTokenTable();
    static final OutboxTable OUTBOX = new OutboxTable();
    static final StudyModalityTable STUDY_MODALITY = new StudyModalityTable();

    static final class StudyTable {
        final Table<Record> table = DSL.table(DSL.name("study"));
        final Field<String> tenant = f("tenant", UID);
        final Field<String> studyUid = f("study_uid", UID);
        final Field<String> patientId = f("patient_id", TEXT);
        final Field<String> issuerOfPatientId = f("issuer_of_patient_id", TEXT);
        final Field<String> patientName = f("patient_name", TEXT);
        final Field<String> patientBirthDate = f("patient_birth_date", SQLDataType.VARCHAR(8));
        final Field<String> patientSex = f("patient_sex", SQLDataType.VARCHAR(16));
        final Field<String> studyDate = f("study_date", SQLDataType.VARCHAR(8));
        final Field<String> studyTime = f("study_time", SQLDataType.VARCHAR(32));
        final Field<String> accessionNumber = f("accession_number", TEXT);
        final Field<String> studyId = f("study_id", TEXT);
        final Field<String> referringPhysicianName = f("referring_physician_name", TEXT);
        final Field<String> studyDescription = f("study_description", TEXT);
        final Field<Integer> numSeries = f("num_series", SQLDataType.INTEGER);
        final Field<Integer> numInstances = f("num_instances", SQLDataType.INTEGER);
        final Field<String> modalities = f("modalities", SQLDataType.VARCHAR(1024));
        final Field<String> sopClasses = f("sop_classes", SQLDataType.VARCHAR(4000));
        final Field<Long> updatedTime = f("updated_time", SQLDataType.BIGINT);
        final Field<byte[]> attrs = f("attrs", SQLDataType.VARBINARY);

        private <T> Field<T> f(String column, DataType<T> type) { return DSL.field(DSL.name("study", column), type); }
    }

    static final class SeriesTable {
        final Table<Record> table = DSL.table(DSL.name("series"));
        final Field<String> tenant = f("tenant", UID);
        final Field<String> seriesUid = f("series_uid", UID);
        final Field<String> studyUid = f("study_uid", UID);
        final Field<String> modality = f("modality", SQLDataType.VARCHAR(16));
        final Field<Integer> seriesNumber = f("series_number", SQLDataType.INTEGER);
        final Field<String> seriesDescription = f("series_description", TEXT);
        final Field<String> ppsStartDate = f("pps_start_date", SQLDataType.VARCHAR(8));
        final Field<String> ppsStartTime = f("pps_start_time", SQLDataType.VARCHAR(32));
        final Field<Integer> numInstances = f("num_instances", SQLDataType.INTEGER);
        final Field<String> sopClasses = f("sop_classes", SQLDataType.VARCHAR(4000));
        final Field<Long> updatedTime = f("updated_time", SQLDataType.BIGINT);
        final Field<byte[]> attrs = f("attrs", SQLDataType.VARBINARY);

        private <T> Field<T> f(String column, DataType<T> type) { return DSL.field(DSL.name("series", column), type); }
    }

    static final class InstanceTable {
        final Table<Record> table = DSL.table(DSL.name("instance"));
        final Field<String> tenant = f("tenant", UID);
        final Field<String> sopInstanceUid = f("sop_instance_uid", UID);
        final Field<String> seriesUid = f("series_uid", UID);
        final Field<String> studyUid = f("study_uid", UID);
        final Field<String> sopClassUid = f("sop_class_uid", UID);
        final Field<Integer> instanceNumber = f("instance_number", SQLDataType.INTEGER);
        final Field<String> transferSyntaxUid = f("transfer_syntax_uid", UID);
        final Field<String> blobKey = f("blob_key", SQLDataType.VARCHAR(1024));
        final Field<Long> blobSize = f("blob_size", SQLDataType.BIGINT);
        final Field<byte[]> attrs = f("attrs", SQLDataType.VARBINARY);

        /** The columns of a StoredInstance. */
        List<Field<?>> stored() {
            return List.of(tenant, studyUid, seriesUid, sopInstanceUid, sopClassUid, transferSyntaxUid, blobKey, blobSize,
                    instanceNumber);
        }

        private <T> Field<T> f(String column, DataType<T> type) { return DSL.field(DSL.name("instance", column), type); }
    }

    static final class MetadataTable {
        final Table<Record> table = DSL.table(DSL.name("series_metadata"));
        final Field<String> tenant = f("tenant", UID);
        final Field<String> seriesUid = f("series_uid", UID);
        final Field<String> studyUid = f("study_uid", UID);
        final Field<Long> seriesTime = f("series_time", SQLDataType.BIGINT);
        final Field<Long> flagTime = f("flag_time", SQLDataType.BIGINT);
        final Field<String> status = f("status", SQLDataType.VARCHAR(16));
        final Field<Integer> retries = f("retries", SQLDataType.INTEGER);
        final Field<Long> nextAttemptTime = f("next_attempt_time", SQLDataType.BIGINT);
        final Field<String> leaseOwner = f("lease_owner", TEXT);
        final Field<Long> leaseExpiry = f("lease_expiry", SQLDataType.BIGINT);
        final Field<String> documentKey = f("document_key", SQLDataType.VARCHAR(1024));
        final Field<String> lastError = f("last_error", SQLDataType.VARCHAR(4000));

        private <T> Field<T> f(String column, DataType<T> type) {
            return DSL.field(DSL.name("series_metadata", column), type);
        }
    }

    static final class NameTokenTable {
        final Table<Record> table = DSL.table(DSL.name("person_name_token"));
        final Field<String> tenant = f("tenant", UID);
        final Field<Integer> attributeTag = f("attribute_tag", SQLDataType.INTEGER);
        final Field<String> token = f("token", SQLDataType.VARCHAR(64));
        final Field<String> studyUid = f("study_uid", UID);

        private <T> Field<T> f(String column, DataType<T> type) {
            return DSL.field(DSL.name("person_name_token", column), type);
        }
    }

    /** db/migration/&lt;vendor&gt;/V2__event_outbox.sql. */
    static final class OutboxTable {
        final Table<Record> table = DSL.table(DSL.name("event_outbox"));
        final Field<Long> id = f("id", SQLDataType.BIGINT);
        final Field<String> kind = f("kind", SQLDataType.VARCHAR(32));
        final Field<String> tenant = f("tenant", UID);
        final Field<String> studyUid = f("study_uid", UID);
        final Field<String> seriesUid = f("series_uid", UID);
        final Field<String> sopInstanceUid = f("sop_instance_uid", UID);
        final Field<String> sopClassUid = f("sop_class_uid", UID);
        final Field<Long> createdTime = f("created_time", SQLDataType.BIGINT);
        final Field<Long> leaseExpiry = f("lease_expiry", SQLDataType.BIGINT);

        private <T> Field<T> f(String column, DataType<T> type) {
            return DSL.field(DSL.name("event_outbox", column), type);
        }
    }

    /** db/migration/&lt;vendor&gt;/V3__study_modality.sql: a study's modalities, each with the study's date and time. */
    static final class StudyModalityTable {
        final Table<Record> table = DSL.table(DSL.name("study_modality"));
        final Field<String> tenant = f("tenant", UID);
        final Field<String> studyUid = f("study_uid", UID);
        final Field<String> modality = f("modality", SQLDataType.VARCHAR(16));
        final Field<String> studyDate = f("study_date", SQLDataType.VARCHAR(8));
        final Field<String> studyTime = f("study_time", SQLDataType.VARCHAR(32));

        private <T> Field<T> f(String column, DataType<T> type) {
            return DSL.field(DSL.name("study_modality", column), type);
        }
    }
}

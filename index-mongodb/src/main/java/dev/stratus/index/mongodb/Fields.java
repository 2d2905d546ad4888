package dev.stratus.index.mongodb;

/**
 * The document layout, one name per field, shared by writers and queries. Every document's _id is
 * "&lt;tenant&gt;/&lt;uid&gt;" (a tenant name has no '/'), so a key alone names a study, series or instance of a tenant.
 *
 * <ul>
 *   <li>{@code studies}: patient and study attributes to match on (person names upper-cased), their fuzzy
 *       tokens, counts, modalities and SOP classes recounted from the series, returned attributes in attrs.</li>
 *   <li>{@code series}: series attributes, counts, updated_time, and the metadata-document tracking in
 *       {@code metadata}: flag_time, status, retries, next_attempt_time, lease_owner, lease_expiry,
 *       document_key, last_error.</li>
 *   <li>{@code instances}: where the bytes are, and the instance's returned attributes.</li>
 * </ul>
 * {@code version} counts the recounts of a study or series: a recount writes only if nobody recounted since it read.
 */
final class Fields {
    private Fields() {}

    static final String ID = "_id";
    static final String TENANT = "tenant";
    static final String STUDY_UID = "study_uid";
    static final String SERIES_UID = "series_uid";
    static final String SOP_INSTANCE_UID = "sop_instance_uid";
    static final String STUDY_KEY = "study_key";
    static final String SERIES_KEY = "series_key";
    static final String ATTRS = "attrs";
    static final String VERSION = "version";
    static final String UPDATED_TIME = "updated_time";
    static final String NUM_INSTANCES = "num_instances";
    static final String SOP_CLASSES = "sop_classes";

    // studies
    static final String PATIENT_ID = "patient_id";
    static final String ISSUER_OF_PATIENT_ID = "issuer_of_patient_id";
    static final String PATIENT_NAME = "patient_name";
    static final String PATIENT_NAME_TOKENS = "patient_name_tokens";
    static final String PATIENT_BIRTH_DATE = "patient_birth_date";
    static final String PATIENT_SEX = "patient_sex";
    static final String STUDY_DATE = "study_date";
    static final String STUDY_TIME = "study_time";
    static final String ACCESSION_NUMBER = "accession_number";
    static final String STUDY_ID = "study_id";
    static final String REFERRING_PHYSICIAN_NAME = "referring_physician_name";
    static final String REFERRING_PHYSICIAN_NAME_TOKENS = "referring_physician_name_tokens";
    static final String STUDY_DESCRIPTION = "study_description";
    static final String NUM_SERIES = "num_series";
    /** Distinct modalities of the study's series, for matching ModalitiesInStudy. */
    static final String MODALITIES = "modalities";
    /** The same joined with '\' and cut to 1024 characters, as returned and sorted on. */
    static final String MODALITIES_TEXT = "modalities_text";

    // series
    static final String MODALITY = "modality";
    static final String SERIES_NUMBER = "series_number";
    /** series_number, or a number above every integer when absent: ascending order puts unnumbered series last. */
    static final String SERIES_ORDER = "series_order";
    static final String SERIES_DESCRIPTION = "series_description";
    static final String PPS_START_DATE = "pps_start_date";
    static final String PPS_START_TIME = "pps_start_time";
    static final String METADATA = "metadata";
    static final String FLAG_TIME = "metadata.flag_time";
    static final String STATUS = "metadata.status";
    static final String RETRIES = "metadata.retries";
    static final String NEXT_ATTEMPT_TIME = "metadata.next_attempt_time";
    static final String LEASE_OWNER = "metadata.lease_owner";
    static final String LEASE_EXPIRY = "metadata.lease_expiry";
    static final String DOCUMENT_KEY = "metadata.document_key";
    static final String LAST_ERROR = "metadata.last_error";

    // instances
    static final String SOP_CLASS_UID = "sop_class_uid";
    static final String INSTANCE_NUMBER = "instance_number";
    /** instance_number, or a number above every integer when absent. */
    static final String INSTANCE_ORDER = "instance_order";
    static final String TRANSFER_SYNTAX_UID = "transfer_syntax_uid";
    static final String BLOB_KEY = "blob_key";
    static final String BLOB_SIZE = "blob_size";

    /** Sorts after every IS value (a 32-bit integer), so that absent numbers come last in ascending order. */
    static final long ABSENT_NUMBER = 1L << 40;

    static String key(String tenant, String uid) {
        return tenant + "/" + uid;
    }
}

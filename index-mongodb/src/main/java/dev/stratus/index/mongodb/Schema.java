package dev.stratus.index.mongodb;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

import static com.mongodb.client.model.Indexes.ascending;
import static com.mongodb.client.model.Indexes.compoundIndex;
import static com.mongodb.client.model.Indexes.descending;
import static dev.stratus.index.mongodb.Fields.*;

/**
 * Versioned setup of the collections' indexes. The version reached is kept in the document
 * {@code {_id: "schema_version", version: n}} of the collection {@code schema}; each step is idempotent,
 * so that two servers migrating at once do no harm. A database newer than this code is refused.
 */
final class Schema {
    private Schema() {}

    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);
    static final String COLLECTION = "schema";
    static final String VERSION_ID = "schema_version";

    /** Step n brings the database to version n + 1; append, never edit, once released. */
    private static final List<Consumer<Database>> STEPS = List.of(Schema::v1);

    static int codeVersion() { return STEPS.size(); }

    /** Brings the database to the code's version; refuses one that a newer Stratus has set up. */
    static void migrate(Database d) {
        MongoCollection<Document> schema = d.db.getCollection(COLLECTION);
        int current = storedVersion(schema);
        if (current > codeVersion()) {
            throw new IllegalStateException("the index database '" + d.db.getName() + "' has schema version " + current
                    + ", newer than this Stratus understands (" + codeVersion() + "): upgrade Stratus or use another database");
        }
        for (int v = current; v < codeVersion(); v++) {
            LOG.info("index database '{}': migrating schema to version {}", d.db.getName(), v + 1);
            STEPS.get(v).accept(d);
            schema.updateOne(Filters.eq(ID, VERSION_ID), Updates.max(VERSION, v + 1), new UpdateOptions().upsert(true));
        }
    }

    static int storedVersion(MongoCollection<Document> schema) {
        Document doc = schema.find(Filters.eq(ID, VERSION_ID)).first();
        return doc == null ? 0 : doc.get(VERSION, Number.class).intValue();
    }

    // Version 1: an index for each typical QIDO query, the study→series→instance listing and the pending-series query.
    private static void v1(Database d) {
        Bson newestFirst = compoundIndex(descending(STUDY_DATE), descending(STUDY_TIME), ascending(STUDY_UID));
        index(d.studies, "ix_study_date", ascending(TENANT), newestFirst);
        index(d.studies, "ix_study_uid", ascending(TENANT, STUDY_UID));
        index(d.studies, "ix_patient_id", ascending(TENANT, PATIENT_ID), newestFirst);
        index(d.studies, "ix_patient_name", ascending(TENANT, PATIENT_NAME));
        index(d.studies, "ix_patient_name_tokens", ascending(TENANT, PATIENT_NAME_TOKENS));
        index(d.studies, "ix_referring", ascending(TENANT, REFERRING_PHYSICIAN_NAME));
        index(d.studies, "ix_referring_tokens", ascending(TENANT, REFERRING_PHYSICIAN_NAME_TOKENS));
        index(d.studies, "ix_accession", ascending(TENANT, ACCESSION_NUMBER));
        index(d.studies, "ix_study_id", ascending(TENANT, STUDY_ID));
        index(d.studies, "ix_modalities", ascending(TENANT, MODALITIES), newestFirst);

        index(d.series, "ix_series_of_study", ascending(TENANT, STUDY_UID, SERIES_ORDER, SERIES_UID));
        index(d.series, "ix_series_uid", ascending(TENANT, SERIES_UID));
        index(d.series, "ix_modality", ascending(TENANT, MODALITY, STUDY_UID));
        // The pending-series query: status in (PENDING, BUILDING), oldest change first.
        index(d.series, "ix_pending", ascending(STATUS, UPDATED_TIME, NEXT_ATTEMPT_TIME));

        index(d.instances, "ix_instances_of_series", ascending(TENANT, SERIES_UID, INSTANCE_ORDER, SOP_INSTANCE_UID));
        index(d.instances, "ix_instances_of_study", ascending(TENANT, STUDY_UID, SERIES_UID));
        index(d.instances, "ix_sop_instance_uid", ascending(TENANT, SOP_INSTANCE_UID));
        index(d.instances, "ix_sop_class", ascending(TENANT, SOP_CLASS_UID));
    }

    private static void index(MongoCollection<Document> c, String name, Bson... keys) {
        c.createIndex(keys.length == 1 ? keys[0] : Indexes.compoundIndex(keys), new IndexOptions().name(name));
    }
}

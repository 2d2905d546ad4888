package dev.stratus.index.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The versioned setup: indexes created once, the version recorded, a newer database refused. */
class MongoSchemaTest {
    private final String uri = TestMongo.withDatabase(TestMongo.memoryServerUri(), TestMongo.randomDatabase());

    @AfterEach
    void drop() {
        TestMongo.drop(uri);
    }

    @Test
    void migratingCreatesTheIndexesAndRecordsTheVersion() {
        MongoIndex.open(uri, true).close();
        MongoIndex.open(uri, true).close(); // again: nothing to do
        try (MongoClient client = MongoClients.create(uri)) {
            MongoDatabase db = client.getDatabase(TestMongo.databaseOf(uri));
            assertEquals(Schema.codeVersion(), Schema.storedVersion(db.getCollection(Schema.COLLECTION)));
            assertTrue(indexNames(db, "studies").containsAll(List.of("ix_study_date", "ix_patient_id", "ix_patient_name_tokens", "ix_modalities")));
            assertTrue(indexNames(db, "series").containsAll(List.of("ix_series_of_study", "ix_pending")));
            assertTrue(indexNames(db, "instances").containsAll(List.of("ix_instances_of_series", "ix_sop_instance_uid")));
        }
    }

    @Test
    void aDatabaseOfANewerStratusIsRefused() {
        MongoIndex.open(uri, true).close();
        try (MongoClient client = MongoClients.create(uri)) {
            client.getDatabase(TestMongo.databaseOf(uri)).getCollection(Schema.COLLECTION)
                    .updateOne(Filters.eq("_id", Schema.VERSION_ID), Updates.set("version", Schema.codeVersion() + 1));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MongoIndex.open(uri, true));
        assertTrue(e.getMessage().contains("newer than this Stratus understands"), e.getMessage());
    }

    private static List<String> indexNames(MongoDatabase db, String collection) {
        return db.getCollection(collection).listIndexes().map(i -> i.getString("name")).into(new ArrayList<>());
    }
}

package dev.stratus.index.mongodb;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.stratus.index.DeleteResult;
import org.bson.Document;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static dev.stratus.index.mongodb.Fields.*;

/** Deletes of a study, a series or an instance; the series and study are recounted as after a store. */
final class DeleteOperation {
    private DeleteOperation() {}

    private static final DeleteResult NOTHING = new DeleteResult(0, List.of(), List.of());
    private static final int BATCH = 1000;
    private static final int ROUNDS = 1000;

    /** What removing one series gave: the blob keys of its instances and its metadata document key, if any. */
    private record Removed(List<String> blobKeys, String documentKey) {}

    static DeleteResult instance(Database d, String tenant, String studyUid, String seriesUid, String sopUid) {
        Document deleted = d.instances.findOneAndDelete(and(eq(ID, key(tenant, sopUid)), eq(SERIES_UID, seriesUid),
                eq(STUDY_UID, studyUid)), new FindOneAndDeleteOptions().projection(Projections.include(BLOB_KEY)));
        if (deleted == null) return NOTHING;
        String documentKey = Recount.refreshSeries(d, tenant, seriesUid, null, null);
        Recount.refreshStudy(d, tenant, studyUid, null);
        return new DeleteResult(1, List.of(deleted.getString(BLOB_KEY)), documentKey == null ? List.of() : List.of(documentKey));
    }

    static DeleteResult series(Database d, String tenant, String studyUid, String seriesUid) {
        Document series = d.series.find(eq(ID, key(tenant, seriesUid))).projection(Projections.include(STUDY_UID)).first();
        if (series == null || !Recount.sameStudy(series, studyUid)) return NOTHING;
        Removed removed = removeSeries(d, tenant, seriesUid);
        Recount.refreshStudy(d, tenant, studyUid, null);
        return new DeleteResult(removed.blobKeys().size(), removed.blobKeys(),
                removed.documentKey() == null ? List.of() : List.of(removed.documentKey()));
    }

    static DeleteResult study(Database d, String tenant, String studyUid) {
        List<String> seriesUids = d.series.find(and(eq(TENANT, tenant), eq(STUDY_UID, studyUid)))
                .projection(Projections.include(SERIES_UID)).sort(Sorts.ascending(SERIES_UID))
                .map(s -> s.getString(SERIES_UID)).into(new ArrayList<>());
        if (seriesUids.isEmpty()) {
            d.studies.deleteOne(eq(ID, key(tenant, studyUid)));
            return NOTHING;
        }
        List<String> blobKeys = new ArrayList<>(), documentKeys = new ArrayList<>();
        for (String s : seriesUids) {
            Removed removed = removeSeries(d, tenant, s);
            blobKeys.addAll(removed.blobKeys());
            documentKeys.add(removed.documentKey());
        }
        documentKeys.removeIf(Objects::isNull);
        Recount.refreshStudy(d, tenant, studyUid, null); // removes the study, unless a store just added a series
        return new DeleteResult(blobKeys.size(), blobKeys, documentKeys);
    }

    /**
     * Deletes a series' instances in batches, then the series document if no store recounted it meanwhile
     * (otherwise the instances that store added go too, in the next round). Each instance is deleted only
     * with the blob key that was read, so a key replaced meanwhile is never lost.
     */
    private static Removed removeSeries(Database d, String tenant, String seriesUid) {
        String id = key(tenant, seriesUid);
        List<String> blobKeys = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Document series = d.series.find(eq(ID, id)).projection(Projections.include(VERSION, METADATA)).first();
            if (series == null) return new Removed(blobKeys, null); // removed by a concurrent delete
            List<Document> batch = d.instances.find(and(eq(TENANT, tenant), eq(SERIES_UID, seriesUid)))
                    .projection(Projections.include(BLOB_KEY)).limit(BATCH).into(new ArrayList<>());
            if (batch.isEmpty()) {
                if (d.series.deleteOne(and(eq(ID, id), eq(VERSION, series.get(VERSION)))).getDeletedCount() == 1) {
                    return new Removed(blobKeys, Recount.documentKey(series));
                }
                continue;
            }
            blobKeys.addAll(deleteInstances(d, batch));
        }
        throw new IllegalStateException("series " + seriesUid + " keeps receiving instances while being deleted");
    }

    /** Deletes the instances read, each only if its blob key is unchanged; returns the blob keys of those now gone. */
    private static List<String> deleteInstances(Database d, List<Document> batch) {
        List<DeleteOneModel<Document>> deletes = new ArrayList<>(batch.size());
        for (Document i : batch) deletes.add(new DeleteOneModel<>(and(eq(ID, i.get(ID)), eq(BLOB_KEY, i.getString(BLOB_KEY)))));
        BulkWriteResult result = d.instances.bulkWrite(deletes, new BulkWriteOptions().ordered(false));
        List<String> keys = new ArrayList<>(batch.size());
        if (result.getDeletedCount() == batch.size()) {
            for (Document i : batch) keys.add(i.getString(BLOB_KEY));
            return keys;
        }
        // Some were replaced (kept, deleted in a later round) or deleted by a concurrent delete (reported by both).
        Set<Object> remaining = new HashSet<>();
        d.instances.find(in(ID, batch.stream().map(i -> i.get(ID)).toList())).projection(Projections.include(BLOB_KEY))
                .forEach(i -> remaining.add(List.of(i.get(ID), String.valueOf(i.getString(BLOB_KEY)))));
        for (Document i : batch) {
            if (!remaining.contains(List.of(i.get(ID), String.valueOf(i.getString(BLOB_KEY))))) keys.add(i.getString(BLOB_KEY));
        }
        return keys;
    }
}

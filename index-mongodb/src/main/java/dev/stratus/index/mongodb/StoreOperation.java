package dev.stratus.index.mongodb;

import com.mongodb.MongoException;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.StoreResult;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static dev.stratus.index.mongodb.Fields.*;

/**
 * One store: series in UID order, each instance upserted by one atomic findOneAndUpdate (an instance of
 * another series shows as a duplicate _id), then each touched series and study recounted.
 */
final class StoreOperation {
    private record SeriesKey(String tenant, String seriesUid) {}

    private record StudyKey(String tenant, String studyUid) {}

    private static final Comparator<SeriesKey> SERIES_ORDER =
            Comparator.comparing(SeriesKey::tenant).thenComparing(SeriesKey::seriesUid);
    private static final Comparator<StudyKey> STUDY_ORDER =
            Comparator.comparing(StudyKey::tenant).thenComparing(StudyKey::studyUid);
    private static final FindOneAndUpdateOptions UPSERT_RETURNING_OLD = new FindOneAndUpdateOptions()
            .upsert(true).returnDocument(ReturnDocument.BEFORE).projection(Projections.include(BLOB_KEY));

    private final Database d;
    private final List<StoreResult.Replaced> replaced = new ArrayList<>();
    private final List<StoreResult.Conflict> conflicts = new ArrayList<>();
    private final TreeMap<StudyKey, InstanceRecord> newestPerStudy = new TreeMap<>(STUDY_ORDER);

    private StoreOperation(Database d) {
        this.d = d;
    }

    static StoreResult run(Database d, List<InstanceRecord> batch) {
        StoreOperation op = new StoreOperation(d);
        TreeMap<SeriesKey, List<InstanceRecord>> bySeries = new TreeMap<>(SERIES_ORDER);
        for (InstanceRecord r : batch) {
            bySeries.computeIfAbsent(new SeriesKey(r.tenant().name(), r.seriesUid()), k -> new ArrayList<>()).add(r);
        }
        for (var e : bySeries.entrySet()) op.storeSeries(e.getKey(), e.getValue());
        for (var e : op.newestPerStudy.entrySet()) {
            Recount.refreshStudy(d, e.getKey().tenant(), e.getKey().studyUid(), e.getValue());
        }
        return new StoreResult(List.copyOf(op.replaced), List.copyOf(op.conflicts));
    }

    // UIDs are keys: a malformed one is the caller's error, refused before anything is written.
    static void validate(List<InstanceRecord> batch) {
        for (InstanceRecord r : batch) {
            for (String uid : new String[] {r.studyUid(), r.seriesUid(), r.sopInstanceUid()}) {
                if (uid == null || uid.isEmpty() || uid.length() > 64) {
                    throw new IllegalArgumentException("UIDs must be 1 to 64 characters: " + uid + " in " + r.sopInstanceUid());
                }
            }
        }
    }

    private void storeSeries(SeriesKey key, List<InstanceRecord> records) {
        Document series = Recount.seriesCreating(d, key.tenant(), key.seriesUid(), records.getFirst().studyUid());
        String seriesStudy = series.getString(STUDY_UID);
        InstanceRecord newest = null;
        for (InstanceRecord r : records) {
            if (!seriesStudy.equals(r.studyUid())) {
                conflicts.add(new StoreResult.Conflict(r.sopInstanceUid(),
                        "series " + key.seriesUid() + " belongs to study " + seriesStudy + ", not " + r.studyUid()));
            } else if (storeInstance(r)) {
                newest = r;
            }
        }
        if (newest != null) {
            Recount.refreshSeries(d, key.tenant(), key.seriesUid(), seriesStudy, newest);
            newestPerStudy.put(new StudyKey(key.tenant(), seriesStudy), newest);
        } else if (series.get(UPDATED_TIME, Number.class).longValue() == 0L) {
            Recount.removeEmptySeries(d, key.tenant(), key.seriesUid()); // created by this store, left empty by conflicts
        }
    }

    /** Inserts or replaces one instance; false when it conflicts with one stored elsewhere in the tenant. */
    private boolean storeInstance(InstanceRecord r) {
        String tenant = r.tenant().name();
        String id = key(tenant, r.sopInstanceUid());
        Document values = HeaderFields.instance(r);
        Document update = new Document("$set", values).append("$setOnInsert", new Document(TENANT, tenant)
                .append(SOP_INSTANCE_UID, r.sopInstanceUid())
                .append(STUDY_KEY, key(tenant, r.studyUid())).append(SERIES_KEY, key(tenant, r.seriesUid())));
        for (int attempt = 1; ; attempt++) {
            try {
                // Matches only an instance of this series: one stored elsewhere makes the upsert's insert a duplicate _id.
                Document old = d.instances.findOneAndUpdate(
                        and(eq(ID, id), eq(SERIES_UID, r.seriesUid()), eq(STUDY_UID, r.studyUid())), update, UPSERT_RETURNING_OLD);
                // The old bytes go only if the new ones live elsewhere: same key means they were overwritten in place.
                if (old != null && !Objects.equals(old.getString(BLOB_KEY), r.blobKey())) {
                    replaced.add(new StoreResult.Replaced(r.sopInstanceUid(), old.getString(BLOB_KEY)));
                }
                return true;
            } catch (MongoException e) {
                if (!Database.isDuplicateKey(e)) throw e;
                Document existing = d.instances.find(eq(ID, id)).projection(Projections.include(SERIES_UID, STUDY_UID)).first();
                boolean elsewhere = existing != null && (!r.studyUid().equals(existing.getString(STUDY_UID))
                        || !r.seriesUid().equals(existing.getString(SERIES_UID)));
                if (elsewhere) {
                    conflicts.add(new StoreResult.Conflict(r.sopInstanceUid(), "SOP Instance UID already stored in series "
                            + existing.getString(SERIES_UID) + " of study " + existing.getString(STUDY_UID)));
                    return false;
                }
                if (attempt >= 5) throw e; // deleted or inserted here meanwhile: the next attempt decides
            }
        }
    }
}

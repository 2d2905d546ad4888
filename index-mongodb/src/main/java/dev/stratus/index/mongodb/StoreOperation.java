package dev.stratus.index.mongodb;

import com.mongodb.MongoException;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import dev.stratus.index.IndexTime;
import dev.stratus.index.BatchStore;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.OutboxEvent;
import dev.stratus.index.StoreResult;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Objects;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static dev.stratus.index.mongodb.Fields.*;

/**
 * One store: series in UID order, each instance upserted by one atomic findOneAndUpdate (an instance of
 * another series shows as a duplicate _id), then each touched series and study recounted.
 */
final class StoreOperation extends BatchStore {
    private static final FindOneAndUpdateOptions UPSERT_RETURNING_OLD = new FindOneAndUpdateOptions()
            .upsert(true).returnDocument(ReturnDocument.BEFORE).projection(Projections.include(BLOB_KEY));

    private final Database d;

    private StoreOperation(Database d) {
        this.d = d;
    }

    /** With an outbox, its rows are announced before the writes and confirmed (or withdrawn) after, even when one fails. */
    static StoreResult run(Database d, List<InstanceRecord> batch, Outbox outbox) {
        StoreOperation op = new StoreOperation(d);
        if (outbox == null) return op.apply(batch);
        long now = IndexTime.nowMicros();
        List<Long> ids = outbox.announce(batch.stream().map(r -> OutboxEvent.stored(r, now)).toList(),
                batch.stream().map(InstanceRecord::blobKey).toList());
        try {
            return op.apply(batch);
        } finally {
            Set<InstanceRecord> written = Collections.newSetFromMap(new IdentityHashMap<>());
            written.addAll(op.stored);
            List<Long> confirmed = new ArrayList<>(), withdrawn = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) (written.contains(batch.get(i)) ? confirmed : withdrawn).add(ids.get(i));
            outbox.confirm(confirmed);
            outbox.withdraw(withdrawn);
        }
    }

    @Override
    protected LockedSeries lockSeriesCreating(SeriesKey key, String studyUid) {
        Document series = Recount.seriesCreating(d, key.tenant(), key.seriesUid(), studyUid);
        return new LockedSeries(series.getString(STUDY_UID), series.get(UPDATED_TIME, Number.class).longValue());
    }

    @Override
    protected void refreshSeries(SeriesKey key, LockedSeries series, InstanceRecord newest) {
        Recount.refreshSeries(d, key.tenant(), key.seriesUid(), series.studyUid(), newest);
    }

    @Override
    protected void removeEmptySeries(SeriesKey key) {
        Recount.removeEmptySeries(d, key.tenant(), key.seriesUid());
    }

    @Override
    protected void refreshStudy(String tenant, String studyUid, InstanceRecord newest) {
        Recount.refreshStudy(d, tenant, studyUid, newest);
    }

    @Override
    protected InstanceRecord storeInstances(List<InstanceRecord> records) {
        InstanceRecord newest = null;
        for (InstanceRecord r : records) {
            if (storeInstance(r)) {
                newest = r;
                stored.add(r);
            }
        }
        return newest;
    }

    /** Inserts or replaces one instance (noting a replaced blob); false, with a conflict noted, when it is stored elsewhere. */
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

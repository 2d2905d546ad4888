package dev.stratus.index.mongodb;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.stratus.index.HeaderExtract;
import dev.stratus.index.IndexTime;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.TenantId;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;
import static dev.stratus.index.mongodb.Fields.*;

/**
 * The series whose metadata document is stale, as a queue of leases kept in each series document: a
 * claim is one conditional update (the claimable conditions re-checked on the document itself), so two
 * workers never hold the same series, and a crashed worker's series are claimable again once its lease expires.
 */
final class MetadataQueue {
    static final String BUILDING = "BUILDING";
    static final String DONE = "DONE";
    static final String FAILED = "FAILED";
    private static final int ATTEMPTS = 100;

    private final Database d;

    MetadataQueue(Database d) {
        this.d = d;
    }

    List<SeriesState> claim(long quietSinceMicros, int max, String workerId, Duration lease) {
        if (max <= 0) return List.of();
        long now = IndexTime.nowMicros();
        long expiry = now + lease.toNanos() / 1000;
        Bson claimable = claimable(now, quietSinceMicros);
        List<Document> candidates = d.series.find(claimable).sort(Sorts.ascending(UPDATED_TIME)).limit(max)
                .projection(Projections.include(TENANT, STUDY_UID, SERIES_UID)).into(new ArrayList<>());
        List<SeriesState> states = new ArrayList<>(candidates.size());
        for (Document c : candidates) {
            long claimed = d.series.updateOne(and(eq(ID, c.get(ID)), claimable), Updates.combine(
                    Updates.set(STATUS, BUILDING), Updates.set(LEASE_OWNER, workerId), Updates.set(LEASE_EXPIRY, expiry)))
                    .getMatchedCount();
            if (claimed == 1) {
                state(new SeriesRef(new TenantId(c.getString(TENANT)), c.getString(STUDY_UID), c.getString(SERIES_UID)))
                        .ifPresent(states::add);
            }
        }
        return states;
    }

    /** Stale, quiet, due for an attempt, and not leased (or the lease expired); ix_pending serves it in updated_time order. */
    static Bson claimable(long now, long quietSinceMicros) {
        return and(Filters.in(STATUS, Recount.PENDING, BUILDING), lte(NEXT_ATTEMPT_TIME, now),
                lte(UPDATED_TIME, quietSinceMicros), or(eq(LEASE_EXPIRY, null), lt(LEASE_EXPIRY, now)));
    }

    void built(SeriesRef series, String workerId, long flagTime, String documentKey) {
        Bson done = Updates.combine(Updates.set(FLAG_TIME, flagTime), Updates.set(DOCUMENT_KEY, documentKey),
                Updates.set(RETRIES, 0), Updates.set(LAST_ERROR, null), Updates.set(LEASE_OWNER, null),
                Updates.set(LEASE_EXPIRY, null));
        // DONE only if the series has not changed since the version the document was built from.
        if (d.series.updateOne(and(held(series, workerId), eq(UPDATED_TIME, flagTime)),
                Updates.combine(done, Updates.set(STATUS, DONE))).getMatchedCount() == 1) return;
        d.series.updateOne(held(series, workerId), Updates.combine(done, Updates.set(STATUS, Recount.PENDING)));
    }

    void failed(SeriesRef series, String workerId, String error, long retryAtMicros, int maxRetries) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Document doc = d.series.find(held(series, workerId)).projection(Projections.include(METADATA)).first();
            if (doc == null) return;
            Number read = doc.get(METADATA, Document.class).get("retries", Number.class);
            int retries = read == null ? 0 : read.intValue();
            // Written only if retries is still what was read: a store in between resets it and wins.
            long updated = d.series.updateOne(and(held(series, workerId), eq(RETRIES, retries)), Updates.combine(
                    Updates.set(STATUS, retries + 1 >= maxRetries ? FAILED : Recount.PENDING),
                    Updates.set(RETRIES, retries + 1),
                    Updates.set(LAST_ERROR, HeaderExtract.cut(error, 4000)),
                    Updates.set(NEXT_ATTEMPT_TIME, retryAtMicros),
                    Updates.set(LEASE_OWNER, null), Updates.set(LEASE_EXPIRY, null))).getMatchedCount();
            if (updated == 1) return;
        }
        throw new IllegalStateException("series " + series.seriesUid() + " keeps changing while recording a failed build");
    }

    private static Bson held(SeriesRef series, String workerId) {
        return and(eq(ID, key(series.tenant().name(), series.seriesUid())), eq(STUDY_UID, series.studyUid()),
                eq(LEASE_OWNER, workerId));
    }

    List<SeriesState> statesAfter(SeriesRef after, int max) {
        Bson existing = gt(UPDATED_TIME, 0L);
        Bson from = after == null ? existing : and(existing, gt(ID, key(after.tenant().name(), after.seriesUid())));
        List<SeriesState> states = new ArrayList<>();
        for (Document doc : d.series.find(from).sort(Sorts.ascending(ID)).limit(max)
                .projection(Projections.include(TENANT, STUDY_UID, SERIES_UID, NUM_INSTANCES, UPDATED_TIME, METADATA))) {
            states.add(toState(new SeriesRef(new TenantId(doc.getString(TENANT)), doc.getString(STUDY_UID), doc.getString(SERIES_UID)), doc));
        }
        return states;
    }

    boolean requeue(SeriesRef series) {
        return d.series.updateOne(and(eq(ID, key(series.tenant().name(), series.seriesUid())), eq(STUDY_UID, series.studyUid()),
                gt(UPDATED_TIME, 0L)), Updates.combine(Updates.set(STATUS, Recount.PENDING), Updates.set(RETRIES, 0),
                Updates.set(NEXT_ATTEMPT_TIME, IndexTime.nowMicros()), Updates.set(LEASE_OWNER, null),
                Updates.set(LEASE_EXPIRY, null))).getMatchedCount() == 1;
    }

    /** The series' state; a series that a store is still creating (updated_time 0) does not exist yet. */
    Optional<SeriesState> state(SeriesRef ref) {
        Document doc = d.series.find(and(eq(ID, key(ref.tenant().name(), ref.seriesUid())), eq(STUDY_UID, ref.studyUid()),
                gt(UPDATED_TIME, 0L))).projection(Projections.include(NUM_INSTANCES, UPDATED_TIME, METADATA)).first();
        return doc == null ? Optional.empty() : Optional.of(toState(ref, doc));
    }

    private static SeriesState toState(SeriesRef ref, Document doc) {
        Document m = doc.get(METADATA, Document.class);
        if (m == null) m = new Document();
        Number flagTime = m.get("flag_time", Number.class), retries = m.get("retries", Number.class);
        return new SeriesState(ref, doc.get(NUM_INSTANCES, Number.class).intValue(),
                doc.get(UPDATED_TIME, Number.class).longValue(), flagTime == null ? null : flagTime.longValue(),
                m.getString("status"), retries == null ? 0 : retries.intValue(), m.getString("document_key"),
                m.getString("last_error"));
    }
}

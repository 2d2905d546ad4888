package dev.stratus.index.sql;

import dev.stratus.index.HeaderExtract;
import dev.stratus.index.IndexTime;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.TenantId;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.Result;
import org.jooq.SelectLimitPercentStep;
import org.jooq.impl.DSL;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.stratus.index.sql.Tables.METADATA;
import static dev.stratus.index.sql.Tables.SERIES;

/**
 * The series whose metadata document is stale, as a queue of leases: a claim sets lease_owner and
 * lease_expiry with a conditional UPDATE, so two workers never hold the same series, and a crashed
 * worker's series are claimable again once its lease expires.
 */
final class MetadataQueue {
    static final String BUILDING = "BUILDING";
    static final String DONE = "DONE";
    static final String FAILED = "FAILED";

    private final Database db;

    MetadataQueue(Database db) {
        this.db = db;
    }

    List<SeriesState> claim(long quietSinceMicros, int max, String workerId, Duration lease) {
        if (max <= 0) return List.of();
        long now = IndexTime.nowMicros();
        long expiry = now + lease.toNanos() / 1000;
        Condition claimable = claimable(now, quietSinceMicros);
        List<SeriesRef> claimed = db.transaction(tx -> {
            SelectLimitPercentStep<Record3<String, String, String>> candidates = candidates(tx, claimable, max);
            // PostgreSQL and MySQL hand each worker different rows; SQLite has one writer at a time anyway.
            Result<Record3<String, String, String>> rows = db.vendor.locksRows()
                    ? candidates.forUpdate().skipLocked().fetch() : candidates.fetch();
            List<SeriesRef> mine = new ArrayList<>();
            for (Record3<String, String, String> r : rows) {
                int updated = tx.update(METADATA.table)
                        .set(METADATA.status, BUILDING)
                        .set(METADATA.leaseOwner, workerId)
                        .set(METADATA.leaseExpiry, expiry)
                        .where(METADATA.tenant.eq(r.value1()), METADATA.seriesUid.eq(r.value3()), claimable)
                        .execute();
                if (updated == 1) mine.add(new SeriesRef(new TenantId(r.value1()), r.value2(), r.value3()));
            }
            return mine;
        });
        List<SeriesState> states = new ArrayList<>(claimed.size());
        for (SeriesRef ref : claimed) state(ref).ifPresent(states::add);
        return states;
    }

    /** Stale, quiet, due for an attempt, and not leased (or the lease expired). */
    static Condition claimable(long now, long quietSinceMicros) {
        return METADATA.status.in(Rollup.PENDING, BUILDING)
                .and(METADATA.nextAttemptTime.le(now))
                .and(METADATA.seriesTime.le(quietSinceMicros))
                .and(METADATA.leaseExpiry.isNull().or(METADATA.leaseExpiry.lt(now)));
    }

    /** The pending-series query: backed by ix_series_metadata_pending (status, next_attempt_time). */
    static SelectLimitPercentStep<Record3<String, String, String>> candidates(DSLContext dsl, Condition claimable, int max) {
        return dsl.select(METADATA.tenant, METADATA.studyUid, METADATA.seriesUid).from(METADATA.table)
                .where(claimable).orderBy(METADATA.seriesTime).limit(max);
    }

    void built(SeriesRef series, String workerId, long flagTime, String documentKey) {
        db.transaction(tx -> tx.update(METADATA.table)
                .set(METADATA.status, DSL.when(METADATA.seriesTime.eq(flagTime), DONE).otherwise(Rollup.PENDING))
                .set(METADATA.flagTime, flagTime)
                .set(METADATA.documentKey, documentKey)
                .set(METADATA.retries, 0)
                .setNull(METADATA.lastError)
                .setNull(METADATA.leaseOwner)
                .setNull(METADATA.leaseExpiry)
                .where(held(series, workerId))
                .execute());
    }

    void failed(SeriesRef series, String workerId, String error, long retryAtMicros, int maxRetries) {
        // status is assigned before retries: MySQL evaluates SET left to right with the new values.
        db.transaction(tx -> tx.update(METADATA.table)
                .set(METADATA.status, DSL.when(METADATA.retries.plus(1).ge(maxRetries), FAILED).otherwise(Rollup.PENDING))
                .set(METADATA.retries, METADATA.retries.plus(1))
                .set(METADATA.lastError, HeaderExtract.cut(error, 4000))
                .set(METADATA.nextAttemptTime, retryAtMicros)
                .setNull(METADATA.leaseOwner)
                .setNull(METADATA.leaseExpiry)
                .where(held(series, workerId))
                .execute());
    }

    private static Condition held(SeriesRef series, String workerId) {
        return METADATA.tenant.eq(series.tenant().name()).and(METADATA.seriesUid.eq(series.seriesUid()))
                .and(METADATA.studyUid.eq(series.studyUid())).and(METADATA.leaseOwner.eq(workerId));
    }

    List<SeriesState> statesAfter(SeriesRef after, int max) {
        return db.read(dsl -> {
            var ordered = dsl.select(SERIES.tenant, SERIES.studyUid, SERIES.seriesUid, SERIES.numInstances, SERIES.updatedTime,
                            METADATA.flagTime, METADATA.status, METADATA.retries, METADATA.documentKey, METADATA.lastError)
                    .from(SERIES.table)
                    .leftJoin(METADATA.table).on(METADATA.tenant.eq(SERIES.tenant), METADATA.seriesUid.eq(SERIES.seriesUid))
                    .orderBy(SERIES.tenant, SERIES.seriesUid);
            var page = after == null ? ordered.limit(max) : ordered.seek(after.tenant().name(), after.seriesUid()).limit(max);
            return page.fetch(r -> toState(new SeriesRef(new TenantId(r.get(SERIES.tenant)), r.get(SERIES.studyUid), r.get(SERIES.seriesUid)), r));
        });
    }

    boolean requeue(SeriesRef series) {
        return db.transaction(tx -> tx.update(METADATA.table)
                .set(METADATA.status, Rollup.PENDING)
                .set(METADATA.retries, 0)
                .set(METADATA.nextAttemptTime, IndexTime.nowMicros())
                .setNull(METADATA.leaseOwner)
                .setNull(METADATA.leaseExpiry)
                .where(METADATA.tenant.eq(series.tenant().name()), METADATA.seriesUid.eq(series.seriesUid()),
                        METADATA.studyUid.eq(series.studyUid()))
                .execute()) == 1;
    }

    Optional<SeriesState> state(SeriesRef ref) {
        return db.read(dsl -> Optional.ofNullable(dsl
                .select(SERIES.numInstances, SERIES.updatedTime, METADATA.flagTime, METADATA.status, METADATA.retries,
                        METADATA.documentKey, METADATA.lastError)
                .from(SERIES.table)
                .leftJoin(METADATA.table).on(METADATA.tenant.eq(SERIES.tenant), METADATA.seriesUid.eq(SERIES.seriesUid))
                .where(SERIES.tenant.eq(ref.tenant().name()), SERIES.seriesUid.eq(ref.seriesUid()),
                        SERIES.studyUid.eq(ref.studyUid()))
                .fetchOne())
                .map(r -> toState(ref, r)));
    }

    private static SeriesState toState(SeriesRef ref, Record r) {
        Integer retries = r.get(METADATA.retries);
        return new SeriesState(ref, r.get(SERIES.numInstances), r.get(SERIES.updatedTime), r.get(METADATA.flagTime),
                r.get(METADATA.status), retries == null ? 0 : retries, r.get(METADATA.documentKey),
                r.get(METADATA.lastError));
    }
}

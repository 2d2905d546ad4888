package dev.stratus.index.sql;

import dev.stratus.index.BatchStore;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.StoreResult;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertSetMoreStep;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Record3;
import org.jooq.UpdateSetMoreStep;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.stratus.index.sql.Tables.INSTANCE;

/** One store transaction: series rows locked in UID order, instances upserted, then series and studies recounted. */
final class StoreOperation extends BatchStore {
    private final DSLContext tx;

    private StoreOperation(DSLContext tx) {
        this.tx = tx;
    }

    static StoreResult run(DSLContext tx, List<InstanceRecord> batch) {
        return new StoreOperation(tx).apply(batch);
    }

    @Override
    protected LockedSeries lockSeriesCreating(SeriesKey key, String studyUid) {
        Record2<String, Long> row = Rollup.lockSeriesCreating(tx, key.tenant(), key.seriesUid(), studyUid);
        return new LockedSeries(row.value1(), row.value2());
    }

    @Override
    protected void refreshSeries(SeriesKey key, LockedSeries series, InstanceRecord newest) {
        Rollup.refreshSeries(tx, key.tenant(), series.studyUid(), key.seriesUid(), series.updatedTime(), newest);
    }

    @Override
    protected void removeEmptySeries(SeriesKey key) {
        Rollup.removeSeries(tx, key.tenant(), key.seriesUid());
    }

    @Override
    protected void refreshStudy(String tenant, String studyUid, InstanceRecord newest) {
        Rollup.refreshStudy(tx, tenant, studyUid, newest);
    }

    @Override
    protected boolean storeInstance(InstanceRecord r) {
        String tenant = r.tenant().name();
        Record3<String, String, String> existing = tx.select(INSTANCE.studyUid, INSTANCE.seriesUid, INSTANCE.blobKey)
                .from(INSTANCE.table)
                .where(INSTANCE.tenant.eq(tenant), INSTANCE.sopInstanceUid.eq(r.sopInstanceUid()))
                .fetchOne();
        Map<Field<?>, Object> values = HeaderValues.instance(r);
        if (existing == null) {
            InsertSetMoreStep<Record> insert = tx.insertInto(INSTANCE.table)
                    .set(INSTANCE.tenant, tenant).set(INSTANCE.sopInstanceUid, r.sopInstanceUid())
                    .set(INSTANCE.seriesUid, r.seriesUid()).set(INSTANCE.studyUid, r.studyUid());
            insert.set(values).execute();
            return true;
        }
        if (!existing.value1().equals(r.studyUid()) || !existing.value2().equals(r.seriesUid())) {
            conflicts.add(new StoreResult.Conflict(r.sopInstanceUid(), "SOP Instance UID already stored in series "
                    + existing.value2() + " of study " + existing.value1()));
            return false;
        }
        UpdateSetMoreStep<Record> update = tx.update(INSTANCE.table).set(INSTANCE.seriesUid, r.seriesUid());
        update.set(values)
                .where(INSTANCE.tenant.eq(tenant), INSTANCE.sopInstanceUid.eq(r.sopInstanceUid()))
                .execute();
        // The old bytes go only if the new ones live elsewhere: same key means they were overwritten in place.
        if (!Objects.equals(existing.value3(), r.blobKey())) replaced.add(new StoreResult.Replaced(r.sopInstanceUid(), existing.value3()));
        return true;
    }
}

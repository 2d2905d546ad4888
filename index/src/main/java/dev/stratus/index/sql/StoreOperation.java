package dev.stratus.index.sql;

import dev.stratus.index.IndexTime;
import dev.stratus.index.BatchStore;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.OutboxEvent;
import dev.stratus.index.StoreResult;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Record4;
import org.jooq.ResultQuery;
import org.jooq.Row2;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.stratus.index.sql.Tables.INSTANCE;
import static org.jooq.impl.DSL.param;

/** One store transaction: series rows locked in UID order, instances upserted, then series and studies recounted. */
final class StoreOperation extends BatchStore {
    /** UIDs per IN list: keeps each statement far below every vendor's limit on bound values. */
    private static final int MAX_IN_LIST = 500;

    private final DSLContext tx;

    private StoreOperation(DSLContext tx) {
        this.tx = tx;
    }

    /** With {@code outbox}, one outbox row per instance written joins the transaction, after the series locks. */
    static StoreResult run(DSLContext tx, List<InstanceRecord> batch, boolean outbox) {
        StoreOperation op = new StoreOperation(tx);
        StoreResult result = op.apply(batch);
        if (outbox && !op.stored.isEmpty()) {
            long now = IndexTime.nowMicros();
            Outbox.insert(tx, op.stored.stream().map(r -> OutboxEvent.stored(r, now)).toList());
        }
        return result;
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

    /**
     * Finds which instances exist already with one query, inserts the new ones as one JDBC batch (one statement
     * rendered and prepared, not one per instance) and updates the replaced ones.
     */
    @Override
    protected InstanceRecord storeInstances(List<InstanceRecord> records) {
        String tenant = records.getFirst().tenant().name();
        Map<String, Record4<String, String, String, String>> existing = existing(tenant, records);
        Map<String, InstanceRecord> inserts = new LinkedHashMap<>();
        InstanceRecord newest = null;
        for (InstanceRecord r : records) {
            String sop = r.sopInstanceUid();
            Record4<String, String, String, String> old = existing.get(sop);
            if (old == null) {
                // The same SOP Instance UID twice in one call: the later replaces the earlier, as two stores would.
                InstanceRecord earlier = inserts.put(sop, r);
                if (earlier != null && !Objects.equals(earlier.blobKey(), r.blobKey())) replaced.add(new StoreResult.Replaced(sop, earlier.blobKey()));
            } else if (!old.value2().equals(r.studyUid()) || !old.value3().equals(r.seriesUid())) {
                conflicts.add(new StoreResult.Conflict(sop, "SOP Instance UID already stored in series "
                        + old.value3() + " of study " + old.value2()));
                continue;
            } else {
                update(tenant, r);
                // The old bytes go only if the new ones live elsewhere: same key means they were overwritten in place.
                if (!Objects.equals(old.value4(), r.blobKey())) replaced.add(new StoreResult.Replaced(sop, old.value4()));
            }
            newest = r;
            stored.add(r);
        }
        insert(tenant, inserts.values());
        return newest;
    }

    /** The stored instances among {@code records}: SOP Instance UID to (SOP, study, series UID, blob key). */
    private Map<String, Record4<String, String, String, String>> existing(String tenant, List<InstanceRecord> records) {
        Map<String, Record4<String, String, String, String>> found = new HashMap<>();
        if (records.size() == 1) { // a C-STORE's: one row by its key, read straight
            String sop = records.getFirst().sopInstanceUid();
            for (Object[] row : FixedSql.rows(tx, existingSql(tx), new Field<?>[] {INSTANCE.sopInstanceUid, INSTANCE.studyUid, INSTANCE.seriesUid, INSTANCE.blobKey}, tenant, sop)) {
                found.put(sop, tx.newRecord(INSTANCE.sopInstanceUid, INSTANCE.studyUid, INSTANCE.seriesUid, INSTANCE.blobKey)
                        .values((String) row[0], (String) row[1], (String) row[2], (String) row[3]));
            }
            return found;
        }
        for (int from = 0; from < records.size(); from += MAX_IN_LIST) {
            List<String> uids = new ArrayList<>();
            for (InstanceRecord r : records.subList(from, Math.min(records.size(), from + MAX_IN_LIST))) uids.add(r.sopInstanceUid());
            for (Record4<String, String, String, String> row : existingQuery(tx, tenant, uids).fetch()) found.put(row.value1(), row);
        }
        return found;
    }

    /**
     * Looks the instances up by their whole primary key, as a list of (tenant, UID) rows: H2 plans
     * {@code tenant = ? AND sop_instance_uid IN (...)} as a scan of the tenant's instances.
     */
    static ResultQuery<Record4<String, String, String, String>> existingQuery(DSLContext dsl, String tenant, List<String> uids) {
        var select = dsl.select(INSTANCE.sopInstanceUid, INSTANCE.studyUid, INSTANCE.seriesUid, INSTANCE.blobKey).from(INSTANCE.table);
        if (uids.size() == 1) {
            return dsl.resultQuery(existingSql(dsl), tenant, uids.getFirst()).coerce(INSTANCE.sopInstanceUid, INSTANCE.studyUid, INSTANCE.seriesUid, INSTANCE.blobKey);
        }
        List<Row2<String, String>> keys = new ArrayList<>(uids.size());
        for (String uid : uids) keys.add(DSL.row(tenant, uid));
        return select.where(DSL.row(INSTANCE.tenant, INSTANCE.sopInstanceUid).in(keys));
    }

    /** One instance looked up by its key (a C-STORE's), rendered once. */
    private static String existingSql(DSLContext dsl) {
        return FixedSql.of(dsl, "existingInstance", () -> dsl.select(INSTANCE.sopInstanceUid, INSTANCE.studyUid, INSTANCE.seriesUid, INSTANCE.blobKey)
                .from(INSTANCE.table).where(INSTANCE.tenant.eq(param(String.class)), INSTANCE.sopInstanceUid.eq(param(String.class))));
    }

    private void insert(String tenant, Collection<InstanceRecord> records) {
        if (records.isEmpty()) return;
        if (records.size() == 1) { // a batch statement costs more than a plain one for a single row (C-STORE)
            InstanceRecord r = records.iterator().next();
            Map<Field<?>, Object> values = HeaderValues.instance(r);
            List<Object> row = new ArrayList<>(List.of(tenant, r.sopInstanceUid(), r.seriesUid(), r.studyUid()));
            row.addAll(values.values());
            FixedSql.execute(tx, "insertInstance", () -> {
                List<Field<?>> columns = new ArrayList<>(List.of(INSTANCE.tenant, INSTANCE.sopInstanceUid, INSTANCE.seriesUid, INSTANCE.studyUid));
                columns.addAll(values.keySet());
                return tx.insertInto(INSTANCE.table).columns(columns).values(FixedSql.placeholders(columns));
            }, row.toArray());
            return;
        }
        List<Field<?>> columns = null;
        BatchBindStep batch = null;
        for (InstanceRecord r : records) {
            Map<Field<?>, Object> values = HeaderValues.instance(r);
            if (batch == null) {
                columns = new ArrayList<>(List.of(INSTANCE.tenant, INSTANCE.sopInstanceUid, INSTANCE.seriesUid, INSTANCE.studyUid));
                columns.addAll(values.keySet());
                // Null values are the placeholders of a batch statement; each bind() below is one row.
                batch = tx.batch(tx.insertInto(INSTANCE.table).columns(columns).values(Collections.nCopies(columns.size(), null)));
            }
            List<Object> row = new ArrayList<>(columns.size());
            row.addAll(List.of(tenant, r.sopInstanceUid(), r.seriesUid(), r.studyUid()));
            row.addAll(values.values());
            batch.bind(row.toArray());
        }
        batch.execute();
    }

    private void update(String tenant, InstanceRecord r) {
        UpdateSetMoreStep<Record> update = tx.update(INSTANCE.table).set(INSTANCE.seriesUid, r.seriesUid());
        update.set(HeaderValues.instance(r))
                .where(INSTANCE.tenant.eq(tenant), INSTANCE.sopInstanceUid.eq(r.sopInstanceUid()))
                .execute();
    }
}

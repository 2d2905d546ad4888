package dev.stratus.index.sql;

import dev.stratus.index.InstanceRecord;
import dev.stratus.index.StoreResult;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertSetMoreStep;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Record3;
import org.jooq.UpdateSetMoreStep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static dev.stratus.index.sql.Tables.INSTANCE;

/** One store transaction: series rows locked in UID order, instances upserted, then series and studies recounted. */
final class StoreOperation {
    private record SeriesKey(String tenant, String seriesUid) {}

    private record StudyKey(String tenant, String studyUid) {}

    private static final Comparator<SeriesKey> SERIES_ORDER =
            Comparator.comparing(SeriesKey::tenant).thenComparing(SeriesKey::seriesUid);
    private static final Comparator<StudyKey> STUDY_ORDER =
            Comparator.comparing(StudyKey::tenant).thenComparing(StudyKey::studyUid);

    private final DSLContext tx;
    private final List<StoreResult.Replaced> replaced = new ArrayList<>();
    private final List<StoreResult.Conflict> conflicts = new ArrayList<>();
    private final TreeMap<StudyKey, InstanceRecord> newestPerStudy = new TreeMap<>(STUDY_ORDER);

    private StoreOperation(DSLContext tx) {
        this.tx = tx;
    }

    static StoreResult run(DSLContext tx, List<InstanceRecord> batch) {
        StoreOperation op = new StoreOperation(tx);
        TreeMap<SeriesKey, List<InstanceRecord>> bySeries = new TreeMap<>(SERIES_ORDER);
        for (InstanceRecord r : batch) {
            bySeries.computeIfAbsent(new SeriesKey(r.tenant().name(), r.seriesUid()), k -> new ArrayList<>()).add(r);
        }
        for (var e : bySeries.entrySet()) op.storeSeries(e.getKey(), e.getValue());
        for (var e : op.newestPerStudy.entrySet()) {
            Rollup.refreshStudy(tx, e.getKey().tenant(), e.getKey().studyUid(), e.getValue());
        }
        return new StoreResult(List.copyOf(op.replaced), List.copyOf(op.conflicts));
    }

    // UIDs are keys (VARCHAR(64)): a malformed one is the caller's error, not something to truncate.
    static void validate(List<InstanceRecord> batch) {
        for (InstanceRecord r : batch) validate(r);
    }

    private static void validate(InstanceRecord r) {
        for (String uid : new String[] {r.studyUid(), r.seriesUid(), r.sopInstanceUid()}) {
            if (uid == null || uid.isEmpty() || uid.length() > 64) {
                throw new IllegalArgumentException("UIDs must be 1 to 64 characters: " + uid + " in " + r.sopInstanceUid());
            }
        }
    }

    private void storeSeries(SeriesKey key, List<InstanceRecord> records) {
        Record2<String, Long> series = Rollup.lockSeriesCreating(tx, key.tenant(), key.seriesUid(), records.getFirst().studyUid());
        String seriesStudy = series.value1();
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
            Rollup.refreshSeries(tx, key.tenant(), key.seriesUid(), series.value2(), newest);
            newestPerStudy.put(new StudyKey(key.tenant(), seriesStudy), newest);
        } else if (series.value2() == 0L) {
            Rollup.removeSeries(tx, key.tenant(), key.seriesUid()); // created by this transaction, left empty by conflicts
        }
    }

    /** Inserts or replaces one instance; false when it conflicts with one stored elsewhere in the tenant. */
    private boolean storeInstance(InstanceRecord r) {
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

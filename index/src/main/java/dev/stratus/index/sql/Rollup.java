package dev.stratus.index.sql;

import dev.stratus.codec.DataSet;
import dev.stratus.index.IndexTime;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.PersonNames;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep4;
import org.jooq.InsertValuesStep5;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Record2;
import org.jooq.ResultQuery;
import org.jooq.UpdateSetMoreStep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static dev.stratus.index.HeaderExtract.joined;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.val;
import static dev.stratus.index.sql.FixedSql.placeholder;
import static dev.stratus.index.sql.Tables.INSTANCE;
import static dev.stratus.index.sql.Tables.METADATA;
import static dev.stratus.index.sql.Tables.NAME_TOKEN;
import static dev.stratus.index.sql.Tables.SERIES;
import static dev.stratus.index.sql.Tables.STUDY;
import static dev.stratus.index.sql.Tables.STUDY_MODALITY;

/**
 * Locks series and study rows and recounts them inside a store or delete transaction. Locks are always
 * taken series first (in UID order), then the study, so that writers never wait for each other in a circle.
 * Recounts are fresh statements after the lock, so under READ COMMITTED they see every row committed by
 * the writers that held the lock before.
 */
final class Rollup {
    private Rollup() {}

    static final String PENDING = "PENDING";

    /**
     * Locks the series row, creating it first if it is missing: concurrent writers to one series queue here.
     * The lock comes before any insert so that, once the row exists, writers take only exclusive locks
     * (MySQL's duplicate-key check on INSERT takes a shared lock, and two of those upgrading deadlock).
     */
    static Record2<String, Long> lockSeriesCreating(DSLContext tx, String tenant, String seriesUid, String studyUid) {
        for (int i = 0; i < 3; i++) {
            Record2<String, Long> row = lockSeries(tx, tenant, seriesUid);
            if (row != null) return row;
            tx.insertInto(SERIES.table)
                    .set(SERIES.tenant, tenant).set(SERIES.seriesUid, seriesUid).set(SERIES.studyUid, studyUid)
                    .set(SERIES.numInstances, 0).set(SERIES.updatedTime, 0L)
                    .onConflict(SERIES.tenant, SERIES.seriesUid).doNothing()
                    .execute();
        }
        throw new IllegalStateException("series " + seriesUid + " keeps disappearing while being stored");
    }

    /** Study UID and updated_time of the locked series row, or null if there is none. */
    static Record2<String, Long> lockSeries(DSLContext tx, String tenant, String seriesUid) {
        String sql = FixedSql.of(tx, "lockSeries", () -> RowLock.forUpdate(tx, tx.select(SERIES.studyUid, SERIES.updatedTime).from(SERIES.table)
                .where(SERIES.tenant.eq(param(String.class)), SERIES.seriesUid.eq(param(String.class)))));
        List<Object[]> rows = FixedSql.rows(tx, sql, new Field<?>[] {SERIES.studyUid, SERIES.updatedTime}, tenant, seriesUid);
        return rows.isEmpty() ? null : tx.newRecord(SERIES.studyUid, SERIES.updatedTime).values((String) rows.getFirst()[0], (Long) rows.getFirst()[1]);
    }

    /**
     * Recounts a locked series of study {@code studyUid} after its instances changed: updates counts, SOP
     * classes, updated_time and the attribute columns of {@code newest} (null on delete), and marks its
     * metadata PENDING; an empty series is removed with its metadata row, whose document key is returned.
     */
    static String refreshSeries(DSLContext tx, String tenant, String studyUid, String seriesUid, long previousTime, InstanceRecord newest) {
        // One statement counts the instances and finds their SOP classes.
        int count = 0;
        TreeSet<String> sopClasses = new TreeSet<>();
        String recount = FixedSql.of(tx, "seriesSopClasses", () -> seriesSopClasses(tx, param(String.class), param(String.class)));
        for (Object[] row : FixedSql.rows(tx, recount, new Field<?>[] {INSTANCE.sopClassUid}, tenant, seriesUid)) {
            String sopClass = (String) row[0];
            count++;
            if (sopClass != null) sopClasses.add(sopClass);
        }
        if (count == 0) return removeSeries(tx, tenant, seriesUid);
        long time = Math.max(previousTime + 1, IndexTime.nowMicros());
        if (newest == null) {
            tx.update(SERIES.table).set(SERIES.numInstances, count).set(SERIES.sopClasses, joined(sopClasses, 4000))
                    .set(SERIES.updatedTime, time).where(SERIES.tenant.eq(tenant), SERIES.seriesUid.eq(seriesUid)).execute();
        } else { // a store's: the same shape every time, rendered once
            Map<Field<?>, Object> values = HeaderValues.series(newest);
            List<Object> bind = new ArrayList<>(Arrays.asList(count, joined(sopClasses, 4000), time));
            bind.addAll(values.values());
            bind.add(tenant);
            bind.add(seriesUid);
            FixedSql.execute(tx, "refreshSeries", () -> placeholders(tx.update(SERIES.table)
                    .set(SERIES.numInstances, placeholder(SERIES.numInstances))
                    .set(SERIES.sopClasses, placeholder(SERIES.sopClasses))
                    .set(SERIES.updatedTime, placeholder(SERIES.updatedTime)), values)
                    .where(SERIES.tenant.eq(placeholder(SERIES.tenant)), SERIES.seriesUid.eq(placeholder(SERIES.seriesUid))), bind.toArray());
        }
        // A change makes the metadata document stale: PENDING again, with fresh retries.
        FixedSql.execute(tx, "seriesMetadataPending", () -> tx.insertInto(METADATA.table)
                .set(METADATA.tenant, placeholder(METADATA.tenant)).set(METADATA.seriesUid, placeholder(METADATA.seriesUid))
                .set(METADATA.studyUid, placeholder(METADATA.studyUid)).set(METADATA.seriesTime, placeholder(METADATA.seriesTime))
                .set(METADATA.status, placeholder(METADATA.status)).set(METADATA.retries, placeholder(METADATA.retries))
                .set(METADATA.nextAttemptTime, placeholder(METADATA.nextAttemptTime))
                .onConflict(METADATA.tenant, METADATA.seriesUid).doUpdate()
                .set(METADATA.seriesTime, placeholder(METADATA.seriesTime)).set(METADATA.status, placeholder(METADATA.status))
                .set(METADATA.retries, placeholder(METADATA.retries)).set(METADATA.nextAttemptTime, placeholder(METADATA.nextAttemptTime))
                .set(METADATA.lastError, placeholder(METADATA.lastError)),
                tenant, seriesUid, studyUid, time, PENDING, 0, 0L, time, PENDING, 0, 0L, null);
        return null;
    }

    /**
     * The SOP class of each instance of a series, counted by the caller. Not GROUP BY sop_class_uid: SQLite then reads
     * the tenant's instances in the order of ix_instance_sop_class to skip a sort, every instance of the tenant at each
     * store (measured: 10,000 C-STOREs of 64x64 went quadratic); without it, ix_instance_series reads the series' rows.
     */
    static ResultQuery<Record1<String>> seriesSopClasses(DSLContext tx, String tenant, String seriesUid) {
        return seriesSopClasses(tx, val(tenant), val(seriesUid));
    }

    private static ResultQuery<Record1<String>> seriesSopClasses(DSLContext tx, Field<String> tenant, Field<String> seriesUid) {
        return tx.select(INSTANCE.sopClassUid).from(INSTANCE.table).where(INSTANCE.tenant.eq(tenant), INSTANCE.seriesUid.eq(seriesUid));
    }

    /** Deletes a series row and its metadata row; returns the metadata document key, if one was built. */
    static String removeSeries(DSLContext tx, String tenant, String seriesUid) {
        String documentKey = tx.select(METADATA.documentKey).from(METADATA.table)
                .where(METADATA.tenant.eq(tenant), METADATA.seriesUid.eq(seriesUid)).fetchOne(METADATA.documentKey);
        tx.deleteFrom(METADATA.table).where(METADATA.tenant.eq(tenant), METADATA.seriesUid.eq(seriesUid)).execute();
        tx.deleteFrom(SERIES.table).where(SERIES.tenant.eq(tenant), SERIES.seriesUid.eq(seriesUid)).execute();
        return documentKey;
    }

    /**
     * Locks a study (creating it when {@code newest} is given) and recounts it from its series rows: number of
     * series and instances, modalities and SOP classes; takes its attributes from {@code newest} if given.
     * A study left without series is removed.
     */
    static void refreshStudy(DSLContext tx, String tenant, String studyUid, InstanceRecord newest) {
        Record locked = lockStudy(tx, tenant, studyUid, newest != null);
        if (locked == null) return;
        String ofStudy = FixedSql.of(tx, "studySeries", () -> tx.select(SERIES.modality, SERIES.numInstances, SERIES.sopClasses).from(SERIES.table)
                .where(SERIES.tenant.eq(param(String.class)), SERIES.studyUid.eq(param(String.class))));
        List<Object[]> series = FixedSql.rows(tx, ofStudy, new Field<?>[] {SERIES.modality, SERIES.numInstances, SERIES.sopClasses}, tenant, studyUid);
        if (series.isEmpty()) {
            removeStudy(tx, tenant, studyUid);
            return;
        }
        int instances = 0;
        TreeSet<String> modalities = new TreeSet<>(), sopClasses = new TreeSet<>();
        for (Object[] r : series) {
            instances += (Integer) r[1];
            if (r[0] != null) modalities.add((String) r[0]);
            if (r[2] != null) sopClasses.addAll(List.of(((String) r[2]).split("\\\\")));
        }
        String modalityList = joined(modalities, 1024), sopClassList = joined(sopClasses, 4000);
        long updated = Math.max(locked.get(STUDY.updatedTime) + 1, IndexTime.nowMicros());
        String date = locked.get(STUDY.studyDate), time = locked.get(STUDY.studyTime);
        if (newest == null) {
            tx.update(STUDY.table).set(STUDY.numSeries, series.size()).set(STUDY.numInstances, instances)
                    .set(STUDY.modalities, modalityList).set(STUDY.sopClasses, sopClassList).set(STUDY.updatedTime, updated)
                    .where(STUDY.tenant.eq(tenant), STUDY.studyUid.eq(studyUid)).execute();
        } else { // a store's: the same shape every time, rendered once
            Map<Field<?>, Object> values = HeaderValues.study(newest);
            date = (String) values.get(STUDY.studyDate);
            time = (String) values.get(STUDY.studyTime);
            if (!Objects.equals(values.get(STUDY.patientName), locked.get(STUDY.patientName))
                    || !Objects.equals(values.get(STUDY.referringPhysicianName), locked.get(STUDY.referringPhysicianName))
                    || locked.get(STUDY.numSeries) == 0) {
                writeNameTokens(tx, tenant, studyUid, newest.attributes());
            }
            List<Object> bind = new ArrayList<>(Arrays.asList(series.size(), instances, modalityList, sopClassList, updated));
            bind.addAll(values.values());
            bind.add(tenant);
            bind.add(studyUid);
            FixedSql.execute(tx, "refreshStudy", () -> placeholders(tx.update(STUDY.table)
                    .set(STUDY.numSeries, placeholder(STUDY.numSeries)).set(STUDY.numInstances, placeholder(STUDY.numInstances))
                    .set(STUDY.modalities, placeholder(STUDY.modalities)).set(STUDY.sopClasses, placeholder(STUDY.sopClasses))
                    .set(STUDY.updatedTime, placeholder(STUDY.updatedTime)), values)
                    .where(STUDY.tenant.eq(placeholder(STUDY.tenant)), STUDY.studyUid.eq(placeholder(STUDY.studyUid))), bind.toArray());
        }
        writeStudyModalities(tx, tenant, studyUid, modalities, date, time);
    }

    // ModalitiesInStudy reads study_modality in date order: one row per modality, rewritten when the set or the date changes.
    private static void writeStudyModalities(DSLContext tx, String tenant, String studyUid, Set<String> modalities, String date, String time) {
        String sql = FixedSql.of(tx, "studyModalities", () -> tx.select(STUDY_MODALITY.modality, STUDY_MODALITY.studyDate, STUDY_MODALITY.studyTime)
                .from(STUDY_MODALITY.table).where(STUDY_MODALITY.tenant.eq(param(String.class)), STUDY_MODALITY.studyUid.eq(param(String.class))));
        List<Object[]> rows = FixedSql.rows(tx, sql, new Field<?>[] {STUDY_MODALITY.modality, STUDY_MODALITY.studyDate, STUDY_MODALITY.studyTime},
                tenant, studyUid);
        boolean same = rows.size() == modalities.size() && rows.stream().allMatch(r -> modalities.contains((String) r[0])
                && Objects.equals(r[1], date) && Objects.equals(r[2], time));
        if (same) return;
        if (!rows.isEmpty()) deleteStudyModalities(tx, tenant, studyUid);
        if (modalities.isEmpty()) return;
        InsertValuesStep5<Record, String, String, String, String, String> insert = tx.insertInto(STUDY_MODALITY.table,
                STUDY_MODALITY.tenant, STUDY_MODALITY.studyUid, STUDY_MODALITY.modality, STUDY_MODALITY.studyDate, STUDY_MODALITY.studyTime);
        for (String m : modalities) insert = insert.values(tenant, studyUid, m, date, time);
        insert.execute();
    }

    private static void deleteStudyModalities(DSLContext tx, String tenant, String studyUid) {
        tx.deleteFrom(STUDY_MODALITY.table).where(STUDY_MODALITY.tenant.eq(tenant), STUDY_MODALITY.studyUid.eq(studyUid)).execute();
    }

    private static Record lockStudy(DSLContext tx, String tenant, String studyUid, boolean create) {
        for (int i = 0; i < 3; i++) {
            String sql = FixedSql.of(tx, "lockStudy", () -> RowLock.forUpdate(tx, tx.select(STUDY.updatedTime, STUDY.numSeries, STUDY.patientName,
                    STUDY.referringPhysicianName, STUDY.studyDate, STUDY.studyTime)
                    .from(STUDY.table).where(STUDY.tenant.eq(param(String.class)), STUDY.studyUid.eq(param(String.class)))));
            Field<?>[] fields = {STUDY.updatedTime, STUDY.numSeries, STUDY.patientName, STUDY.referringPhysicianName, STUDY.studyDate, STUDY.studyTime};
            List<Object[]> rows = FixedSql.rows(tx, sql, fields, tenant, studyUid);
            Record row = null;
            if (!rows.isEmpty()) {
                row = tx.newRecord(fields);
                row.fromArray(rows.getFirst());
            }
            if (row != null || !create) return row;
            tx.insertInto(STUDY.table)
                    .set(STUDY.tenant, tenant).set(STUDY.studyUid, studyUid).set(STUDY.numSeries, 0)
                    .set(STUDY.numInstances, 0).set(STUDY.updatedTime, 0L).set(STUDY.attrs, new byte[0])
                    .onConflict(STUDY.tenant, STUDY.studyUid).doNothing()
                    .execute();
        }
        throw new IllegalStateException("study " + studyUid + " keeps disappearing while being stored");
    }

    static void removeStudy(DSLContext tx, String tenant, String studyUid) {
        deleteStudyModalities(tx, tenant, studyUid);
        tx.deleteFrom(NAME_TOKEN.table).where(NAME_TOKEN.tenant.eq(tenant), NAME_TOKEN.studyUid.eq(studyUid)).execute();
        tx.deleteFrom(STUDY.table).where(STUDY.tenant.eq(tenant), STUDY.studyUid.eq(studyUid)).execute();
    }

    // Fuzzy matching looks names up by token prefix: one row per word of PatientName and ReferringPhysicianName.
    private static void writeNameTokens(DSLContext tx, String tenant, String studyUid, DataSet attrs) {
        tx.deleteFrom(NAME_TOKEN.table).where(NAME_TOKEN.tenant.eq(tenant), NAME_TOKEN.studyUid.eq(studyUid)).execute();
        InsertValuesStep4<Record, String, Integer, String, String> insert = tx.insertInto(NAME_TOKEN.table,
                NAME_TOKEN.tenant, NAME_TOKEN.attributeTag, NAME_TOKEN.token, NAME_TOKEN.studyUid);
        int rows = 0;
        for (int tag : new int[] {HeaderValues.PATIENT_NAME, HeaderValues.REFERRING_PHYSICIAN_NAME}) {
            for (String token : PersonNames.tokens(attrs.getString(tag))) {
                insert = insert.values(tenant, tag, token, studyUid);
                rows++;
            }
        }
        if (rows > 0) insert.execute();
    }

    /** Sets each of the columns of {@code values} to a typed placeholder, in their order. */
    @SuppressWarnings("unchecked")
    private static UpdateSetMoreStep<Record> placeholders(UpdateSetMoreStep<Record> update, Map<Field<?>, Object> values) {
        for (Field<?> f : values.keySet()) update = setPlaceholder(update, f);
        return update;
    }

    private static <T> UpdateSetMoreStep<Record> setPlaceholder(UpdateSetMoreStep<Record> update, Field<T> f) {
        Field<T> p = placeholder(f);
        return update.set(f, p);
    }

    @SuppressWarnings("unchecked")
    private static UpdateSetMoreStep<Record> setAll(UpdateSetMoreStep<Record> update, Map<Field<?>, Object> values) {
        for (Map.Entry<Field<?>, Object> e : values.entrySet()) update = update.set((Field<Object>) e.getKey(), e.getValue());
        return update;
    }
}

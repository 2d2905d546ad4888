package dev.stratus.index.sql;

import dev.stratus.index.DeleteResult;
import org.jooq.DSLContext;
import org.jooq.Record2;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.stratus.index.sql.Tables.INSTANCE;
import static dev.stratus.index.sql.Tables.SERIES;

/** Deletes of a study, a series or an instance, locking series before study as stores do. */
final class DeleteOperation {
    private DeleteOperation() {}

    private static final DeleteResult NOTHING = new DeleteResult(0, List.of(), List.of());

    static DeleteResult instance(DSLContext tx, String tenant, String studyUid, String seriesUid, String sopUid) {
        Record2<String, Long> series = Rollup.lockSeries(tx, tenant, seriesUid);
        if (series == null || !series.value1().equals(studyUid)) return NOTHING;
        String blobKey = tx.select(INSTANCE.blobKey).from(INSTANCE.table)
                .where(INSTANCE.tenant.eq(tenant), INSTANCE.sopInstanceUid.eq(sopUid), INSTANCE.seriesUid.eq(seriesUid))
                .fetchOne(INSTANCE.blobKey);
        if (blobKey == null) return NOTHING;
        tx.deleteFrom(INSTANCE.table).where(INSTANCE.tenant.eq(tenant), INSTANCE.sopInstanceUid.eq(sopUid)).execute();
        String documentKey = Rollup.refreshSeries(tx, tenant, studyUid, seriesUid, series.value2(), null);
        Rollup.refreshStudy(tx, tenant, studyUid, null);
        return new DeleteResult(1, List.of(blobKey), documentKey == null ? List.of() : List.of(documentKey));
    }

    static DeleteResult series(DSLContext tx, String tenant, String studyUid, String seriesUid) {
        Record2<String, Long> series = Rollup.lockSeries(tx, tenant, seriesUid);
        if (series == null || !series.value1().equals(studyUid)) return NOTHING;
        List<String> blobKeys = deleteInstances(tx, tenant, List.of(seriesUid));
        String documentKey = Rollup.removeSeries(tx, tenant, seriesUid);
        Rollup.refreshStudy(tx, tenant, studyUid, null);
        return new DeleteResult(blobKeys.size(), blobKeys, documentKey == null ? List.of() : List.of(documentKey));
    }

    static DeleteResult study(DSLContext tx, String tenant, String studyUid) {
        List<String> seriesUids = RowLock.forUpdate(tx, tx.select(SERIES.seriesUid).from(SERIES.table)
                .where(SERIES.tenant.eq(tenant), SERIES.studyUid.eq(studyUid))
                .orderBy(SERIES.seriesUid)).fetch(SERIES.seriesUid);
        if (seriesUids.isEmpty()) {
            Rollup.removeStudy(tx, tenant, studyUid);
            return NOTHING;
        }
        List<String> blobKeys = deleteInstances(tx, tenant, seriesUids);
        List<String> documentKeys = new ArrayList<>();
        for (String s : seriesUids) documentKeys.add(Rollup.removeSeries(tx, tenant, s));
        documentKeys.removeIf(Objects::isNull);
        Rollup.refreshStudy(tx, tenant, studyUid, null); // removes the study row, unless a store just added a series
        return new DeleteResult(blobKeys.size(), blobKeys, documentKeys);
    }

    private static List<String> deleteInstances(DSLContext tx, String tenant, List<String> seriesUids) {
        List<String> blobKeys = tx.select(INSTANCE.blobKey).from(INSTANCE.table)
                .where(INSTANCE.tenant.eq(tenant), INSTANCE.seriesUid.in(seriesUids)).fetch(INSTANCE.blobKey);
        tx.deleteFrom(INSTANCE.table).where(INSTANCE.tenant.eq(tenant), INSTANCE.seriesUid.in(seriesUids)).execute();
        return blobKeys;
    }
}

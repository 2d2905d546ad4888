package dev.stratus.index.sql;

import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static dev.stratus.index.sql.Tables.INSTANCE;
import static dev.stratus.index.sql.Tables.SERIES;

/**
 * One instance by its full key (tenant, study, series, SOP Instance UID), the lookup every frame, rendered and
 * single-instance request starts with, and the instances of a study or series a retrieve starts with: their SQL
 * rendered by jOOQ once, in the database's dialect, and run as plain prepared statements, mapped by hand. Through
 * jOOQ's fetch it was a third of a {@code /frames/N} request's Java CPU, its rendering an eighth (JFR,
 * docs/benchmarks-history.md, eighth session); the list's rendering and fetch a seventh of a cold series retrieve's.
 */
final class InstanceLookup {
    private final CompletableFuture<String> sql;
    private final CompletableFuture<String[]> lists;

    InstanceLookup(DSLContext dsl) {
        // rendered on a thread of its own: at open, on the caller's, it was ~6% of a start's main thread before
        // ready, jOOQ's first rendering in the process (issue 20); the first lookup waits for it
        sql = CompletableFuture.supplyAsync(() -> render(dsl), work -> Thread.ofVirtual().name("stratus-index-render").start(work));
        lists = sql.thenApply(ignored -> new String[] {renderList(dsl, false), renderList(dsl, true)});
    }

    private static String renderList(DSLContext dsl, boolean ofSeries) {
        Query q = listQuery(dsl, "", "", ofSeries ? "" : null);
        int binds = ofSeries ? 3 : 2;
        if (dsl.extractBindValues(q).size() != binds) throw new IllegalStateException("instance list: expected " + binds + " bind values in " + q);
        return dsl.render(q);
    }

    /** Bind order: tenant, study, then series if given; the order is the one retrieves send parts in. */
    static Select<Record> listQuery(DSLContext dsl, String tenant, String studyUid, String seriesUid) {
        Condition c = INSTANCE.tenant.eq(tenant).and(INSTANCE.studyUid.eq(studyUid));
        if (seriesUid != null) c = c.and(INSTANCE.seriesUid.eq(seriesUid));
        return dsl.select(INSTANCE.stored()).from(INSTANCE.table)
                .join(SERIES.table).on(SERIES.tenant.eq(INSTANCE.tenant), SERIES.seriesUid.eq(INSTANCE.seriesUid))
                .where(c)
                .orderBy(SERIES.seriesNumber.asc().nullsLast(), INSTANCE.seriesUid,
                        INSTANCE.instanceNumber.asc().nullsLast(), INSTANCE.sopInstanceUid);
    }

    /** The instances of a study, or of one of its series ({@code seriesUid} not null), in retrieve order. */
    List<StoredInstance> list(DSLContext dsl, TenantId tenant, String studyUid, String seriesUid) {
        String select = lists.join()[seriesUid == null ? 0 : 1];
        return dsl.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(select)) {
                ps.setString(1, tenant.name());
                ps.setString(2, studyUid);
                if (seriesUid != null) ps.setString(3, seriesUid);
                try (ResultSet rs = ps.executeQuery()) {
                    List<StoredInstance> found = new ArrayList<>();
                    while (rs.next()) found.add(stored(rs));
                    return found;
                }
            }
        });
    }

    private static String render(DSLContext dsl) {
        // bind order: tenant, SOP instance, study, series (the order of the conditions below)
        Query q = dsl.select(INSTANCE.stored()).from(INSTANCE.table)
                .where(INSTANCE.tenant.eq(DSL.val("", SQLDataType.VARCHAR)), INSTANCE.sopInstanceUid.eq(DSL.val("", SQLDataType.VARCHAR)),
                        INSTANCE.studyUid.eq(DSL.val("", SQLDataType.VARCHAR)), INSTANCE.seriesUid.eq(DSL.val("", SQLDataType.VARCHAR)));
        if (dsl.extractBindValues(q).size() != 4) throw new IllegalStateException("instance lookup: expected 4 bind values in " + q);
        return dsl.render(q);
    }

    Optional<StoredInstance> find(DSLContext dsl, TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid) {
        String select = sql.join();
        return dsl.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(select)) {
                ps.setString(1, tenant.name());
                ps.setString(2, sopInstanceUid);
                ps.setString(3, studyUid);
                ps.setString(4, seriesUid);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(stored(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The row's columns of INSTANCE.stored(), in order. */
    private static StoredInstance stored(ResultSet rs) throws SQLException {
        int number = rs.getInt(9);
        Integer instanceNumber = rs.wasNull() ? null : number;
        return new StoredInstance(new TenantId(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), instanceNumber);
    }
}

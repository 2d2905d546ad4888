package dev.stratus.index.sql;

import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static dev.stratus.index.sql.Tables.INSTANCE;

/**
 * One instance by its full key (tenant, study, series, SOP Instance UID), the lookup every frame, rendered and
 * single-instance request starts with: its SQL rendered by jOOQ once, in the database's dialect, and run as a plain
 * prepared statement, mapped by hand. Through jOOQ's fetch it was a third of a {@code /frames/N} request's Java CPU,
 * its rendering an eighth (JFR, docs/benchmarks-history.md, eighth session).
 */
final class InstanceLookup {
    private final CompletableFuture<String> sql;

    InstanceLookup(DSLContext dsl) {
        // rendered on a thread of its own: at open, on the caller's, it was ~6% of a start's main thread before
        // ready, jOOQ's first rendering in the process (issue 20); the first lookup waits for it
        sql = CompletableFuture.supplyAsync(() -> render(dsl), work -> Thread.ofVirtual().name("stratus-index-render").start(work));
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
                    if (!rs.next()) return Optional.empty();
                    // the columns of INSTANCE.stored(), in order
                    int number = rs.getInt(9);
                    Integer instanceNumber = rs.wasNull() ? null : number;
                    return Optional.of(new StoredInstance(new TenantId(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), instanceNumber));
                }
            }
        });
    }
}

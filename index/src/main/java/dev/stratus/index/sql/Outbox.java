package dev.stratus.index.sql;

import dev.stratus.index.IndexTime;
import dev.stratus.index.OutboxEvent;
import dev.stratus.index.TenantId;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep8;
import org.jooq.Record;
import org.jooq.Record9;
import org.jooq.SelectForUpdateStep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static dev.stratus.index.sql.Tables.OUTBOX;

/**
 * The event outbox table (docs/decisions/0004): rows inserted inside the store and delete transactions, claimed
 * by relays under a lease (FOR UPDATE SKIP LOCKED where the database locks rows), removed once relayed.
 */
final class Outbox {
    /** Rows per statement: keeps each far below every vendor's limit on bound values. */
    private static final int CHUNK = 500;

    private final Database db;

    Outbox(Database db) {
        this.db = db;
    }

    /** Inserts rows in the caller's transaction; the database numbers them. */
    static void insert(DSLContext tx, List<OutboxEvent> events) {
        for (int from = 0; from < events.size(); from += CHUNK) {
            InsertValuesStep8<Record, String, String, String, String, String, String, Long, Long> insert = tx.insertInto(OUTBOX.table,
                    OUTBOX.kind, OUTBOX.tenant, OUTBOX.studyUid, OUTBOX.seriesUid, OUTBOX.sopInstanceUid, OUTBOX.sopClassUid,
                    OUTBOX.createdTime, OUTBOX.leaseExpiry);
            for (OutboxEvent e : events.subList(from, Math.min(events.size(), from + CHUNK))) {
                insert = insert.values(e.kind().name(), e.tenant().name(), e.studyUid(), e.seriesUid(), e.sopInstanceUid(),
                        e.sopClassUid(), e.createdMicros(), null);
            }
            insert.execute();
        }
    }

    List<OutboxEvent> claim(int limit, Duration lease) {
        if (limit <= 0) return List.of();
        long now = IndexTime.nowMicros();
        long expiry = now + lease.toNanos() / 1000;
        return db.transaction(tx -> {
            SelectForUpdateStep<Record9<Long, String, String, String, String, String, String, Long, Long>> candidates = tx
                    .select(OUTBOX.id, OUTBOX.kind, OUTBOX.tenant, OUTBOX.studyUid, OUTBOX.seriesUid, OUTBOX.sopInstanceUid,
                            OUTBOX.sopClassUid, OUTBOX.createdTime, OUTBOX.leaseExpiry)
                    .from(OUTBOX.table)
                    .where(OUTBOX.leaseExpiry.isNull().or(OUTBOX.leaseExpiry.lt(now)))
                    .orderBy(OUTBOX.id).limit(limit);
            // PostgreSQL and MySQL hand each relay different rows; SQLite has one writer at a time anyway.
            var rows = db.vendor.locksRows() ? candidates.forUpdate().skipLocked().fetch() : candidates.fetch();
            List<OutboxEvent> claimed = new ArrayList<>(rows.size());
            for (var r : rows) {
                claimed.add(new OutboxEvent(r.value1(), OutboxEvent.Kind.valueOf(r.value2()), new TenantId(r.value3()),
                        r.value4(), r.value5(), r.value6(), r.value7(), r.value8()));
            }
            List<Long> ids = claimed.stream().map(OutboxEvent::id).toList();
            for (int from = 0; from < ids.size(); from += CHUNK) {
                tx.update(OUTBOX.table).set(OUTBOX.leaseExpiry, expiry)
                        .where(OUTBOX.id.in(ids.subList(from, Math.min(ids.size(), from + CHUNK)))).execute();
            }
            return claimed;
        });
    }

    /** The commit time of the lowest id: rows are numbered in commit order closely enough, and the id is the key. */
    java.util.Optional<Long> oldestMicros() {
        return db.read(dsl -> dsl.select(OUTBOX.createdTime).from(OUTBOX.table).orderBy(OUTBOX.id).limit(1).fetchOptional(OUTBOX.createdTime));
    }

    void remove(Collection<Long> ids) {
        if (ids.isEmpty()) return;
        List<Long> all = List.copyOf(ids);
        db.transaction(tx -> {
            for (int from = 0; from < all.size(); from += CHUNK) {
                tx.deleteFrom(OUTBOX.table).where(OUTBOX.id.in(all.subList(from, Math.min(all.size(), from + CHUNK)))).execute();
            }
            return null;
        });
    }
}

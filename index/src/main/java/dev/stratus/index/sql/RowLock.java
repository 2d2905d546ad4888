package dev.stratus.index.sql;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.SelectForUpdateStep;

/** SELECT ... FOR UPDATE where the database locks rows; on SQLite the write transaction already holds the database. */
final class RowLock {
    private RowLock() {}

    static <R extends Record> ResultQuery<R> forUpdate(DSLContext tx, SelectForUpdateStep<R> select) {
        return tx.dialect().family() == SQLDialect.SQLITE ? select : select.forUpdate();
    }
}

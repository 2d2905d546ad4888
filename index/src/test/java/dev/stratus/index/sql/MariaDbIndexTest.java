package dev.stratus.index.sql;

import dev.stratus.index.Index;
import dev.stratus.index.IndexContractTest;

/** The contract on MariaDB (the MySQL dialect family), in a database of its own per test. */
class MariaDbIndexTest extends IndexContractTest {
    private TestDatabases.Fresh db;

    @Override
    protected Index openFreshIndex() {
        db = TestDatabases.freshMariaDbDatabase();
        return SqlIndex.open(db.url(), db.user(), db.password(), true);
    }

    @Override
    protected void dropFreshIndex() {
        if (db != null) db.drop().run();
    }

    @Override
    protected Index reopen(boolean outbox) {
        return SqlIndex.open(db.url(), db.user(), db.password(), false, outbox);
    }
}

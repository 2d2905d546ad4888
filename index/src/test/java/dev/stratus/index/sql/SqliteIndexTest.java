package dev.stratus.index.sql;

import dev.stratus.index.Index;
import dev.stratus.index.IndexContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The contract on the embedded SQLite database, in a temporary data directory per test. */
class SqliteIndexTest extends IndexContractTest {
    @TempDir
    Path dataDir;

    @Override
    protected Index openFreshIndex() {
        return SqlIndex.open(SqlIndex.embeddedUrl(dataDir), null, null, true);
    }

    @Override
    protected Index reopen(boolean outbox) {
        return SqlIndex.open(SqlIndex.embeddedUrl(dataDir), null, null, false, outbox);
    }
}

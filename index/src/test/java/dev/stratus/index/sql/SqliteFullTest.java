package dev.stratus.index.sql;

import dev.stratus.codec.VR;
import dev.stratus.index.Index;
import dev.stratus.index.IndexFullException;
import dev.stratus.index.TenantId;
import dev.stratus.index.TestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SQLite out of room (SQLITE_FULL, here from a page limit rather than a full disk: the same error) is an
 * IndexFullException, for the archive to answer 507 / A700 and notice the full disk; the failed transaction
 * commits nothing, and room made by a delete is used again without reopening the index.
 */
class SqliteFullTest {
    @TempDir
    Path dir;

    private static dev.stratus.index.InstanceRecord instance(String sop) {
        return TestInstance.of(TenantId.DEFAULT, "1.2.3", "1.2.3.4", sop).str("ImageComments", VR.LT, "x".repeat(3000)).build();
    }

    @Test
    void aDatabaseOutOfRoomRefusesStoresWithIndexFullExceptionAndADeleteMakesRoomAgain() throws Exception {
        Path file = dir.resolve("index").resolve("full.sqlite");
        try (Index schema = SqlIndex.open(EmbeddedSqlite.url(file), null, null, true)) {
            schema.checkReady();
        }
        long pages = Files.size(file) / 4096; // closed: its write-ahead log checkpointed into the file
        try (Index index = SqlIndex.open(EmbeddedSqlite.url(file) + "?max_page_count=" + (pages + 12), null, null, false)) {
            int stored = 0;
            IndexFullException full = null;
            for (int i = 1; i <= 500 && full == null; i++) {
                try {
                    index.store(List.of(instance("1.2.3.4." + i)));
                    stored++;
                } catch (IndexFullException e) {
                    full = e;
                }
            }
            assertNotNull(full, "the page limit was reached");
            assertTrue(stored > 0, "some fitted before");
            assertEquals(stored, index.listInstances(TenantId.DEFAULT, "1.2.3", null).size(), "every store before is kept, the refused one left nothing");

            assertEquals(stored, index.delete(TenantId.DEFAULT, "1.2.3", null, null).instancesDeleted(), "a delete commits on a full database");
            index.store(List.of(instance("1.2.3.4.999")));
            assertEquals(1, index.listInstances(TenantId.DEFAULT, "1.2.3", null).size(), "stored again once a delete made room");
        }
    }
}

package dev.stratus.index.sql;

import dev.stratus.index.Index;
import dev.stratus.index.IndexFactory;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.TenantId;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.QidoQueryParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opening by URL, and what callers see while the database is down (nothing listens on port 1). */
class SqlIndexAvailabilityTest {
    private static final String DOWN = "jdbc:postgresql://127.0.0.1:1/stratus";

    @Test
    void aDatabaseThatIsDownMakesCallsUnavailableWithTheReason() {
        try (Index index = SqlIndex.open(DOWN, "stratus", "", false)) {
            long start = System.nanoTime();
            IndexUnavailableException e = assertThrows(IndexUnavailableException.class, index::checkReady);
            assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000, "fails within the connection timeout");
            assertTrue(e.getMessage().startsWith("index database unavailable: "), e.getMessage());
            assertThrows(IndexUnavailableException.class, () -> index.search(TenantId.DEFAULT,
                    QidoQueryParser.parse(Level.STUDY, null, null, Map.of())));
        }
    }

    @Test
    void migratingADatabaseThatIsDownIsUnavailable() {
        assertThrows(IndexUnavailableException.class, () -> SqlIndex.open(DOWN, "stratus", "", true));
    }

    @Test
    void theFactoryChoosesByUrl(@TempDir Path dir) {
        String url = SqlIndex.embeddedUrl(dir);
        assertEquals("jdbc:sqlite:" + dir.toAbsolutePath() + "/index/stratus.sqlite", url);
        try (Index index = IndexFactory.open(url, null, null, true)) {
            index.checkReady();
        }
        assertTrue(Files.exists(dir.resolve("index/stratus.sqlite")));
        UnsupportedOperationException mongo = assertThrows(UnsupportedOperationException.class,
                () -> IndexFactory.open("mongodb://localhost/stratus", null, null, true));
        assertTrue(mongo.getMessage().contains("stratus-index-mongodb"), mongo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IndexFactory.open("jdbc:oracle:thin:@x", "a", "b", true));
    }
}

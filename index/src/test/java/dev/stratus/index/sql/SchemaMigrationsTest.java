package dev.stratus.index.sql;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema is created and upgraded on open, and a start at the newest version leaves Flyway out. */
class SchemaMigrationsTest {
    @TempDir
    Path dataDir;

    @Test
    void everyVendorsFolderHoldsExactlyTheNamedMigrations() throws URISyntaxException, java.io.IOException {
        for (Vendor vendor : Vendor.values()) {
            String folder = vendor.migrations.substring("classpath:".length());
            Path dir = Path.of(getClass().getClassLoader().getResource(folder).toURI());
            List<String> names;
            try (Stream<Path> files = Files.list(dir)) {
                names = files.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertEquals(SchemaMigrations.FILES, names, folder + ": SchemaMigrations.FILES must name every migration");
        }
    }

    @Test
    void aVersionOneSqliteIndexIsUpgradedOnOpen() throws SQLException {
        String url = SqlIndex.embeddedUrl(dataDir);
        SqlIndex.open(url, null, null, false).close(); // creates the directory
        olderSchema(url, null, null, Vendor.SQLITE);
        SqlIndex.open(url, null, null, true).close();
        assertUpgraded(url, null, null);
    }

    @Test
    void aVersionOnePostgresIndexIsUpgradedOnOpen() throws SQLException {
        TestDatabases.Fresh db = TestDatabases.freshPostgresSchema();
        try {
            olderSchema(db.url(), db.user(), db.password(), Vendor.POSTGRESQL);
            SqlIndex.open(db.url(), db.user(), db.password(), true).close();
            assertUpgraded(db.url(), db.user(), db.password());
        } finally {
            db.drop().run();
        }
    }

    @Test
    void anIndexAtTheNewestVersionOpensWithoutFlyway() {
        String url = SqlIndex.embeddedUrl(dataDir);
        List<ILoggingEvent> flywaySaid = flywayLog(() -> SqlIndex.open(url, null, null, true).close());
        assertFalse(flywaySaid.isEmpty(), "a new index is created by Flyway (and the capture works)");
        flywaySaid = flywayLog(() -> SqlIndex.open(url, null, null, true).close());
        assertTrue(flywaySaid.isEmpty(), "Flyway ran on an index already at the newest version: " + flywaySaid);
    }

    /** The schema as a Stratus of V1's time left it. */
    private static void olderSchema(String url, String user, String password, Vendor vendor) {
        Flyway.configure().dataSource(url, user, password).locations(vendor.migrations).target("1").load().migrate();
    }

    private static void assertUpgraded(String url, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            List<String> versions = new ArrayList<>();
            try (ResultSet rows = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
                while (rows.next()) versions.add(rows.getString(1));
            }
            assertEquals(List.of("1", "2", "3"), versions, "every migration after V1, in order");
            for (String table : List.of("event_outbox", "study_modality")) { // V2's and V3's tables
                try (ResultSet rows = s.executeQuery("SELECT count(*) FROM " + table)) {
                    assertTrue(rows.next());
                    assertEquals(0, rows.getInt(1), table);
                }
            }
        }
    }

    /** What Flyway logged (INFO and above) while the work ran. */
    private static List<ILoggingEvent> flywayLog(Runnable work) {
        Logger flyway = (Logger) LoggerFactory.getLogger("org.flywaydb");
        Level before = flyway.getLevel();
        ListAppender<ILoggingEvent> said = new ListAppender<>();
        said.start();
        flyway.setLevel(Level.INFO);
        flyway.addAppender(said);
        try {
            work.run();
        } finally {
            flyway.detachAppender(said);
            flyway.setLevel(before);
        }
        return List.copyOf(said.list);
    }
}

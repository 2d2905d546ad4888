package dev.stratus.web;

import dev.stratus.index.Index;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.index.sql.TestDatabases;

import java.nio.file.Path;

/** The index databases the end-to-end tests run against: each test gets a fresh, dropped-after database. */
sealed interface TestBackend {
    TestBackend SQLITE = new Named("SQLite");
    TestBackend POSTGRESQL = new Named("POSTGRESQL");
    TestBackend MARIADB = new Named("MARIADB");

    record Opened(Index index, Runnable drop) {}

    Opened open(Path dir);

    record Named(String name) implements TestBackend {
        @Override
        public Opened open(Path dir) {
            return switch (name) {
                case "SQLite" -> new Opened(SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true), () -> {});
                case "POSTGRESQL" -> fresh(TestDatabases.freshPostgresSchema());
                default -> fresh(TestDatabases.freshMariaDbDatabase());
            };
        }

        private static Opened fresh(TestDatabases.Fresh db) {
            return new Opened(SqlIndex.open(db.url(), db.user(), db.password(), true), db.drop());
        }
    }

    /** A database the test prepared itself (and drops itself). */
    record Custom(String url, String user, String password) implements TestBackend {
        @Override
        public Opened open(Path dir) {
            return new Opened(SqlIndex.open(url, user, password, true), () -> {});
        }
    }
}

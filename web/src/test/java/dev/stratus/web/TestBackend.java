package dev.stratus.web;

import dev.stratus.index.sql.TestDatabases;

/** The index databases the end-to-end tests run against: each test gets a fresh, dropped-after database. */
sealed interface TestBackend {
    TestBackend SQLITE = new Named("SQLite");
    TestBackend POSTGRESQL = new Named("POSTGRESQL");
    TestBackend MARIADB = new Named("MARIADB");

    /** Where the archive finds its index (url null: the embedded SQLite index of its data directory), and how to drop it. */
    record Database(String url, String user, String password, Runnable drop) {}

    Database create();

    record Named(String name) implements TestBackend {
        @Override
        public Database create() {
            return switch (name) {
                case "SQLite" -> new Database(null, null, null, () -> {});
                case "POSTGRESQL" -> fresh(TestDatabases.freshPostgresSchema());
                default -> fresh(TestDatabases.freshMariaDbDatabase());
            };
        }

        private static Database fresh(TestDatabases.Fresh db) {
            return new Database(db.url(), db.user(), db.password(), db.drop());
        }
    }

    /** A database the test prepared itself (and drops itself). */
    record Custom(String url, String user, String password) implements TestBackend {
        @Override
        public Database create() {
            return new Database(url, user, password, () -> {});
        }
    }
}

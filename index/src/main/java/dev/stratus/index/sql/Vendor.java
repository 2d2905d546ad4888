package dev.stratus.index.sql;

import org.jooq.SQLDialect;

/** The databases SqlIndex runs on, told apart by their JDBC URL; each has its own Flyway migrations. */
enum Vendor {
    SQLITE("jdbc:sqlite:", SQLDialect.SQLITE, "sqlite"),
    POSTGRESQL("jdbc:postgresql:", SQLDialect.POSTGRES, "postgresql"),
    MYSQL("jdbc:mysql:", SQLDialect.MYSQL, "mysql"),
    MARIADB("jdbc:mariadb:", SQLDialect.MARIADB, "mysql");

    final String urlPrefix;
    final SQLDialect dialect;
    final String migrations;

    Vendor(String urlPrefix, SQLDialect dialect, String migrationFolder) {
        this.urlPrefix = urlPrefix;
        this.dialect = dialect;
        this.migrations = "classpath:db/migration/" + migrationFolder;
    }

    static Vendor of(String jdbcUrl) {
        for (Vendor v : values()) if (jdbcUrl != null && jdbcUrl.startsWith(v.urlPrefix)) return v;
        throw new IllegalArgumentException("not a supported index database URL (jdbc:sqlite:, jdbc:postgresql:, "
                + "jdbc:mysql: or jdbc:mariadb:): " + jdbcUrl);
    }

    /**
     * SQLite has one writer at a time and no row locks: a write transaction holds the whole database
     * (BEGIN IMMEDIATE), so SELECT ... FOR UPDATE and SKIP LOCKED are neither needed nor understood there.
     */
    boolean locksRows() { return this != SQLITE; }
}

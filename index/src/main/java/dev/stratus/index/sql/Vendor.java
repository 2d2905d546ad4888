package dev.stratus.index.sql;

import org.jooq.SQLDialect;

/** The databases SqlIndex runs on, told apart by their JDBC URL; each has its own Flyway migrations. */
enum Vendor {
    H2("jdbc:h2:", SQLDialect.H2, "h2"),
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
        throw new IllegalArgumentException("not a supported index database URL (jdbc:h2:, jdbc:postgresql:, "
                + "jdbc:mysql: or jdbc:mariadb:): " + jdbcUrl);
    }

    /** H2 has no SKIP LOCKED; there a conditional UPDATE per candidate alone decides who gets a series. */
    boolean skipsLockedRows() { return this != H2; }
}

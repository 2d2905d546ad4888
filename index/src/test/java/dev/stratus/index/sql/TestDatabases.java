package dev.stratus.index.sql;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The database servers of the integration tests (PostgreSQL and MariaDB on 127.0.0.1, as README says).
 * Each test gets a schema or database of its own with a random name, dropped afterwards, so runs never collide.
 * An unreachable server skips the tests with the reason, except under CI=true, where it fails them.
 */
public final class TestDatabases {
    private TestDatabases() {}

    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";

    /** A fresh database on a server: the URL to open it with, the credentials, and how to drop it. */
    public record Fresh(String url, String user, String password, String name, Runnable drop) {}

    public static Fresh freshPostgresSchema() {
        String schema = randomName();
        for (String user : new String[] {"postgres", "root"}) {
            try (Connection c = DriverManager.getConnection(POSTGRES_URL + "?connectTimeout=3", user, "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                return new Fresh(POSTGRES_URL + "?currentSchema=" + schema, user, "", schema,
                        () -> execute(POSTGRES_URL, user, "DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
            } catch (SQLException e) {
                if (user.equals("root")) unreachable("PostgreSQL at " + POSTGRES_URL, e);
            }
        }
        throw new AssertionError("unreachable");
    }

    public static Fresh freshMariaDbDatabase() {
        String database = randomName();
        try (Connection c = DriverManager.getConnection(MARIADB_URL + "?connectTimeout=3000", "root", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            unreachable("MariaDB at " + MARIADB_URL, e);
        }
        return new Fresh("jdbc:mariadb://127.0.0.1:3306/" + database, "root", "", database,
                () -> execute(MARIADB_URL, "root", "DROP DATABASE IF EXISTS " + database));
    }

    private static String randomName() {
        return "stratus_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static void execute(String url, String user, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clean up: " + sql, e);
        }
    }

    private static void unreachable(String what, SQLException e) {
        String reason = what + " is not reachable (" + e.getMessage() + ")";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + "; CI=true requires it", e);
        Assumptions.abort(reason + ": skipped");
    }
}

package dev.stratus.index.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.stratus.index.IndexFullException;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.RetryPolicy;
import org.jooq.DSLContext;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.function.Function;

/**
 * The connection pool, jOOQ context and transaction discipline shared by the parts of SqlIndex:
 * transactions retried on deadlocks and lost races, connection failures turned into IndexUnavailableException,
 * SQLite's writers queued in the process and committed in groups.
 */
final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** Deadlocks, serialization failures, duplicate inserts, SQLite busy past busy_timeout: the transaction runs again. */
    private static final RetryPolicy LOST_RACE = RetryPolicy.lostRace(8, Duration.ofMillis(5), Duration.ofMillis(40));

    static {
        // jOOQ prints a banner and tips on first use; an archive's log has no use for them.
        if (System.getProperty("org.jooq.no-logo") == null) System.setProperty("org.jooq.no-logo", "true");
        if (System.getProperty("org.jooq.no-tips") == null) System.setProperty("org.jooq.no-tips", "true");
    }

    final Vendor vendor;
    private final HikariDataSource pool;
    private final DSLContext dsl;
    /**
     * SQLite takes one writer at a time: writers queue here instead of polling SQLite's busy handler (which
     * sleeps up to 100 ms between tries), and share forced log writes. Null for server databases.
     */
    private final GroupCommit sqliteWriter;

    Database(String jdbcUrl, String user, String password, boolean migrate) {
        vendor = Vendor.of(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setPoolName("stratus-index");
        config.setJdbcUrl(withMysqlScheme(jdbcUrl));
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(3000); // a request waits at most 3 s for the database before answering 503
        config.setValidationTimeout(2000);
        config.setInitializationFailTimeout(-1); // start without the database; it is retried on each request
        if (vendor == Vendor.SQLITE) {
            EmbeddedSqlite.configure(config);
        } else {
            // Recounts inside a transaction must see rows committed by writers that held the series lock before.
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        }
        pool = new HikariDataSource(config);
        Settings settings = new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER).withExecuteLogging(false);
        dsl = DSL.using(pool, vendor.dialect, settings);
        sqliteWriter = vendor == Vendor.SQLITE ? new GroupCommit(pool, vendor.dialect, settings) : null;
        if (migrate) migrate();
    }

    // Only MariaDB's driver ships with Stratus: it takes jdbc:mysql: URLs when told to (MySQL's own driver, if added, wins).
    private static String withMysqlScheme(String url) {
        if (!url.startsWith("jdbc:mysql:") || url.contains("permitMysqlScheme")) return url;
        try {
            Class.forName("com.mysql.cj.jdbc.Driver");
            return url;
        } catch (ClassNotFoundException e) {
            return url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme";
        }
    }

    private void migrate() {
        try {
            SchemaMigrations.apply(pool, vendor);
        } catch (SQLException e) {
            close();
            if (vendor == Vendor.SQLITE && EmbeddedSqlite.isDamaged(e)) throw EmbeddedSqlite.damaged(pool.getJdbcUrl(), e);
            throw unavailable(e);
        } catch (RuntimeException e) {
            close();
            if (vendor == Vendor.SQLITE && EmbeddedSqlite.isDamaged(e)) throw EmbeddedSqlite.damaged(pool.getJdbcUrl(), e);
            if (isUnavailable(e)) throw unavailable(e);
            throw e;
        }
    }

    DSLContext dsl() { return dsl; }

    /** Whether writers share commits ({@link GroupCommit}: embedded SQLite's one writer). */
    boolean groupsCommits() {
        return sqliteWriter != null;
    }

    /**
     * Runs work in one transaction, again from the start when it lost a race (deadlock, duplicate insert);
     * returns once the commit is durable (every vendor's commit is: SQLite's with synchronous=FULL).
     */
    <T> T transaction(Function<DSLContext, T> work) {
        if (sqliteWriter == null) return committed(work);
        try {
            return sqliteWriter.run(work);
        } catch (NotTheDatabase e) {
            throw e;
        } catch (RuntimeException e) {
            if (isFull(e)) throw full(e);
            if (isUnavailable(e)) throw unavailable(e);
            throw e;
        }
    }

    private <T> T committed(Function<DSLContext, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return dsl.transactionResult(cfg -> work.apply(cfg.dsl()));
            } catch (RuntimeException e) {
                if (isFull(e)) throw full(e);
                if (isUnavailable(e)) throw unavailable(e);
                if (!LOST_RACE.allowsAnother(attempt) || !isRetryable(e)) throw e;
                LOG.debug("index transaction lost a race (attempt {}), retrying: {}", attempt, e.getMessage());
                LOST_RACE.pause(attempt);
            }
        }
    }

    /**
     * A failure of the work itself, not of the database (a blob that could not be made durable): it passes through
     * unmapped, so that an unreachable object store is not reported as an unavailable index.
     */
    static class NotTheDatabase extends RuntimeException {
        NotTheDatabase(Throwable cause) {
            super(cause);
        }
    }

    /** Runs a read (or a single autocommitted statement) with the same error mapping. */
    <T> T read(Function<DSLContext, T> work) {
        try {
            return work.apply(dsl);
        } catch (RuntimeException e) {
            if (isFull(e)) throw full(e);
            if (isUnavailable(e)) throw unavailable(e);
            throw e;
        }
    }

    static IndexUnavailableException unavailable(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String reason = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return new IndexUnavailableException("index database unavailable: " + reason, e);
    }

    static IndexFullException full(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return new IndexFullException("the index database's storage is full: " + root.getMessage(), e);
    }

    /** The database could not write for want of space: SQLITE_FULL, PostgreSQL's disk_full, MySQL's disk full or table full. */
    static boolean isFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                if (EmbeddedSqlite.isFull(s) || "53100".equals(s.getSQLState())) return true;
                if (!s.getClass().getName().startsWith("org.sqlite.") && (s.getErrorCode() == 1021 || s.getErrorCode() == 1114)) return true;
            }
        }
        return false;
    }

    static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException) return true;
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 08: connection exceptions; 57P01-03: PostgreSQL shutting down or starting
                if (state.startsWith("08") || state.startsWith("57P")) return true;
            }
        }
        return false;
    }

    static boolean isRetryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                int code = s.getErrorCode();
                // 40001/40P01: serialization failure, deadlock; 23505 (MySQL 1062): a concurrent insert of the same key won
                if (state != null && (state.equals("40001") || state.equals("40P01") || state.equals("23505")
                        || state.equals("HYT00"))) return true;
                if (code == 1062 || code == 1213 || code == 1205) return true; // MySQL lock conflicts
                if (EmbeddedSqlite.isBusy(s)) return true; // another process held the database past busy_timeout
            }
        }
        return e instanceof DataAccessException dae && "40001".equals(dae.sqlState());
    }

    /** Throws IndexUnavailableException when no connection can be had or the database does not answer. */
    void checkReady() {
        read(d -> d.selectOne().fetch());
    }

    boolean isClosed() {
        return pool.isClosed();
    }

    @Override
    public void close() {
        pool.close();
    }
}

package dev.stratus.index.sql;

import com.zaxxer.hikari.HikariConfig;

import dev.stratus.index.IndexUnavailableException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The embedded default index: SQLite in WAL mode with synchronous=FULL, so that a commit is durable when it
 * returns and a crash at any moment leaves the last committed state (docs/decisions/0002-embedded-index-sqlite.md).
 */
public final class EmbeddedSqlite {
    private EmbeddedSqlite() {}

    /** The file name of the embedded index inside {@code <dataDir>/index}. */
    public static final String FILE_NAME = "stratus.sqlite";

    /** The index file of a data directory. */
    public static Path file(Path dataDir) {
        return dataDir.toAbsolutePath().resolve("index").resolve(FILE_NAME);
    }

    /** The JDBC URL of an index file. */
    public static String url(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    static void configure(HikariConfig config) {
        createDirectoryOf(config.getJdbcUrl());
        // WAL: readers never wait for the writer, and a commit is one append to the log. FULL: the log is forced
        // at every commit, so an acknowledged store survives a power cut (NORMAL would only keep the file consistent).
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "FULL");
        // A write transaction takes the write lock at BEGIN: no deadlock between two readers upgrading to writers.
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        // Only another process (stratus compact, migrate) can make us wait: writers of this one queue in GroupCommit.
        config.addDataSourceProperty("busy_timeout", "10000");
        // QIDO's matching is case-sensitive, as on the other backends; SQLite's LIKE folds ASCII case by default.
        config.addDataSourceProperty("case_sensitive_like", "true");
        config.addDataSourceProperty("foreign_keys", "false");
        config.addDataSourceProperty("cache_size", "-32768"); // 32 MiB of pages per connection at most
        config.addDataSourceProperty("journal_size_limit", String.valueOf(64L << 20)); // the log shrinks back after a checkpoint
    }

    // SQLite creates the file but not its directory.
    private static void createDirectoryOf(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        int options = path.indexOf('?');
        if (options >= 0) path = path.substring(0, options);
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) return;
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IndexUnavailableException("cannot create the directory of the index " + path + ": " + e.getMessage(), e);
        }
    }

    /** SQLITE_BUSY (and its extended codes): the database was locked by another process for longer than busy_timeout. */
    static boolean isBusy(SQLException e) {
        return e.getClass().getName().startsWith("org.sqlite.") && (e.getErrorCode() & 0xff) == 5;
    }

    /** SQLITE_FULL: a write failed for want of disk space (the unix VFS reports ENOSPC so); the transaction is rolled back. */
    static boolean isFull(SQLException e) {
        return e.getClass().getName().startsWith("org.sqlite.") && (e.getErrorCode() & 0xff) == 13;
    }

    /** Start-up stops here rather than serve from a damaged index: what is wrong and how to recover, in words. */
    static IllegalStateException damaged(String url, Throwable cause) {
        String file = url.substring("jdbc:sqlite:".length());
        return new IllegalStateException("the index " + file + " is damaged (" + rootMessage(cause) + "). Stop here, keep a copy "
                + "of the index directory, then recover what SQLite can read: sqlite3 " + file + " .recover | sqlite3 "
                + file + ".recovered, and move " + file + ".recovered to " + file + " (removing its -wal and -shm files)", cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** SQLITE_CORRUPT or SQLITE_NOTADB: the file is damaged or not an index at all. */
    static boolean isDamaged(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getClass().getName().startsWith("org.sqlite.")) {
                int code = s.getErrorCode() & 0xff;
                if (code == 11 || code == 26) return true;
            }
        }
        return false;
    }
}

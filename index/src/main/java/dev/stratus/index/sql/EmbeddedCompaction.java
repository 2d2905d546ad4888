package dev.stratus.index.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Offline compaction of the embedded index: SQLite reuses freed pages but never gives them back, so an index that
 * lost many rows (deleted studies) keeps its size; VACUUM rewrites it to its live data. It needs the file to itself:
 * the server must be stopped.
 */
public final class EmbeddedCompaction {
    private EmbeddedCompaction() {}

    /** The index file's size (with its write-ahead log) before and after, in bytes. */
    public record Sizes(long before, long after) {}

    /** Compacts the embedded index of {@code dataDir}; IOException with the reason when it cannot. */
    public static Sizes compact(Path dataDir) throws IOException {
        Path file = EmbeddedSqlite.file(dataDir);
        // Checked first: SQLite would create an empty database where the caller pointed at the wrong directory.
        if (!Files.isRegularFile(file)) throw new IOException("no embedded index at " + file);
        long before = sizeWithLog(file);
        try (Connection c = DriverManager.getConnection(EmbeddedSqlite.url(file)); Statement s = c.createStatement()) {
            // Every open connection (a running server's) holds a shared lock on the file: an exclusive one fails at once.
            s.execute("PRAGMA busy_timeout = 0");
            s.execute("PRAGMA locking_mode = EXCLUSIVE");
            try {
                s.execute("BEGIN EXCLUSIVE");
                s.execute("COMMIT");
            } catch (SQLException e) {
                if (EmbeddedSqlite.isBusy(e)) throw new IOException("the index at " + file + " is in use: stop the server first", e);
                throw e;
            }
            s.execute("VACUUM");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            throw new IOException("cannot compact the index at " + file + ": " + e.getMessage(), e);
        }
        return new Sizes(before, sizeWithLog(file));
    }

    private static long sizeWithLog(Path file) throws IOException {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        return Files.size(file) + (Files.exists(wal) ? Files.size(wal) : 0);
    }
}

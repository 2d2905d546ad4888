package dev.stratus.index.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Offline compaction of the embedded index. H2 appends a new chunk at every durable commit and reuses freed
 * space only slowly, so a busy archive's index file grows to many times its live data (11,000 instances:
 * 243 MB of file for 11.6 MB of data); SHUTDOWN COMPACT rewrites it to its live size. It needs the file to
 * itself: the server must be stopped.
 */
public final class EmbeddedCompaction {
    private EmbeddedCompaction() {}

    /** The index file's size before and after, in bytes. */
    public record Sizes(long before, long after) {}

    /** Compacts the embedded index of {@code dataDir}; IOException with the reason when it cannot. */
    public static Sizes compact(Path dataDir) throws IOException {
        Path file = dataDir.toAbsolutePath().resolve("index").resolve("stratus.mv.db");
        if (!Files.isRegularFile(file)) throw new IOException("no embedded index at " + file);
        long before = Files.size(file);
        // IFEXISTS: never create an empty database where the caller pointed at the wrong directory.
        try (Connection c = DriverManager.getConnection(SqlIndex.embeddedUrl(dataDir) + ";IFEXISTS=TRUE", "", "");
             Statement s = c.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
        } catch (SQLException e) {
            if (e.getErrorCode() == 90020) { // DATABASE_ALREADY_OPEN_1: another process holds the file lock
                throw new IOException("the index at " + file + " is in use: stop the server first", e);
            }
            throw new IOException("cannot compact the index at " + file + ": " + e.getMessage(), e);
        }
        return new Sizes(before, Files.size(file));
    }
}

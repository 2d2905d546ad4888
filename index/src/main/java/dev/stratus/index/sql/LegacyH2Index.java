package dev.stratus.index.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the H2 index of versions before decision 0002 (data directories with index/stratus.mv.db), to copy it into
 * the SQLite index that replaces it. Reading is safe where writing was not: a row that H2's recovery left locked
 * by a transaction that no longer exists makes a writer spin forever, but readers see its committed value.
 */
public final class LegacyH2Index {
    private LegacyH2Index() {}

    /** Tables in the order they are copied (no foreign keys: any order works; this one reads naturally). */
    private static final List<String> TABLES = List.of("study", "person_name_token", "series", "instance", "series_metadata");
    private static final int BATCH = 500;

    /** The H2 file of a data directory, present or not. */
    public static Path file(Path dataDir) {
        return dataDir.toAbsolutePath().resolve("index").resolve("stratus.mv.db");
    }

    /**
     * Creates a SQLite index at {@code target} (which must not exist) with the current schema, and copies every row
     * of the H2 index of {@code dataDir} into it in one transaction. Leases of metadata builds in progress are
     * dropped (their workers are gone). Returns the number of instances copied.
     */
    public static long copy(Path dataDir, Path target) throws IOException {
        if (Files.exists(target)) throw new IOException(target + " exists already");
        SqlIndex.open(EmbeddedSqlite.url(target), null, null, true).close(); // schema by Flyway, as for a new index
        String h2 = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("index").resolve("stratus") + ";IFEXISTS=TRUE";
        long instances = 0;
        try (Connection from = DriverManager.getConnection(h2, "", "");
             Connection to = DriverManager.getConnection(EmbeddedSqlite.url(target))) {
            to.setAutoCommit(false);
            for (String table : TABLES) {
                long rows = copyTable(from, to, table);
                if (table.equals("instance")) instances = rows;
            }
            try (Statement s = to.createStatement()) {
                // H2 had no study_modality (V3): derived from the copied rows, as V3 does for an existing index.
                s.executeUpdate("INSERT INTO study_modality (tenant, study_uid, modality, study_date, study_time)"
                        + " SELECT DISTINCT se.tenant, se.study_uid, se.modality, st.study_date, st.study_time FROM series se"
                        + " JOIN study st ON st.tenant = se.tenant AND st.study_uid = se.study_uid WHERE se.modality IS NOT NULL");
                s.executeUpdate("UPDATE series_metadata SET lease_owner = NULL, lease_expiry = NULL,"
                        + " status = CASE WHEN status = 'BUILDING' THEN 'PENDING' ELSE status END");
            }
            to.commit();
        } catch (SQLException e) {
            throw new IOException("cannot copy the H2 index of " + dataDir + " (" + e.getMessage().split("\n")[0] + ")", e);
        }
        selfContained(target);
        return instances;
    }

    private static long copyTable(Connection from, Connection to, String table) throws SQLException {
        long rows = 0;
        try (Statement select = from.createStatement(); ResultSet r = select.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = r.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) columns.add(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
            String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
            try (PreparedStatement p = to.prepareStatement(insert)) {
                while (r.next()) {
                    for (int i = 1; i <= columns.size(); i++) p.setObject(i, r.getObject(i));
                    p.addBatch();
                    if (++rows % BATCH == 0) p.executeBatch();
                }
                p.executeBatch();
            }
        }
        return rows;
    }

    /** Folds the write-ahead log into the file, so that the file alone holds the index and can be renamed. */
    public static void selfContained(Path sqliteFile) throws IOException {
        try (Connection c = DriverManager.getConnection(EmbeddedSqlite.url(sqliteFile)); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            s.execute("PRAGMA journal_mode=DELETE");
        } catch (SQLException e) {
            throw new IOException("cannot checkpoint " + sqliteFile + ": " + e.getMessage(), e);
        }
    }
}

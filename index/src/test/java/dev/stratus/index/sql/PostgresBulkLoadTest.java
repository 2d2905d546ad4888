package dev.stratus.index.sql;

import dev.stratus.index.ScaleArchive;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The bulk loader of the scale tests writes the rows a store writes, but for the times of the changes. */
class PostgresBulkLoadTest {
    /** Columns that hold the time of a change: a store and a load happen at different moments. */
    private static final Set<String> TIMES = Set.of("updated_time", "series_time");

    @Test
    void bulkLoadWritesTheRowsOfAStore() throws Exception {
        ScaleArchive archive = new ScaleArchive(new TenantId("t1"), 60, 3, 2); // enough studies for every modality
        TestDatabases.Fresh stored = TestDatabases.freshPostgresSchema();
        TestDatabases.Fresh loaded = TestDatabases.freshPostgresSchema();
        try {
            try (SqlIndex index = SqlIndex.open(stored.url(), stored.user(), stored.password(), true)) {
                for (int s = 0; s < archive.studies(); s++) index.store(archive.instances(s));
            }
            SqlIndex.open(loaded.url(), loaded.user(), loaded.password(), true).close();
            try (Connection c = DriverManager.getConnection(loaded.url(), loaded.user(), loaded.password())) {
                c.setAutoCommit(false);
                PostgresBulkLoad.loadStudies(c, archive, 0, archive.studies());
                c.commit();
            }
            for (String table : List.of("study", "person_name_token", "series", "instance", "series_metadata", "study_modality")) {
                List<String> expected = rows(stored, table);
                assertFalse(expected.isEmpty(), table);
                assertEquals(expected, rows(loaded, table), table);
            }
        } finally {
            stored.drop().run();
            loaded.drop().run();
        }
    }

    private static List<String> rows(TestDatabases.Fresh db, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2, 3, 4")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    if (TIMES.contains(md.getColumnName(i))) continue;
                    Object v = rs.getObject(i);
                    row.append(md.getColumnName(i)).append('=')
                            .append(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v)).append(' ');
                }
                out.add(row.toString());
            }
        }
        return out;
    }
}

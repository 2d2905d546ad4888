package dev.stratus.index.sql;

import dev.stratus.index.IndexTime;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded default's plans for the statements every store and every metadata poll runs: looked up by index,
 * never a scan of a table that grows with the archive (a scan per store made a 100,000-instance STOW three times
 * dearer on the H2 index before).
 */
class SqliteQueryPlanTest {
    @TempDir
    Path dataDir;

    @Test
    void aStoreLooksItsInstancesUpByTheirWholeKey() throws SQLException {
        String plan = plan(index -> index.existingInstancesSql(new TenantId("t1"), List.of("1.2.3", "1.2.4")));
        assertTrue(plan.contains("SEARCH instance USING INDEX sqlite_autoindex_instance_1 (tenant=? AND sop_instance_uid=?)"), plan);
        assertFalse(plan.contains("SCAN instance"), plan);
    }

    @Test
    void listingASeriesReadsOnlyItsInstances() throws SQLException {
        String plan = plan(index -> index.listInstancesSql(new TenantId("t1"), "1.2.3", "1.2.3.4"));
        assertFalse(plan.contains("SCAN instance"), plan);
        assertFalse(plan.contains("SCAN series"), plan);
    }

    @Test
    void aStoreRecountsItsSeriesFromTheSeriesRowsOnly() throws SQLException {
        // Not "SEARCH instance USING INDEX ix_instance_sop_class (tenant=?)": every instance of the tenant at each store.
        String plan = plan(index -> index.seriesRecountSql(new TenantId("t1"), "1.2.3.4"));
        assertTrue(plan.contains("SEARCH instance USING INDEX ix_instance_series (tenant=? AND series_uid=?)"), plan);
    }

    @Test
    void theMetadataWorkersPollUsesThePendingIndex() throws SQLException {
        String plan = plan(index -> index.pendingSeriesSql(IndexTime.nowMicros(), 10));
        assertTrue(plan.contains("ix_series_metadata_pending"), plan);
    }

    private String plan(java.util.function.Function<SqlIndex, String> sqlOf) throws SQLException {
        String url = SqlIndex.embeddedUrl(dataDir);
        StringBuilder plan = new StringBuilder();
        try (SqlIndex index = SqlIndex.open(url, null, null, true);
             Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sqlOf.apply(index))) {
            while (rs.next()) plan.append(rs.getString("detail")).append('\n');
        }
        return plan.toString();
    }
}

package dev.stratus.index.sql;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded default's plan for a store's lookup of its instances: by the whole primary key. Looked up as
 * {@code tenant = ? AND sop_instance_uid IN (...)}, H2 read every instance of the tenant, and a 100,000-instance
 * STOW spent ~3 ms of CPU per instance instead of ~1.
 */
class H2QueryPlanTest {
    @TempDir
    Path dataDir;

    // H2 notes the index and the condition it looks up with in a comment: /* PUBLIC.PRIMARY_KEY_4F: ... */
    private static final Pattern INDEX_CONDITION = Pattern.compile("/\\* PUBLIC\\.PRIMARY_KEY\\w*:([^*]*)\\*/");

    @Test
    void aStoreLooksItsInstancesUpByTheirWholeKey() throws SQLException {
        String url = SqlIndex.embeddedUrl(dataDir);
        String plan;
        try (SqlIndex index = SqlIndex.open(url, "sa", "", true)) {
            String sql = index.existingInstancesSql(new TenantId("t1"), List.of("1.2.3", "1.2.4"));
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
                rs.next();
                plan = rs.getString(1);
            }
        }
        Matcher m = INDEX_CONDITION.matcher(plan);
        assertTrue(m.find(), "no primary key lookup:\n" + plan);
        assertTrue(m.group(1).contains("1.2.4"), "the index lookup does not take the SOP Instance UIDs:\n" + plan);
    }
}

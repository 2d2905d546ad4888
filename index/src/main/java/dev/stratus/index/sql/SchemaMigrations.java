package dev.stratus.index.sql;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The index schema's migrations (db/migration/&lt;vendor&gt;), named here so that Flyway reads these files and never scans
 * the class path (a 77 MB executable) for them; and a check, one query, that a database is already at the newest,
 * so that a start skips Flyway altogether then (issue 20: Flyway was a fifth of the start's main thread).
 */
final class SchemaMigrations {
    /** Every vendor's folder holds these, oldest first; SchemaMigrationsTest compares the folders with this list. */
    static final List<String> FILES = List.of("V1__schema.sql", "V2__event_outbox.sql", "V3__study_modality.sql");
    /** The version the newest file brings the schema to. */
    static final int NEWEST = version(FILES.getLast().substring(1, FILES.getLast().indexOf("__")));

    private SchemaMigrations() {}

    /** Creates or upgrades the schema, unless it is already at the newest version. */
    static void apply(DataSource pool, Vendor vendor) throws SQLException {
        if (isCurrent(pool, vendor)) return;
        Flyway.configure().dataSource(pool).locations(vendor.migrations)
                .resourceProvider(resources(vendor))
                .javaMigrationClassProvider(List::<Class<? extends JavaMigration>>of)
                .load().migrate();
    }

    /**
     * Whether Flyway's history says every migration succeeded and the newest applied is the newest bundled. False for a
     * new database (no history table), a failed or older migration, or a newer Stratus's schema: Flyway decides those.
     * A database that cannot be reached throws.
     */
    static boolean isCurrent(DataSource pool, Vendor vendor) throws SQLException {
        try (Connection c = firstConnection(pool, vendor)) {
            try (Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT version, success FROM flyway_schema_history")) {
                int newest = 0;
                while (rows.next()) {
                    if (!rows.getBoolean(2)) return false;
                    String version = rows.getString(1);
                    if (version != null) newest = Math.max(newest, version(version));
                }
                return newest == NEWEST;
            } catch (SQLException e) {
                return false; // no history table yet: a new database
            }
        }
    }

    /**
     * The embedded file cannot be down, only slow to open (sqlite-jdbc unpacks its native library first): on a loaded
     * machine that may outlast the pool's 3 s, so it is waited for up to four times as long. A server is asked once.
     */
    private static Connection firstConnection(DataSource pool, Vendor vendor) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return pool.getConnection();
            } catch (SQLTransientConnectionException e) {
                if (vendor != Vendor.SQLITE || attempt == 4) throw e;
            }
        }
    }

    /** A whole-number version ("2"); any other (Flyway allows "2.1") is -1, which is never current. */
    private static int version(String version) {
        if (version.isEmpty() || version.length() > 9 || !version.chars().allMatch(Character::isDigit)) return -1;
        return Integer.parseInt(version);
    }

    /** The vendor's migration files as Flyway's resources, without a scan. */
    private static ResourceProvider resources(Vendor vendor) {
        Location location = new Location(vendor.migrations);
        ClassLoader loader = SchemaMigrations.class.getClassLoader();
        List<LoadableResource> files = new ArrayList<>();
        for (String file : FILES) {
            files.add(new ClassPathResource(location, location.getRootPath() + "/" + file, loader, StandardCharsets.UTF_8));
        }
        return new ResourceProvider() {
            @Override
            public LoadableResource getResource(String name) {
                for (LoadableResource r : files) if (r.getRelativePath().equals(name) || r.getAbsolutePath().equals(name)) return r;
                return null;
            }

            @Override
            public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
                List<LoadableResource> found = new ArrayList<>();
                for (LoadableResource r : files) {
                    String name = r.getFilename();
                    if (!name.startsWith(prefix)) continue;
                    for (String suffix : suffixes) {
                        if (name.endsWith(suffix)) {
                            found.add(r);
                            break;
                        }
                    }
                }
                return found;
            }
        };
    }
}

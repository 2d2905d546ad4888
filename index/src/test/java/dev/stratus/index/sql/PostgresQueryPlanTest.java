package dev.stratus.index.sql;

import dev.stratus.index.TenantId;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.QidoQueryParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The main queries read indexes, not whole tables: after loading 20,000 studies (40,000 series, 120,000
 * instances) and ANALYZE, no plan of PostgreSQL has a Seq Scan on the index tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresQueryPlanTest {
    private static final TenantId T1 = new TenantId("t1");
    private static final Pattern SEQ_SCAN = Pattern.compile("Seq Scan on (study|series|instance|person_name_token|series_metadata)\\b");

    private TestDatabases.Fresh db;
    private SqlIndex index;

    @BeforeAll
    void load() throws SQLException {
        db = TestDatabases.freshPostgresSchema();
        index = SqlIndex.open(db.url(), db.user(), db.password(), true);
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO study (tenant, study_uid, patient_id, patient_name, study_date, study_time, accession_number,
                                       num_series, num_instances, modalities, updated_time, attrs)
                    SELECT 't1', '1.' || i, 'P' || (i % 5000), 'NAME' || i || '^G' || (i % 1000),
                           to_char(date '2000-01-01' + (i % 8000), 'YYYYMMDD'), '120000', 'A' || i, 2, 6, 'CT\\MR', 1, ''::bytea
                    FROM generate_series(1, 20000) i""");
            s.execute("""
                    INSERT INTO person_name_token (tenant, attribute_tag, token, study_uid)
                    SELECT 't1', 1048592, 'NAME' || i, '1.' || i FROM generate_series(1, 20000) i
                    UNION ALL SELECT 't1', 1048592, 'G' || (i % 1000), '1.' || i FROM generate_series(1, 20000) i""");
            s.execute("""
                    INSERT INTO series (tenant, series_uid, study_uid, modality, series_number, num_instances, updated_time, attrs)
                    SELECT 't1', '1.' || i || '.' || k, '1.' || i,
                           CASE WHEN k = 2 AND i % 2000 = 0 THEN 'PT' WHEN k = 2 THEN 'MR' ELSE 'CT' END, k, 3, 1, ''::bytea
                    FROM generate_series(1, 20000) i, generate_series(1, 2) k""");
            s.execute("""
                    INSERT INTO instance (tenant, sop_instance_uid, series_uid, study_uid, sop_class_uid, instance_number,
                                          transfer_syntax_uid, blob_key, blob_size, attrs)
                    SELECT 't1', '1.' || i || '.' || k || '.' || n, '1.' || i || '.' || k, '1.' || i,
                           '1.2.840.10008.5.1.4.1.1.2', n, '1.2.840.10008.1.2.1', 'k/' || i || '.' || k || '.' || n, 100, ''::bytea
                    FROM generate_series(1, 20000) i, generate_series(1, 2) k, generate_series(1, 3) n""");
            s.execute("""
                    INSERT INTO series_metadata (tenant, series_uid, study_uid, series_time, flag_time, status, retries, next_attempt_time)
                    SELECT 't1', '1.' || i || '.' || k, '1.' || i, 1, 1, CASE WHEN i % 1000 = 0 THEN 'PENDING' ELSE 'DONE' END, 0, 0
                    FROM generate_series(1, 20000) i, generate_series(1, 2) k""");
            s.execute("ANALYZE");
        }
    }

    @AfterAll
    void drop() {
        if (index != null) index.close();
        if (db != null) db.drop().run();
    }

    Stream<Arguments> queries() {
        List<Arguments> q = new ArrayList<>();
        q.add(search("studies by PatientID", Level.STUDY, null, null, "PatientID", "P7"));
        q.add(search("studies by PatientName", Level.STUDY, null, null, "PatientName", "name7^g7"));
        q.add(search("studies by PatientName prefix", Level.STUDY, null, null, "PatientName", "NAME77*"));
        q.add(search("studies by fuzzy PatientName", Level.STUDY, null, null, "PatientName", "name77", "fuzzymatching", "true"));
        q.add(search("studies by StudyDate range", Level.STUDY, null, null, "StudyDate", "20050101-20050110"));
        q.add(search("studies by AccessionNumber", Level.STUDY, null, null, "AccessionNumber", "A7"));
        q.add(search("studies by StudyInstanceUID", Level.STUDY, null, null, "StudyInstanceUID", "1.7\\1.8"));
        q.add(search("studies by ModalitiesInStudy", Level.STUDY, null, null, "ModalitiesInStudy", "PT"));
        q.add(search("studies, newest first", Level.STUDY, null, null, "limit", "100"));
        q.add(search("series of a study", Level.SERIES, "1.7", null));
        q.add(search("series by Modality", Level.SERIES, null, null, "Modality", "PT"));
        q.add(search("series by SeriesInstanceUID", Level.SERIES, null, null, "SeriesInstanceUID", "1.7.1"));
        q.add(search("instances of a series", Level.INSTANCE, "1.7", "1.7.1"));
        q.add(search("instances of a study", Level.INSTANCE, "1.7", null));
        q.add(search("instances by SOPInstanceUID", Level.INSTANCE, null, null, "SOPInstanceUID", "1.7.1.2"));
        q.add(Arguments.of("listInstances of a study", (SqlSupplier) () -> index.listInstancesSql(T1, "1.7", null)));
        q.add(Arguments.of("listInstances of a series", (SqlSupplier) () -> index.listInstancesSql(T1, "1.7", "1.7.2")));
        q.add(Arguments.of("pending series", (SqlSupplier) () -> index.pendingSeriesSql(Long.MAX_VALUE, 10)));
        q.add(Arguments.of("a store's lookup of its instances", (SqlSupplier) () -> index.existingInstancesSql(T1, List.of("1.7.1.1", "1.7.1.2", "1.9.2.3"))));
        return q.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void usesIndexes(String name, SqlSupplier sql) throws SQLException {
        String plan = explain(sql.get());
        assertFalse(SEQ_SCAN.matcher(plan).find(), name + " scans a whole table:\n" + sql.get() + "\n" + plan);
    }

    private Arguments search(String name, Level level, String study, String series, String... params) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) map.put(params[i], List.of(params[i + 1]));
        return Arguments.of(name, (SqlSupplier) () -> index.searchSql(T1, QidoQueryParser.parse(level, study, series, map)));
    }

    private String explain(String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) plan.append(rs.getString(1)).append('\n');
        }
        return plan.toString();
    }

    /** The SQL to explain, made when the test runs (after the data is loaded). */
    interface SqlSupplier {
        String get();
    }
}

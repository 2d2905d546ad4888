package dev.stratus.index.sql;

import dev.stratus.index.ScaleArchive;
import dev.stratus.index.StandardQueries;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The QIDO queries of issue 20's scale target and the statements every store and metadata poll runs read
 * indexes, not whole tables: after a bulk load of a {@link ScaleArchive} (the rows a store writes) and ANALYZE,
 * no PostgreSQL plan has a Seq Scan on the index tables (but the hashed study table of {@link #HASHED_FOR_A_MODALITY}).
 *
 * <p>Size: 4,000 studies x 4 series x 3 instances (48,000 instances, seconds) unless the system property
 * {@code stratus.plan.scale} or the environment variable {@code STRATUS_PLAN_SCALE} says
 * {@code STUDIESxSERIESxINSTANCES}, e.g. {@code 10000x10x10} for the 1,000,000 instances of
 * docs/benchmarks.md (some minutes). Each plan is printed with EXPLAIN ANALYZE's figures, never judged on them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresQueryPlanTest {
    private static final TenantId T1 = new TenantId("t1");
    private static final Pattern SEQ_SCAN = Pattern.compile("Seq Scan on (series|instance|person_name_token|series_metadata)\\b");
    private static final Pattern STUDY_SEQ_SCAN = Pattern.compile("Seq Scan on study\\b");
    /**
     * The one whole-table read accepted: a modality held by a few percent of the series (PT, XA) is found through
     * ix_series_modality (ModalitiesInStudy: ix_study_modality_date, for MG, DX, PT, XA) and joined to its studies by
     * hashing the study table, which the planner costs below one key lookup per match while the table has some ten thousand rows (1 % of the instances); with many more
     * studies the date-ordered plan of the common modalities wins. Never on series or instance.
     */
    private static final Pattern HASHED_FOR_A_MODALITY = Pattern.compile("(?s)Hash (Semi )?Join.*(ix_series_modality|ix_study_modality_date)");

    private TestDatabases.Fresh db;
    private SqlIndex index;
    private ScaleArchive archive;

    @BeforeAll
    void load() throws Exception {
        archive = scale();
        db = TestDatabases.freshPostgresSchema();
        index = SqlIndex.open(db.url(), db.user(), db.password(), true);
        long t0 = System.nanoTime();
        PostgresBulkLoad.load(db.url(), db.user(), db.password(), archive, 2, System.out);
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement s = c.createStatement()) {
            // A running archive has built the documents of all but its newest series.
            s.execute("UPDATE series_metadata SET status = 'DONE', flag_time = series_time WHERE abs(hashtext(series_uid)) % 1000 <> 0");
            s.execute("ANALYZE series_metadata");
        }
        System.out.printf("loaded %s in %.1f s%n", archive.describe(), (System.nanoTime() - t0) / 1e9);
    }

    private static ScaleArchive scale() {
        String spec = System.getProperty("stratus.plan.scale", System.getenv().getOrDefault("STRATUS_PLAN_SCALE", "4000x4x3"));
        String[] p = spec.strip().split("x");
        if (p.length != 3) throw new IllegalArgumentException("stratus.plan.scale: STUDIESxSERIESxINSTANCES, not " + spec);
        return new ScaleArchive(T1, Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
    }

    @AfterAll
    void drop() {
        if (index != null) index.close();
        if (db != null) db.drop().run();
    }

    Stream<Arguments> queries() {
        List<Arguments> q = new ArrayList<>();
        for (int v = 0; v < 8; v++) { // every modality once
            for (StandardQueries.Request r : StandardQueries.of(archive, v)) {
                q.add(Arguments.of(r.kind() + " " + r.path(), (SqlSupplier) () -> index.searchSql(T1, r.query())));
            }
        }
        ScaleArchive.Study st = archive.study(archive.studies() / 3);
        String series = archive.seriesUid(st, 1);
        q.add(search("studies by PatientID", Level.STUDY, null, null, "PatientID", st.patientId()));
        q.add(search("studies by PatientName", Level.STUDY, null, null, "PatientName", st.patientName().toLowerCase()));
        q.add(search("studies by fuzzy PatientName", Level.STUDY, null, null, "PatientName", "smi", "fuzzymatching", "true"));
        q.add(search("studies by StudyInstanceUID", Level.STUDY, null, null, "StudyInstanceUID", st.uid() + "\\" + archive.study(7).uid()));
        q.add(search("series by SeriesInstanceUID", Level.SERIES, null, null, "SeriesInstanceUID", series));
        q.add(search("instances of a series", Level.INSTANCE, st.uid(), series));
        q.add(search("instances by SOPInstanceUID", Level.INSTANCE, null, null, "SOPInstanceUID", series + ".2"));
        q.add(Arguments.of("listInstances of a study", (SqlSupplier) () -> index.listInstancesSql(T1, st.uid(), null)));
        q.add(Arguments.of("listInstances of a series", (SqlSupplier) () -> index.listInstancesSql(T1, st.uid(), series)));
        q.add(Arguments.of("pending series", (SqlSupplier) () -> index.pendingSeriesSql(Long.MAX_VALUE, 10)));
        q.add(Arguments.of("a store's lookup of its instances",
                (SqlSupplier) () -> index.existingInstancesSql(T1, List.of(series + ".1", series + ".2", archive.seriesUid(archive.study(9), 1) + ".1"))));
        return q.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void usesIndexes(String name, SqlSupplier sql) throws SQLException {
        String plan = explain(sql.get());
        System.out.println("== " + name + "\n" + plan);
        assertFalse(SEQ_SCAN.matcher(plan).find(), name + " scans a whole table:\n" + sql.get() + "\n" + plan);
        assertFalse(STUDY_SEQ_SCAN.matcher(plan).find() && !HASHED_FOR_A_MODALITY.matcher(plan).find(),
                name + " scans the study table:\n" + sql.get() + "\n" + plan);
        if (name.startsWith("modalities_in_study")) {
            // study_modality (V3) read in date order: no walk of every study probing its series
            assertTrue(plan.contains("ix_study_modality_date"), name + " does not read ix_study_modality_date:\n" + plan);
        }
    }

    private Arguments search(String name, Level level, String study, String series, String... params) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) map.put(params[i], List.of(params[i + 1]));
        return Arguments.of(name, (SqlSupplier) () -> index.searchSql(T1, QidoQueryParser.parse(level, study, series, map)));
    }

    private String explain(String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            while (rs.next()) plan.append(rs.getString(1)).append('\n');
        }
        return plan.toString();
    }

    /** The SQL to explain, made when the test runs (after the data is loaded). */
    interface SqlSupplier {
        String get();
    }
}

package dev.stratus.index.sql;

import dev.stratus.index.HeaderExtract;
import dev.stratus.index.IndexTime;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.PersonNames;
import dev.stratus.index.ScaleArchive;
import org.jooq.Field;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.stratus.index.sql.Tables.INSTANCE;
import static dev.stratus.index.sql.Tables.METADATA;
import static dev.stratus.index.sql.Tables.NAME_TOKEN;
import static dev.stratus.index.sql.Tables.SERIES;
import static dev.stratus.index.sql.Tables.STUDY;
import static dev.stratus.index.sql.Tables.STUDY_MODALITY;

/**
 * Fills a migrated PostgreSQL index with a {@link ScaleArchive} through COPY, some thousand times faster than
 * storing it: the rows are those a store of each whole study writes (HeaderValues for the columns, the counts,
 * modalities, SOP classes and name tokens as Rollup computes them, series_metadata PENDING), as
 * PostgresBulkLoadTest checks against {@code Index.store}. No blob is written: QIDO never reads one.
 */
public final class PostgresBulkLoad {
    private PostgresBulkLoad() {}

    /** Studies per transaction: 50 x 100 instances make about 10 MB of COPY text per table. */
    private static final int CHUNK = 50;
    private static final HexFormat HEX = HexFormat.of();

    /** Loads every study of {@code archive} with {@code threads} connections, then ANALYZEs the tables. */
    public static void load(String url, String user, String password, ScaleArchive archive, int threads, PrintStream log)
            throws Exception {
        AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        int chunks = (archive.studies() + CHUNK - 1) / CHUNK;
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads))) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < Math.max(1, threads); t++) {
                workers.add(pool.submit(() -> {
                    try (Connection c = connect(url, user, password)) {
                        c.setAutoCommit(false);
                        for (int k; (k = next.getAndIncrement()) < chunks; ) {
                            loadStudies(c, archive, k * CHUNK, Math.min(archive.studies(), (k + 1) * CHUNK));
                            c.commit();
                            int d = done.incrementAndGet();
                            if (log != null && (d % 20 == 0 || d == chunks)) {
                                log.printf("  %,d of %,d studies loaded (%.0f s)%n", Math.min(archive.studies(), d * CHUNK),
                                        archive.studies(), (System.nanoTime() - t0) / 1e9);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) w.get();
        }
        try (Connection c = connect(url, user, password); Statement s = c.createStatement()) {
            s.execute("ANALYZE study, series, instance, person_name_token, series_metadata, study_modality");
        }
    }

    /** A connection; without a user, the URL's own (?user=...) or the driver's default. */
    private static Connection connect(String url, String user, String password) throws SQLException {
        return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
    }

    /** Writes studies [from, to) in the caller's transaction. */
    static void loadStudies(Connection c, ScaleArchive archive, int from, int to) throws SQLException {
        Rows study = new Rows("study"), token = new Rows("person_name_token"), series = new Rows("series"),
                instance = new Rows("instance"), metadata = new Rows("series_metadata"),
                studyModality = new Rows("study_modality");
        String tenant = archive.tenant().name();
        for (int s = from; s < to; s++) {
            List<InstanceRecord> records = archive.instances(s);
            Map<String, List<InstanceRecord>> bySeries = new LinkedHashMap<>();
            for (InstanceRecord r : records) bySeries.computeIfAbsent(r.seriesUid(), k -> new ArrayList<>()).add(r);
            TreeSet<String> modalities = new TreeSet<>(), studyClasses = new TreeSet<>();
            for (List<InstanceRecord> members : bySeries.values()) {
                TreeSet<String> classes = new TreeSet<>();
                for (InstanceRecord r : members) {
                    Map<Field<?>, Object> row = new LinkedHashMap<>();
                    row.put(INSTANCE.tenant, tenant);
                    row.put(INSTANCE.sopInstanceUid, r.sopInstanceUid());
                    row.put(INSTANCE.seriesUid, r.seriesUid());
                    row.put(INSTANCE.studyUid, r.studyUid());
                    row.putAll(HeaderValues.instance(r));
                    instance.add(row);
                    if (r.sopClassUid() != null) classes.add(r.sopClassUid());
                }
                InstanceRecord newest = members.getLast();
                long time = IndexTime.nowMicros();
                Map<Field<?>, Object> row = new LinkedHashMap<>();
                row.put(SERIES.tenant, tenant);
                row.put(SERIES.seriesUid, newest.seriesUid());
                row.put(SERIES.studyUid, newest.studyUid());
                row.put(SERIES.numInstances, members.size());
                row.put(SERIES.sopClasses, HeaderExtract.joined(classes, 4000));
                row.put(SERIES.updatedTime, time);
                Map<Field<?>, Object> values = HeaderValues.series(newest);
                row.putAll(values);
                series.add(row);
                if (values.get(SERIES.modality) != null) modalities.add((String) values.get(SERIES.modality));
                studyClasses.addAll(classes);
                Map<Field<?>, Object> pending = new LinkedHashMap<>();
                pending.put(METADATA.tenant, tenant);
                pending.put(METADATA.seriesUid, newest.seriesUid());
                pending.put(METADATA.studyUid, newest.studyUid());
                pending.put(METADATA.seriesTime, time);
                pending.put(METADATA.status, Rollup.PENDING);
                pending.put(METADATA.retries, 0);
                pending.put(METADATA.nextAttemptTime, 0L);
                metadata.add(pending);
            }
            InstanceRecord newest = records.getLast();
            Map<Field<?>, Object> row = new LinkedHashMap<>();
            row.put(STUDY.tenant, tenant);
            row.put(STUDY.studyUid, newest.studyUid());
            row.put(STUDY.numSeries, bySeries.size());
            row.put(STUDY.numInstances, records.size());
            row.put(STUDY.modalities, HeaderExtract.joined(modalities, 1024));
            row.put(STUDY.sopClasses, HeaderExtract.joined(studyClasses, 4000));
            row.put(STUDY.updatedTime, IndexTime.nowMicros());
            row.putAll(HeaderValues.study(newest));
            study.add(row);
            for (String m : modalities) {
                Map<Field<?>, Object> sm = new LinkedHashMap<>();
                sm.put(STUDY_MODALITY.tenant, tenant);
                sm.put(STUDY_MODALITY.studyUid, newest.studyUid());
                sm.put(STUDY_MODALITY.modality, m);
                sm.put(STUDY_MODALITY.studyDate, row.get(STUDY.studyDate));
                sm.put(STUDY_MODALITY.studyTime, row.get(STUDY.studyTime));
                studyModality.add(sm);
            }
            for (int tag : new int[] {HeaderValues.PATIENT_NAME, HeaderValues.REFERRING_PHYSICIAN_NAME}) {
                for (String t : PersonNames.tokens(newest.attributes().getString(tag))) {
                    Map<Field<?>, Object> tok = new LinkedHashMap<>();
                    tok.put(NAME_TOKEN.tenant, tenant);
                    tok.put(NAME_TOKEN.attributeTag, tag);
                    tok.put(NAME_TOKEN.token, t);
                    tok.put(NAME_TOKEN.studyUid, newest.studyUid());
                    token.add(tok);
                }
            }
        }
        CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
        for (Rows rows : List.of(study, token, series, instance, metadata, studyModality)) rows.copy(copy);
    }

    /** The rows of one table as COPY text (tab-separated, \N for null, bytea as \x hex). */
    private static final class Rows {
        private final String table;
        private List<String> columns;
        private final StringBuilder text = new StringBuilder(1 << 20);

        Rows(String table) { this.table = table; }

        void add(Map<Field<?>, Object> row) {
            if (columns == null) {
                columns = new ArrayList<>();
                for (Field<?> f : row.keySet()) columns.add(f.getUnqualifiedName().last());
            } else if (columns.size() != row.size()) {
                throw new IllegalStateException("rows of " + table + " differ in their columns");
            }
            boolean first = true;
            for (Object v : row.values()) {
                if (!first) text.append('\t');
                first = false;
                switch (v) {
                    case null -> text.append("\\N");
                    case byte[] b -> text.append("\\\\x").append(HEX.formatHex(b));
                    case String s -> escape(s);
                    default -> text.append(v);
                }
            }
            text.append('\n');
        }

        private void escape(String s) {
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                switch (ch) {
                    case '\\' -> text.append("\\\\");
                    case '\t' -> text.append("\\t");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    default -> text.append(ch);
                }
            }
        }

        void copy(CopyManager copy) throws SQLException {
            if (columns == null) return;
            try {
                copy.copyIn("COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN", new StringReader(text.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

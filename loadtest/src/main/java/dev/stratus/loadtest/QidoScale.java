package dev.stratus.loadtest;

import dev.stratus.index.ScaleArchive;
import dev.stratus.index.StandardQueries;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.PostgresBulkLoad;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The QIDO scale phase (issue 20): a PostgreSQL index filled with a {@link ScaleArchive} by COPY (no blobs: QIDO
 * never reads one), then the eight {@link StandardQueries} through a server's HTTP API, one client, one request
 * at a time. The first pass meets the freshly started server (cold); after untimed passes the timed ones are warm.
 * Every pass asks new values (a patient, a month, a modality, a study), so no answer is asked twice in a row.
 *
 * <pre>
 *   LoadTest qido-fill --index JDBC_URL --studies S [--series-per-study 10] [--instances-per-series 10] [--threads 2]
 *   LoadTest qido-scale --root URL --studies S [...the same shape] --out FILE [--pid PID] [--index JDBC_URL]
 *                       [--variants 20] [--warmup-passes 3] [--passes 5]
 * </pre>
 * With {@code --pid} and {@code --index}, the CPU each request cost the server and the database (its backends of
 * the index database, from /proc) is measured around every request, outside its timing: on a loaded machine
 * the times mostly say how long a request waited for a core, the CPU what it needed.
 */
final class QidoScale {
    private QidoScale() {}

    private static final TenantId TENANT = TenantId.DEFAULT; // the tenant of a server without multi-tenancy
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    static ScaleArchive archive(Map<String, String> o) {
        int studies = (int) LoadTest.num(o, "studies", 10_000);
        return new ScaleArchive(TENANT, studies, (int) LoadTest.num(o, "series-per-study", 10), (int) LoadTest.num(o, "instances-per-series", 10));
    }

    static void fill(Map<String, String> o) throws Exception {
        String url = o.remove("index");
        if (url == null || !url.startsWith("jdbc:postgresql://")) throw new IllegalArgumentException("qido-fill needs --index jdbc:postgresql://...");
        ScaleArchive a = archive(o);
        int threads = (int) Math.max(1, LoadTest.num(o, "threads", 2));
        if (!o.isEmpty()) throw new IllegalArgumentException("unknown options: " + o.keySet());
        System.err.println("qido-fill: " + a.describe() + " into " + url + " (COPY, " + threads + " connections)");
        long t0 = System.nanoTime();
        PostgresBulkLoad.load(url, null, null, a, threads, System.err);
        System.err.printf(Locale.ROOT, "qido-fill: done in %.0f s (ANALYZE included)%n", (System.nanoTime() - t0) / 1e9);
    }

    static void run(Map<String, String> o) throws Exception {
        String root = o.remove("root"), out = o.remove("out");
        if (root == null || out == null) throw new IllegalArgumentException("qido-scale needs --root and --out");
        if (!root.startsWith("http://127.0.0.1:") && !root.startsWith("http://localhost:")) {
            throw new IllegalArgumentException("the load test only talks to servers on this machine (http://127.0.0.1:PORT/...), not " + root);
        }
        ScaleArchive a = archive(o);
        long pid = LoadTest.num(o, "pid", 0);
        String index = o.remove("index");
        int variants = (int) Math.max(1, LoadTest.num(o, "variants", 20));
        int warmups = (int) LoadTest.num(o, "warmup-passes", 3), passes = (int) Math.max(1, LoadTest.num(o, "passes", 5));
        if (!o.isEmpty()) throw new IllegalArgumentException("unknown options: " + o.keySet());
        Results r = new Results();
        r.put("server", "Stratus");
        r.put("corpus", a.describe());
        r.put("qido_scale.variants", variants);
        r.put("qido_scale.passes", passes);
        new Phase(root.endsWith("/") ? root.substring(0, root.length() - 1) : root, a, variants, pid, index, System.err, r).run(warmups, passes);
        r.save(java.nio.file.Path.of(out));
    }

    /** The passes against one server. */
    private record Phase(String root, ScaleArchive archive, int variants, long pid, String index, PrintStream log, Results results) {
        void run(int warmups, int passes) throws InterruptedException {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            ProcessCpu cpu = pid > 0 ? new ProcessCpu(pid) : null;
            int variant = 0;
            log.printf("qido-scale: %s; %d kinds x %d values per pass: 1 cold pass, %d untimed, %d timed%n", archive.describe(),
                    StandardQueries.KINDS.size(), variants, warmups, passes);
            pass("cold", http, cpu, variant, 1);
            variant += variants;
            pass(null, http, cpu, variant, warmups);
            variant += variants * warmups;
            pass("warm", http, cpu, variant, passes);
            results.put("qido_scale.load_average", ProcessCpu.loadAverage());
        }

        /** {@code count} passes from variant {@code first} on; timed under {@code label} unless it is null. */
        private void pass(String label, HttpClient http, ProcessCpu cpu, int first, int count) throws InterruptedException {
            List<List<Double>> samples = new ArrayList<>();
            long[] matches = new long[StandardQueries.KINDS.size()];
            for (int k = 0; k < StandardQueries.KINDS.size(); k++) samples.add(new ArrayList<>());
            long errors = 0, requests = 0;
            String firstError = null;
            double cpu0 = cpu == null ? Double.NaN : cpu.cpuSeconds();
            double[] serverCpu = new double[samples.size()], dbCpu = new double[samples.size()];
            List<ProcessCpu> backends = label == null ? List.of() : backends();
            for (int v = first; v < first + count * variants; v++) {
                List<StandardQueries.Request> queries = StandardQueries.of(archive, v);
                for (int k = 0; k < queries.size(); k++) {
                    String path = queries.get(k).path();
                    HttpRequest req = HttpRequest.newBuilder(URI.create(root + path)).timeout(TIMEOUT)
                            .header("Accept", "application/dicom+json").GET().build();
                    double s0 = cpu == null ? 0 : cpu.cpuSeconds(), d0 = cpuOf(backends);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        double ms = (System.nanoTime() - t0) / 1e6;
                        requests++;
                        if (cpu != null) serverCpu[k] += cpu.cpuSeconds() - s0;
                        dbCpu[k] += cpuOf(backends) - d0;
                        if (res.statusCode() != 200 && res.statusCode() != 204) {
                            errors++;
                            if (firstError == null) firstError = path + " -> HTTP " + res.statusCode();
                            continue;
                        }
                        samples.get(k).add(ms);
                        matches[k] += res.statusCode() == 204 ? 0 : Answers.arrayLength(res.body());
                    } catch (IOException e) {
                        errors++;
                        if (firstError == null) firstError = path + " -> " + e;
                    }
                }
            }
            if (label == null) return;
            String p = "qido_scale." + label + ".";
            List<Double> all = new ArrayList<>();
            for (int k = 0; k < samples.size(); k++) {
                String kind = StandardQueries.KINDS.get(k);
                results.latencies(p + kind, samples.get(k));
                int n = samples.get(k).size();
                if (n == 0) continue;
                results.put(p + kind + ".matches_per_query", matches[k] / (double) n);
                if (cpu != null) results.put(p + kind + ".server_cpu_ms", serverCpu[k] * 1000 / n);
                if (!backends.isEmpty()) results.put(p + kind + ".db_cpu_ms", dbCpu[k] * 1000 / n);
                all.addAll(samples.get(k));
            }
            results.latencies(p + "all", all);
            results.put(p + "errors", errors);
            if (firstError != null) results.put(p + "first_error", firstError);
            if (cpu != null && requests > 0) results.put(p + "server_cpu_ms_per_request", (cpu.cpuSeconds() - cpu0) * 1000 / requests);
            log.printf(Locale.ROOT, "qido-scale: %s: p50 %.2f ms, p95 %.2f ms over %d requests, %d errors%s%n", label,
                    results.number(p + "all.p50_ms"), results.number(p + "all.p95_ms"), all.size(), errors,
                    firstError == null ? "" : " (" + firstError + ")");
        }

    /** The server's connections to the index database (its PostgreSQL backends), or none without --index. */
        private List<ProcessCpu> backends() {
            if (index == null) return List.of();
            List<ProcessCpu> out = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(index); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                while (rs.next()) out.add(new ProcessCpu(rs.getLong(1)));
            } catch (SQLException e) {
                log.println("qido-scale: cannot list the database's backends, no database CPU: " + e.getMessage());
            }
            return out;
        }

        private static double cpuOf(List<ProcessCpu> processes) {
            double sum = 0;
            for (ProcessCpu p : processes) {
                double c = p.cpuSeconds();
                if (!Double.isNaN(c)) sum += c;
            }
            return sum;
        }
    }

    /** The table of a run: per query kind, p50 and p95 cold and warm, matches per query. */
    static void print(PrintStream out, Results r) {
        out.println("corpus: " + r.get("corpus") + " (PostgreSQL index, COPY-loaded; one client)");
        out.printf("| query | cold p50 ms | cold p95 ms | warm p50 ms | warm p95 ms | target p50 | met | matches | warm server CPU ms | warm db CPU ms |%n");
        out.printf("|---|---:|---:|---:|---:|---|---|---:|---:|---:|%n");
        for (String kind : StandardQueries.KINDS) {
            double warm = r.number("qido_scale.warm." + kind + ".p50_ms");
            out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | <= 10 | %s | %.1f | %.2f | %.2f |%n", kind,
                    r.number("qido_scale.cold." + kind + ".p50_ms"), r.number("qido_scale.cold." + kind + ".p95_ms"),
                    warm, r.number("qido_scale.warm." + kind + ".p95_ms"), warm <= 10 ? "yes" : "NO",
                    r.number("qido_scale.warm." + kind + ".matches_per_query"), r.number("qido_scale.warm." + kind + ".server_cpu_ms"),
                    r.number("qido_scale.warm." + kind + ".db_cpu_ms"));
        }
        out.printf(Locale.ROOT, "errors: cold %s, warm %s; server CPU per request: cold %.2f ms, warm %.2f ms; load average at the end %s%n",
                r.get("qido_scale.cold.errors"), r.get("qido_scale.warm.errors"), r.number("qido_scale.cold.server_cpu_ms_per_request"),
                r.number("qido_scale.warm.server_cpu_ms_per_request"), r.get("qido_scale.load_average"));
    }
}

package dev.stratus.loadtest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Load generator for DICOMweb servers (run by {@code scripts/load-test}, which starts the servers):
 *
 * <pre>
 *   LoadTest run --name Stratus --root http://127.0.0.1:8080/dicomweb --out stratus.txt [--pid PID] [options]
 *   LoadTest run --name Cluster --root http://127.0.0.1:8081/dicomweb,http://127.0.0.1:8082/dicomweb ...
 *                                                  several API nodes of one cluster, each request to the next
 *   LoadTest report stratus.txt [orthanc.txt]      side-by-side table: metric | Stratus | Orthanc | ratio
 *   LoadTest describe [options]                    the corpus and the queries, no traffic
 *   LoadTest qido-fill / qido-scale / qido-report  the QIDO scale phase on PostgreSQL ({@link QidoScale})
 * </pre>
 *
 * Options (corpus): --instances N (1000), --studies S (N/40), --series-per-study K (4), --size PIXELS
 * (512: 512x512 16-bit; e.g. 64 for large N), --warmup W (1000 instances stored untimed first, of their own
 * patient, date and modality OT, so that a JVM server compiles its hot paths before the timed store),
 * --warmup-rounds R (0: cold, a freshly started server meets the timed store, and the reads have no untimed
 * passes either, as a user meets it (issue 20); R > 0: the warm-up corpus is stored and deleted again R times, so that the server runs its
 * steady-state code (10 is the warm method of docs/benchmarks.md) (after 5 rounds, methods called once per request were still reaching C2's thresholds
 * during the timed store: docs/benchmarks.md, sixth session) and the timed store meets an archive that holds only what the timed corpus brings; 1 with
 * the deletion is closest to the method of earlier runs, which kept one round's instances),
 * --orthanc-rest URL (Orthanc's REST root: the warm-up is deleted through its API, as its DICOMweb plugin has
 * no DELETE; without it, through DICOMweb DELETE),
 * --warmup-size PIXELS (the corpus' --size: the warm-up runs the timed path with parts of the timed size; 64
 * gives the smaller warm-up of earlier runs, after which a HotSpot server still compiles its large-part path
 * during the timed store, see docs/benchmarks.md).
 * Options (workload): --clients C (4), --batch B (10 instances per STOW request), --qido-repeats R (10),
 * --qido-variants V (10 values per query kind), --metadata-series M (100), --metadata-warmup U (0 when cold, else 500 untimed
 * metadata requests for other series first: a JIT-compiled server reaches its steady state only after some hundreds),
 * --retrieve-series T (100), --rendered-instances N (100: N instances' /rendered and N others' thumbnails, each
 * asked cold then warm, see {@link RenderedPhase}; 0: none),
 * --quiet-seconds Q (12: how long the server must stay idle after STOW before reads are measured),
 * --settle-max SECONDS (1800).
 * --second-corpus 1|0 (1: a second corpus of the same shape, UIDs of its own, stored and read right after the first,
 * figures under "second."), --viewer-instances N (200; 0: no viewer phase), --viewer-size PIXELS (512),
 * --viewer-concurrency C (6), --viewer-passes P (2): the viewer pattern of {@link ViewerPhase}, after the second corpus.
 * --study-retrieve S (2; 0: none), --study-instances N (100 per study), --study-size PIXELS (512): the whole-study
 * retrieve of {@link StudyPhase}, page cache dropped first, after the viewer pattern. --pid lets the run wait for the server's background work and report its CPU.
 * --corpus-dir DIR keeps the STOW request bodies (written before the timed phase) for the next run with the
 * same corpus; without it they go to a temporary directory deleted at the end.
 * Options (DIMSE phase, after the DICOMweb phases; see {@link DimsePhase}): --dimse-instances N (0: none) of a
 * corpus of their own, sent by --dimse-associations A (4) DCMTK storescu processes at once, one association each,
 * to --dimse-port P with called AE title --dimse-aet AE (run only); --storescu PATH (storescu).
 */
public final class LoadTest {
    private LoadTest() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage(System.out);
            return;
        }
        String command = args[0];
        switch (command) {
            case "run" -> run(options(args, 1));
            case "describe" -> describe(options(args, 1));
            case "qido-fill" -> QidoScale.fill(options(args, 1));
            case "qido-scale" -> QidoScale.run(options(args, 1));
            case "qido-report" -> {
                if (args.length != 2) throw new IllegalArgumentException("qido-report takes one results file");
                QidoScale.print(System.out, Results.load(Path.of(args[1])));
            }
            case "report" -> {
                if (args.length < 2 || args.length > 3) throw new IllegalArgumentException("report takes one or two results files");
                Results a = Results.load(Path.of(args[1]));
                Results b = args.length == 3 ? Results.load(Path.of(args[2])) : null;
                Report.print(System.out, a, b);
            }
            default -> {
                usage(System.err);
                System.exit(2);
            }
        }
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: LoadTest run --name NAME --root URL[,URL...] --out FILE [--pid PID] [options]
                       LoadTest report RESULTS [RESULTS]
                       LoadTest describe [options]
                       LoadTest qido-fill --index JDBC_URL --studies S      (QIDO scale phase, see QidoScale)
                       LoadTest qido-scale --root URL --studies S --out FILE [--pid PID]
                       LoadTest qido-report RESULTS
                options: --instances N --studies S --series-per-study K --size PIXELS --warmup W --warmup-rounds R --warmup-size PIXELS
                         --second-corpus 0|1 --viewer-instances N --viewer-size PIXELS --viewer-concurrency C --viewer-passes P
                         --study-retrieve S --study-instances N --study-size PIXELS
                         --clients C --batch B --qido-repeats R --qido-variants V --metadata-series M --metadata-warmup U
                         --retrieve-series T --rendered-instances N --quiet-seconds Q --settle-max SECONDS --corpus-dir DIR
                         --dimse-instances N --dimse-associations A --dimse-port P --dimse-aet AE --storescu PATH""");
    }

    /** Keeps the second corpus' UIDs and IDs apart from the first's (1), the DIMSE phase's (2) and the warm-up's (9). */
    static final int SECOND_CORPUS_TAG = 3;

    private static Map<String, String> options(String[] args, int from) {
        Map<String, String> o = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("expected --option value at '" + args[i] + "'");
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    static long num(Map<String, String> o, String key, long otherwise) {
        String v = o.remove(key);
        if (v == null) return otherwise;
        try {
            long n = Long.parseLong(v.replace("_", "").replace(",", ""));
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a non-negative whole number, not '" + v + "'");
        }
    }

    /** @param dimse the DIMSE phase's corpus, or null without one */
    private record Setup(Corpus corpus, Corpus warm, Corpus second, Workload.Settings settings, Corpus dimse, int dimseAssociations,
                         ViewerPhase.Settings viewer, StudyPhase.Settings study) {}

    private static Setup setup(Map<String, String> o) {
        long instances = num(o, "instances", 1000);
        int seriesPerStudy = (int) num(o, "series-per-study", 4);
        int studies = (int) num(o, "studies", Math.max(1, Math.round(instances / (seriesPerStudy * 10.0))));
        int size = (int) num(o, "size", 512);
        long warmup = num(o, "warmup", 1000);
        Corpus corpus = new Corpus(1, instances, studies, seriesPerStudy, size, size);
        // The warm-up's point is the server's JIT: it runs the timed path with parts of the timed size.
        int warmSize = (int) num(o, "warmup-size", size);
        Corpus warm = Corpus.warmUp(Math.max(1, warmup), warmSize, warmSize);
        int rounds = (int) num(o, "warmup-rounds", 0);
        Workload.Settings settings = new Workload.Settings(
                (int) Math.max(1, num(o, "clients", 4)), (int) Math.max(1, num(o, "batch", 10)),
                (int) Math.max(1, num(o, "qido-repeats", 10)), (int) Math.max(1, num(o, "qido-variants", 10)),
                (int) Math.max(1, num(o, "metadata-series", 100)), (int) num(o, "metadata-warmup", rounds == 0 ? 0 : 500),
                (int) Math.max(1, num(o, "retrieve-series", 100)),
                num(o, "pid", 0), (int) num(o, "quiet-seconds", 12), (int) num(o, "settle-max", 1800),
                o.containsKey("corpus-dir") ? Path.of(o.remove("corpus-dir")) : null,
                rounds, o.remove("orthanc-rest"), (int) num(o, "rendered-instances", 100));
        Corpus second = num(o, "second-corpus", 1) == 0 ? null : new Corpus(SECOND_CORPUS_TAG, instances, studies, seriesPerStudy, size, size);
        int viewerInstances = (int) num(o, "viewer-instances", 200);
        ViewerPhase.Settings viewer = viewerInstances == 0 ? null : new ViewerPhase.Settings(viewerInstances,
                (int) num(o, "viewer-size", 512), (int) Math.max(1, num(o, "viewer-concurrency", 6)),
                (int) Math.max(1, num(o, "viewer-passes", 2)));
        int studyRetrieve = (int) num(o, "study-retrieve", 2);
        StudyPhase.Settings study = studyRetrieve == 0 ? null : new StudyPhase.Settings(studyRetrieve,
                (int) Math.max(1, num(o, "study-instances", 100)), (int) Math.max(1, num(o, "study-size", 512)));
        long dimseInstances = num(o, "dimse-instances", 0);
        int associations = (int) Math.max(1, num(o, "dimse-associations", 4));
        Corpus dimse = dimseInstances == 0 ? null : DimsePhase.corpus(dimseInstances, corpus, size);
        return new Setup(corpus, warm, second, settings, dimse, associations, viewer, study);
    }

    private static void describe(Map<String, String> o) {
        Setup s = setup(o);
        if (!o.isEmpty()) throw new IllegalArgumentException("unknown options: " + o.keySet());
        System.out.println("corpus:  " + s.corpus().describe());
        System.out.println("warm-up: " + (s.settings().warmupRounds() == 0 ? "none (cold)"
                : s.settings().warmupRounds() + " rounds of " + s.warm().describe()));
        if (s.second() != null) System.out.println("second:  " + s.second().describe() + " (right after the first, no warm-up)");
        if (s.viewer() != null) {
            System.out.println("viewer:  " + ViewerPhase.corpus(s.viewer()).describe() + "; series metadata, then /frames/1 of each instance, "
                    + s.viewer().concurrency() + " requests in flight, two passes");
        }
        if (s.study() != null) {
            System.out.println("study:   " + StudyPhase.corpus(s.study()).describe() + "; each study retrieved whole, page cache dropped first");
        }
        if (s.dimse() != null) {
            System.out.println("dimse:   " + s.dimse().describe() + "; " + s.dimseAssociations() + " storescu associations");
        }
        System.out.println("queries (QIDO-RS):");
        System.out.print(Workload.describeQueries(s.corpus(), s.settings().qidoVariants()));
    }

    private static void run(Map<String, String> o) throws Exception {
        String name = o.remove("name"), root = o.remove("root"), out = o.remove("out");
        if (name == null || root == null || out == null) throw new IllegalArgumentException("run needs --name, --root and --out");
        for (String r : Workload.roots(root)) {
            if (!r.startsWith("http://127.0.0.1:") && !r.startsWith("http://localhost:")) {
                throw new IllegalArgumentException("the load test only talks to servers on this machine (http://127.0.0.1:PORT/...), not " + r);
            }
        }
        Setup s = setup(o);
        DimsePhase.Settings dimse = null;
        if (s.dimse() != null) {
            String port = o.remove("dimse-port"), aet = o.remove("dimse-aet"), storescu = o.remove("storescu");
            if (port == null || aet == null) throw new IllegalArgumentException("--dimse-instances needs --dimse-port and --dimse-aet");
            dimse = new DimsePhase.Settings(s.dimse().instances(), s.dimseAssociations(), Integer.parseInt(port), aet,
                    storescu == null ? "storescu" : storescu);
        } else {
            o.remove("dimse-port");
            o.remove("dimse-aet");
            o.remove("storescu");
        }
        if (!o.isEmpty()) throw new IllegalArgumentException("unknown options: " + o.keySet());
        System.err.println("[" + name + "] corpus: " + s.corpus().describe());
        long t0 = System.nanoTime();
        Workload.Settings settings = s.settings();
        Path tempBodies = null;
        if (settings.corpusDir() == null) {
            tempBodies = java.nio.file.Files.createTempDirectory("stratus-load-bodies");
            settings = settings.withCorpusDir(tempBodies);
        }
        Results r;
        try {
            List<DimsePhase.Stream> dimseFiles = null;
            if (dimse != null) {
                System.err.printf("[%s] DIMSE files:%n", name);
                dimseFiles = DimsePhase.prepare(s.dimse(), dimse.associations(), settings.corpusDir().resolve("dimse"), 2, System.err);
            }
            r = new Workload(name, root, s.corpus(), s.warm(), s.second(), settings, System.err).run();
            if (s.viewer() != null) {
                new ViewerPhase(name, root, s.viewer(), System.err).run(settings.corpusDir(), settings.batch(),
                        settings.pid() > 0 ? new ProcessCpu(settings.pid()) : null, settings.quietSeconds(), settings.settleMaxSeconds(), r);
            }
            if (s.study() != null) {
                new StudyPhase(name, Workload.roots(root).getFirst(), s.study(), System.err).run(settings.corpusDir(), settings.batch(),
                        settings.pid() > 0 ? new ProcessCpu(settings.pid()) : null, settings.quietSeconds(), settings.settleMaxSeconds(), r);
            }
            if (dimse != null) {
                Path logDir = Path.of(out).toAbsolutePath().getParent();
                DimsePhase.run(name, root, s.dimse(), dimseFiles, dimse, settings, r, logDir, System.err);
            }
        } finally {
            if (tempBodies != null) deleteTree(tempBodies);
        }
        r.put("run.seconds", (System.nanoTime() - t0) / 1e9);
        r.save(Path.of(out));
        System.err.printf(Locale.ROOT, "[%s] done in %.0f s; figures in %s%n", name, r.number("run.seconds"), out);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
        }
    }

    /** The side-by-side table. */
    static final class Report {
        private Report() {}

        /**
         * One row: key in the results, label, decimals, target on Stratus/Orthanc (NaN: none), whether higher is
         * better, and whether the bound applies to the first server's figure itself rather than to the ratio.
         */
        private record Row(String key, String label, int decimals, String target, double bound, boolean atLeast, boolean absolute) {
            Row(String key, String label, int decimals) { this(key, label, decimals, "", Double.NaN, false, false); }

            Row(String key, String label, int decimals, String target, double bound, boolean atLeast) {
                this(key, label, decimals, target, bound, atLeast, false);
            }
        }

        /** The rows of one corpus' phases; the targets of issue 20 (cold, second) or the warm ones. */
        private static List<Row> corpusRows(Results a, String p, String title, boolean second) {
            boolean cold = !second && "0".equals(a.get("warmup.rounds"));
            String t = title.isEmpty() ? "" : title + ": ";
            List<Row> rows = new ArrayList<>(List.of(
                    second ? new Row(p + "stow.instances_per_s", t + "STOW instances/s", 1, ">= 2.00", 2.0, true)
                            : cold ? new Row(p + "stow.instances_per_s", t + "STOW instances/s", 1, ">= 1.00", 1.0, true)
                            : new Row(p + "stow.instances_per_s", t + "STOW instances/s", 1, ">= 2.00", 2.0, true),
                    new Row(p + "stow.mb_per_s", t + "STOW MB/s", 1),
                    new Row(p + "stow.request.p50_ms", t + "STOW request p50 ms (" + a.get("batch") + " inst.)", 1),
                    new Row(p + "stow.request.p95_ms", t + "STOW request p95 ms", 1),
                    new Row(p + "stow.server_cpu_ms_per_instance", t + "STOW server CPU ms per instance", 2),
                    new Row(p + "stow.server_cores_busy", t + "STOW server cores busy (of " + Runtime.getRuntime().availableProcessors() + ")", 2),
                    new Row(p + "stow.server_jit_cores_busy", t + "  of which JIT compiler threads", 2),
                    new Row(p + "stow.client_cpu_ms_per_instance", t + "STOW client CPU ms per instance", 2),
                    new Row(p + "stow.other_cores_busy", t + "STOW: other processes' cores busy", 2),
                    new Row(p + "settle.seconds", t + "background work after STOW, s", 1),
                    second ? new Row(p + "qido.all.p50_ms", t + "QIDO p50 ms (all queries)", 2, "<= 0.50", 0.5, false)
                            : cold ? new Row(p + "qido.all.p50_ms", t + "QIDO p50 ms (all queries)", 2, "<= 1.00", 1.0, false)
                            : new Row(p + "qido.all.p50_ms", t + "QIDO p50 ms (all queries)", 2, "<= 0.10 (at 100k)", 0.10, false),
                    new Row(p + "qido.all.p95_ms", t + "QIDO p95 ms (all queries)", 2)));
            for (String kind : Workload.QUERY_KINDS) {
                rows.add(new Row(p + "qido." + kind + ".p50_ms", t + "  QIDO " + kind + " p50 ms", 2));
                if (!second) rows.add(new Row(p + "qido." + kind + ".p95_ms", t + "  QIDO " + kind + " p95 ms", 2));
            }
            rows.addAll(List.of(
                    second ? new Row(p + "metadata.p50_ms", t + "series metadata p50 ms", 2, "<= 0.50", 0.5, false)
                            : cold ? new Row(p + "metadata.p50_ms", t + "series metadata p50 ms", 2, "<= 1.00", 1.0, false)
                            : new Row(p + "metadata.p50_ms", t + "series metadata p50 ms", 2, "<= 0.20", 0.20, false),
                    new Row(p + "metadata.p95_ms", t + "series metadata p95 ms", 2),
                    second || cold ? new Row(p + "retrieve.mb_per_s", t + "WADO-RS series retrieve MB/s", 1, ">= 1.00", 1.0, true)
                            : new Row(p + "retrieve.mb_per_s", t + "WADO-RS series retrieve MB/s", 1),
                    new Row(p + "retrieve.instances_per_s", t + "WADO-RS retrieve instances/s", 1),
                    new Row(p + "retrieve.server_cpu_ms_per_mb", t + "WADO-RS retrieve server CPU ms per MB", 2),
                    new Row(p + "retrieve.client_cpu_ms_per_mb", t + "WADO-RS retrieve client CPU ms per MB", 2),
                    new Row(p + "retrieve.loadavg_before", t + "load average before the retrieve", 1),
                    new Row(p + "reads.other_cores_busy", t + "reads: other processes' cores busy", 2)));
            return rows;
        }

        static void print(PrintStream out, Results a, Results b) {
            for (Results r : b == null ? List.of(a) : List.of(a, b)) {
                double study = r.number("study.cold.mb_per_s"), disk = r.number("disk.seq_read_mb_per_s");
                if (!Double.isNaN(study) && !Double.isNaN(disk) && disk > 0) r.put("study.cold.of_disk_read", study / disk);
            }
            List<Row> rows = new ArrayList<>(List.of(
                    new Row("start.ready_s", "process start to ready, s", 2, "<= 1 s (" + a.get("server") + ")", 1.0, false, true),
                    new Row("start.cpu_s", "CPU used by then, s", 2)));
            boolean cold = "0".equals(a.get("warmup.rounds"));
            rows.addAll(corpusRows(a, "", cold ? "cold" : "", false));
            if (a.get("second.stow.instances") != null) rows.addAll(corpusRows(a, "second.", "second", true));
            boolean bigSeries = a.number("viewer.pass1.metadata_instances") >= 2000;
            for (String pass : List.of("pass1", "pass2")) {
                String v = "viewer." + pass + ".", label = "viewer " + (pass.equals("pass1") ? "1st" : "2nd") + " pass: ";
                rows.addAll(List.of(
                        pass.equals("pass1") && bigSeries
                                ? new Row(v + "metadata_ms", label + "series metadata ms", 1, "<= 0.20 (2,000 inst.)", 0.2, false)
                                : new Row(v + "metadata_ms", label + "series metadata ms", 1),
                        new Row(v + "metadata_server_cpu_ms", label + "server CPU ms over the series metadata", 1),
                        new Row(v + "frame.p50_ms", label + "frame p50 ms", 2, "<= 0.50", 0.5, false),
                        new Row(v + "frame.p95_ms", label + "frame p95 ms", 2),
                        new Row(v + "frames_per_s", label + "frames/s", 1, ">= 2.00", 2.0, true),
                        new Row(v + "server_cpu_ms_per_frame", label + "server CPU ms per frame", 2),
                        new Row(v + "client_cpu_ms_per_frame", label + "client CPU ms per frame", 2)));
            }
            rows.addAll(List.of(
                    new Row("rendered.first_ms", "/rendered first request ms (cold JIT)", 1),
                    new Row("rendered.cold.p50_ms", "/rendered p50 ms, first per instance", 1, "<= 0.50", 0.50, false),
                    new Row("rendered.warm.p50_ms", "/rendered p50 ms, again", 1, "<= 0.50", 0.50, false),
                    new Row("rendered.warm.p95_ms", "/rendered p95 ms, again", 1),
                    new Row("thumbnail.first_ms", "thumbnail first request ms (Orthanc: preview)", 1),
                    new Row("thumbnail.cold.p50_ms", "thumbnail p50 ms, first per instance", 1),
                    new Row("thumbnail.warm.p50_ms", "thumbnail p50 ms, again", 1),
                    new Row("study.cold.mb_per_s", "whole-study retrieve MB/s, page cache dropped", 1, ">= 2.00", 2.0, true),
                    new Row("study.cold.of_disk_read", "  of the disk's sequential read", 2, ">= 0.50 (" + a.get("server") + ")", 0.5, true, true),
                    new Row("study.cold.server_cpu_ms_per_mb", "  server CPU ms per MB", 2),
                    new Row("study.cold.loadavg_before", "  load average before", 1),
                    new Row("study.warm.mb_per_s", "whole-study retrieve MB/s, again (page cache)", 1),
                    new Row("study.warm.server_cpu_ms_per_mb", "  server CPU ms per MB", 2),
                    new Row("disk.seq_read_mb_per_s", "disk: sequential read MB/s (512 MB file, cache dropped)", 1),
                    new Row("disk.blob_read_mb_per_s", "disk: cat of the server's files MB/s (cache dropped)", 1),
                    new Row("dimse.instances_per_s", "DIMSE C-STORE instances/s (" + a.get("dimse.associations") + " assoc.)", 1),
                    new Row("dimse.mb_per_s", "DIMSE C-STORE MB/s", 1),
                    new Row("dimse.server_cpu_ms_per_instance", "DIMSE server CPU ms per instance", 2),
                    new Row("dimse.server_cores_busy", "DIMSE server cores busy", 2),
                    new Row("dimse.client_cpu_ms_per_instance", "DIMSE storescu CPU ms per instance", 2),
                    new Row("dimse.other_cores_busy", "DIMSE: other processes' cores busy", 2),
                    new Row("dimse.settle.seconds", "background work after DIMSE, s", 1),
                    new Row("server.rss_mb", "server resident memory MB (end)", 0),
                    new Row("disk.mb", "data on disk MB (end)", 1)));

            String nameA = a.get("server"), nameB = b == null ? "-" : b.get("server");
            out.println("corpus: " + a.get("corpus") + ("0".equals(a.get("warmup.rounds")) ? " (cold: no warm-up)"
                    : " (after " + a.get("warmup.rounds") + " warm-up rounds)"));
            if (a.get("second.corpus") != null) out.println("second corpus, right after: " + a.get("second.corpus"));
            if (a.get("viewer.series") != null) {
                out.println("viewer pattern: " + a.get("viewer.series") + "; series metadata, then /frames/1 of each instance with "
                        + a.get("viewer.concurrency") + " requests in flight; Accept: " + ViewerPhase.FRAME_ACCEPT);
            }
            out.println("STOW: " + a.get("clients") + " concurrent clients, " + a.get("batch") + " instances per request; "
                    + "QIDO/metadata/retrieve: one client, after the server's background work settled");
            if (a.get("dimse.corpus") != null) {
                out.println("DIMSE (after the reads): " + a.get("dimse.corpus") + "; " + a.get("dimse.associations")
                        + " storescu processes at once, one association each: " + a.get("dimse.command")
                        + "; TCP_NODELAY " + a.get("dimse.tcp_nodelay"));
            }
            out.println();
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"metric", nameA, nameB, "ratio " + nameA + "/" + nameB, "target", "met"});
            for (Row r : rows) {
                double va = a.number(r.key()), vb = b == null ? Double.NaN : b.number(r.key());
                if (Double.isNaN(va) && Double.isNaN(vb)) continue;
                double ratio = va / vb;
                String met = "";
                double judged = r.absolute() ? va : ratio;
                if (!Double.isNaN(r.bound()) && !Double.isNaN(judged) && !Double.isInfinite(judged)) {
                    met = (r.atLeast() ? judged >= r.bound() : judged <= r.bound()) ? "yes" : "NO";
                }
                table.add(new String[] {r.label(), fmt(va, r.decimals()), fmt(vb, r.decimals()),
                        Double.isNaN(ratio) || Double.isInfinite(ratio) ? "-" : String.format(Locale.ROOT, "%.3f", ratio), r.target(), met});
            }
            printTable(out, table);

            out.println();
            out.println("checks (should match between the servers):");
            List<String[]> checks = new ArrayList<>();
            checks.add(new String[] {"check", nameA, nameB});
            List<String> keys = new ArrayList<>(List.of("stow.instances", "stow.failed_instances", "qido.errors"));
            for (String kind : Workload.QUERY_KINDS) keys.add("qido." + kind + ".matches_per_query");
            keys.addAll(List.of("metadata.errors", "metadata.wrong_instance_count", "metadata.mean_kb", "retrieve.instances",
                    "retrieve.errors", "retrieve.wrong_instance_count", "retrieve.accept",
                    "rendered.instances", "rendered.errors", "rendered.mean_kb", "thumbnail.errors", "thumbnail.mean_kb",
                    "second.stow.instances", "second.stow.failed_instances", "second.qido.errors", "second.metadata.errors",
                    "second.metadata.wrong_instance_count", "second.retrieve.instances", "second.retrieve.errors",
                    "study.corpus", "study.page_cache", "study.cold.instances", "study.cold.mb", "study.cold.errors", "study.warm.errors",
                    "viewer.pass1.metadata_status", "viewer.pass1.metadata_instances", "viewer.pass1.frames", "viewer.pass1.frame_errors",
                    "viewer.pass1.frame_mean_bytes", "viewer.pass2.frames", "viewer.pass2.frame_errors",
                    "dimse.instances", "dimse.stored_instances", "dimse.missing_instances", "dimse.verify_errors",
                    "dimse.exit_codes", "dimse.error_lines", "dimse.association_seconds"));
            for (String k : keys) {
                String va = a.get(k), vb = b == null ? null : b.get(k);
                if (va == null && vb == null) continue;
                checks.add(new String[] {k, va == null ? "-" : va, vb == null ? "-" : vb});
            }
            printTable(out, checks);
            for (Results r : b == null ? List.of(a) : List.of(a, b)) {
                for (var e : r.all().entrySet()) {
                    if (e.getKey().endsWith("first_error")) out.println(r.get("server") + " " + e.getKey() + ": " + e.getValue());
                }
            }
        }

        private static String fmt(double v, int decimals) {
            if (Double.isNaN(v)) return "-";
            return String.format(Locale.ROOT, "%,." + decimals + "f", v);
        }

        private static void printTable(PrintStream out, List<String[]> rows) {
            int cols = rows.getFirst().length;
            int[] w = new int[cols];
            for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
            for (int n = 0; n < rows.size(); n++) {
                String[] r = rows.get(n);
                StringBuilder sb = new StringBuilder("|");
                for (int i = 0; i < cols; i++) {
                    String cell = r[i];
                    String pad = " ".repeat(w[i] - cell.length());
                    sb.append(' ').append(i == 0 || n == 0 ? cell + pad : pad + cell).append(" |");
                }
                out.println(sb);
                if (n == 0) {
                    StringBuilder sep = new StringBuilder("|");
                    for (int i = 0; i < cols; i++) sep.append(i == 0 ? "-" : "").append("-".repeat(w[i] + (i == 0 ? 1 : 1))).append(i == 0 ? "|" : ":|");
                    out.println(sep);
                }
            }
        }
    }
}

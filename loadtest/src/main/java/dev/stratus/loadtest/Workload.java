package dev.stratus.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workload against one DICOMweb server (PS3.18 services only, so the same code drives any archive):
 * an untimed warm-up store, then STOW-RS of the corpus by concurrent clients, a wait for the server's
 * background work to finish, QIDO-RS latencies over a fixed set of queries, series metadata latencies
 * and whole-series WADO-RS retrieve throughput, then rendered instances and thumbnails ({@link RenderedPhase}).
 */
final class Workload {
    /**
     * @param warmupRounds how often the warm-up corpus is stored and deleted again before the timed store
     * @param orthancRest  Orthanc's REST root, whose API deletes the warm-up (its DICOMweb plugin has no DELETE);
     *                     null: the DICOMweb DELETE of PS3.18 10.7 (Stratus)
     * @param renderedInstances instances of the rendered phase ({@link RenderedPhase}), as many again for thumbnails; 0: none
     */
    record Settings(int clients, int batch, int qidoRepeats, int qidoVariants, int metadataSeries, int metadataWarmup, int retrieveSeries,
                    long pid, int quietSeconds, int settleMaxSeconds, java.nio.file.Path corpusDir, int warmupRounds, String orthancRest,
                    int renderedInstances) {
        Settings withCorpusDir(java.nio.file.Path dir) {
            return new Settings(clients, batch, qidoRepeats, qidoVariants, metadataSeries, metadataWarmup, retrieveSeries, pid,
                    quietSeconds, settleMaxSeconds, dir, warmupRounds, orthancRest, renderedInstances);
        }
    }

    static final String RETRIEVE_ACCEPT = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final String RETRIEVE_ACCEPT_PLAIN = "multipart/related; type=\"application/dicom\"";
    private static final String JSON = "application/dicom+json";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** Untimed rounds before the measured ones (a JVM server compiles its hot paths meanwhile); none when cold. */
    static final int WARM_UP_QIDO_PASSES = 3, WARM_UP_RETRIEVE = 10;

    private int qidoWarmUpPasses() { return settings.warmupRounds() == 0 ? 0 : WARM_UP_QIDO_PASSES; }

    private int retrieveWarmUps() { return settings.warmupRounds() == 0 ? 0 : WARM_UP_RETRIEVE; }

    private final String name;
    /** The servers' DICOMweb roots; requests go to each in turn (several API nodes of one cluster, round-robin). */
    private final List<String> roots;
    private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
    private final Corpus corpus, warm, second;
    /** The corpus being measured, and the prefix of its figures' keys ("" for the first, "second." for the second). */
    private Corpus measured;
    private String prefix = "";
    private final Settings settings;
    private final PrintStream log;
    private final HttpClient http;
    private final Results results = new Results();

    /**
     * @param root   a DICOMweb root, or several separated by commas (the API nodes of one cluster)
     * @param second a corpus measured right after the first one (null: none)
     */
    Workload(String name, String root, Corpus corpus, Corpus warm, Corpus second, Settings settings, PrintStream log) {
        this.name = name;
        this.roots = roots(root);
        this.second = second;
        this.measured = corpus;
        this.corpus = corpus;
        this.warm = warm;
        this.settings = settings;
        this.log = log;
        // HTTP/1.1 on purpose: the default would try an h2c upgrade, which only one of the servers speaks.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The roots of {@code list} (comma-separated), without a trailing slash. */
    static List<String> roots(String list) {
        List<String> roots = new ArrayList<>();
        for (String r : list.split(",")) {
            String t = r.strip();
            if (t.isEmpty()) throw new IllegalArgumentException("an empty DICOMweb root in '" + list + "'");
            roots.add(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
        }
        return List.copyOf(roots);
    }

    /** The root of the next request: each server in turn, so that what one stores the next reads through another. */
    private String root() {
        return roots.get(Math.floorMod(turn.getAndIncrement(), roots.size()));
    }

    Results run() throws Exception {
        ProcessCpu cpu = settings.pid() > 0 ? new ProcessCpu(settings.pid()) : null;
        put("server", name);
        put("root", String.join(",", roots));
        put("corpus", corpus.describe());
        put("clients", settings.clients());
        put("batch", settings.batch());

        log.printf("[%s] request bodies:%n", name);
        List<StowBodies.Batch> warmBodies = settings.warmupRounds() == 0 ? List.of()
                : StowBodies.prepare(warm, settings.batch(), settings.corpusDir(), "warmup", 2, log);
        List<StowBodies.Batch> bodies = StowBodies.prepare(corpus, settings.batch(), settings.corpusDir(), "corpus", 2, log);
        List<StowBodies.Batch> secondBodies = second == null ? null
                : StowBodies.prepare(second, settings.batch(), settings.corpusDir(), "second", 2, log);

        // Untimed: the warm-up corpus is stored and deleted again, round after round, so that a JIT-compiled server
        // reaches its steady state and the timed store still meets an archive that holds nothing else.
        for (int round = 1; round <= settings.warmupRounds(); round++) {
            log.printf("[%s] warm-up round %d of %d: storing %,d instances, then deleting them (untimed)%n", name, round,
                    settings.warmupRounds(), warm.instances());
            Stow w = stow(warmBodies);
            if (w.failedInstances > 0) log.printf("[%s]   warm-up: %,d instances failed: %s%n", name, w.failedInstances, w.firstError);
            deleteStudies(warm);
        }
        put("warmup.rounds", settings.warmupRounds());
        if (cpu != null && settings.warmupRounds() > 0) settle(cpu, "warm-up", false);

        measure(cpu, corpus, bodies, "");
        // The second corpus meets the same server right after (no warm-up in between): where a JIT-compiled
        // server stands after its first thousand instances.
        if (second != null) {
            put("second.corpus", second.describe());
            measure(cpu, second, secondBodies, "second.");
        }
        prefix = "";
        if (cpu != null) {
            put("server.cpu_s_total", cpu.cpuSeconds());
            put("server.rss_mb", cpu.residentBytes() / 1e6);
        }
        return results;
    }

    /** STOW-RS of {@code c}, the wait for the background work, then QIDO, series metadata and retrieve of it. */
    private void measure(ProcessCpu cpu, Corpus c, List<StowBodies.Batch> bodies, String keyPrefix) throws Exception {
        measured = c;
        prefix = keyPrefix;
        String phase = keyPrefix.isEmpty() ? "" : " (" + keyPrefix.substring(0, keyPrefix.length() - 1) + " corpus)";
        log.printf("[%s] STOW-RS%s: %,d instances, %d clients, %d instances per request%n", name, phase, c.instances(),
                settings.clients(), settings.batch());
        double[] cpuBefore = cpu == null ? null : cpu.userAndSystemSeconds();
        double jitBefore = cpu == null ? Double.NaN : cpu.jitCompilerSeconds();
        double clientBefore = ProcessCpu.ownCpuSeconds();
        double machineBefore = ProcessCpu.machineBusySeconds();
        put("stow.loadavg_before", ProcessCpu.loadAverage());
        String stowStart = java.time.Instant.now().toString();
        Stow s = stow(bodies);
        double machine = ProcessCpu.machineBusySeconds() - machineBefore;
        put("stow.window_utc", stowStart + " " + java.time.Instant.now());
        double clientCpu = ProcessCpu.ownCpuSeconds() - clientBefore;
        double[] cpuAfter = cpu == null ? null : cpu.userAndSystemSeconds();
        double cpuStow = cpu == null || cpuBefore == null || cpuAfter == null ? Double.NaN
                : cpuAfter[0] + cpuAfter[1] - cpuBefore[0] - cpuBefore[1];
        put("stow.instances", s.stored);
        put("stow.failed_instances", s.failedInstances);
        put("stow.failed_requests", s.failedRequests);
        if (s.firstError != null) put("stow.first_error", s.firstError);
        put("stow.seconds", s.seconds);
        put("stow.instances_per_s", s.stored / s.seconds);
        put("stow.mb_per_s", s.payloadBytes * (s.stored / (double) Math.max(1, s.stored + s.failedInstances)) / 1e6 / s.seconds);
        put("stow.payload_mb", s.payloadBytes / 1e6);
        latencies("stow.request", s.latencies);
        put("stow.client_cpu_ms_per_instance", clientCpu * 1000 / Math.max(1, s.stored));
        if (!Double.isNaN(cpuStow)) {
            put("stow.server_cpu_s", cpuStow);
            put("stow.server_cpu_user_s", cpuAfter[0] - cpuBefore[0]);
            put("stow.server_cpu_system_s", cpuAfter[1] - cpuBefore[1]);
            put("stow.server_cores_busy", cpuStow / s.seconds);
            // what else ran meanwhile (other users' builds on a shared machine): busy cores not ours
            put("stow.other_cores_busy", Math.max(0, (machine - cpuStow - clientCpu) / s.seconds));
            put("stow.server_cpu_ms_per_instance", cpuStow * 1000 / Math.max(1, s.stored));
            // a JIT-compiled server still compiling during the timed store: the part of its CPU that did so
            put("stow.server_jit_cores_busy", (cpu.jitCompilerSeconds() - jitBefore) / s.seconds);
        }
        log.printf("[%s]   %,d stored in %.1f s: %.1f instances/s, %.1f MB/s%s%n", name, s.stored, s.seconds,
                s.stored / s.seconds, number("stow.mb_per_s"),
                s.failedInstances > 0 ? " (" + s.failedInstances + " failed: " + s.firstError + ")" : "");

        if (cpu != null) {
            double before = cpu.cpuSeconds();
            double busy = settle(cpu, "after STOW", true);
            put("settle.seconds", busy);
            put("settle.server_cpu_s", cpu.cpuSeconds() - before);
        }

        String t = java.time.Instant.now().toString();
        double machineReads = ProcessCpu.machineBusySeconds(), serverReads = cpu == null ? Double.NaN : cpu.cpuSeconds();
        double clientReads = ProcessCpu.ownCpuSeconds();
        long readsStart = System.nanoTime();
        put("reads.loadavg_before", ProcessCpu.loadAverage());
        qido();
        String t2 = java.time.Instant.now().toString();
        put("qido.window_utc", t + " " + t2);
        metadata();
        String t3 = java.time.Instant.now().toString();
        put("metadata.window_utc", t2 + " " + t3);
        retrieve(cpu);
        String t4 = java.time.Instant.now().toString();
        put("retrieve.window_utc", t3 + " " + t4);
        if (prefix.isEmpty()) { // rendered images of the first corpus only: the second adds nothing to what it asks
            new RenderedPhase(name, this::root, settings.orthancRest(), http, results, log).run(corpus, settings.renderedInstances());
            put("rendered.window_utc", t4 + " " + java.time.Instant.now());
        }
        if (cpu != null) {
            double seconds = (System.nanoTime() - readsStart) / 1e9;
            double others = ProcessCpu.machineBusySeconds() - machineReads - (cpu.cpuSeconds() - serverReads)
                    - (ProcessCpu.ownCpuSeconds() - clientReads);
            put("reads.other_cores_busy", Math.max(0, others / seconds));
        }
    }

    private void put(String key, String value) { results.put(prefix + key, value); }

    private void put(String key, long value) { results.put(prefix + key, value); }

    private void put(String key, double value) { results.put(prefix + key, value); }

    private void latencies(String key, List<Double> millis) { results.latencies(prefix + key, millis); }

    private double number(String key) { return results.number(prefix + key); }

    /** Deletes every study of {@code c}: the DICOMweb DELETE, or Orthanc's REST API (lookup, then DELETE). */
    private void deleteStudies(Corpus c) throws IOException, InterruptedException {
        for (int s = 0; s < c.studies(); s++) {
            String uid = c.study(s).uid();
            URI target;
            if (settings.orthancRest() == null) {
                target = URI.create(root() + "/studies/" + uid);
            } else {
                HttpRequest lookup = HttpRequest.newBuilder(URI.create(settings.orthancRest() + "/tools/lookup")).timeout(TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofString(uid)).build();
                HttpResponse<byte[]> found = http.send(lookup, HttpResponse.BodyHandlers.ofByteArray());
                String id = found.statusCode() == 200 ? Answers.orthancStudyId(found.body()) : null;
                if (id == null) throw new IOException("Orthanc's lookup of study " + uid + " answered " + found.statusCode());
                target = URI.create(settings.orthancRest() + "/studies/" + id);
            }
            HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(target).timeout(TIMEOUT).DELETE().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() / 100 != 2) {
                throw new IOException("DELETE " + target + " answered " + res.statusCode() + ": "
                        + new String(res.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    private double settle(ProcessCpu cpu, String what, boolean report) throws InterruptedException {
        log.printf("[%s] waiting for the server's background work %s (quiet for %d s, at most %d s)%n", name, what,
                settings.quietSeconds(), settings.settleMaxSeconds());
        double busy = cpu.awaitQuiet(settings.quietSeconds(), 0.05, settings.settleMaxSeconds(), log);
        if (report) log.printf("[%s]   background work %s%n", name, busy < 0 ? "did not end in time" : String.format(Locale.ROOT, "lasted %.1f s", busy));
        return busy;
    }

    // ------------------------------------------------------------------------------------------------
    // STOW-RS

    private static final class Stow {
        final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long stored, failedInstances, failedRequests, payloadBytes;
        double seconds;
        String firstError;
    }

    private Stow stow(List<StowBodies.Batch> bodies) throws InterruptedException {
        Stow st = new Stow();
        long n = bodies.stream().mapToLong(StowBodies.Batch::instances).sum();
        AtomicLong next = new AtomicLong(), payload = new AtomicLong();
        AtomicLong failed = new AtomicLong(), failedRequests = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long t0 = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(settings.clients())) {
            for (int k = 0; k < settings.clients(); k++) {
                clients.submit(() -> {
                    for (long i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        StowBodies.Batch b = bodies.get((int) i);
                        payload.addAndGet(b.payloadBytes());
                        long r0 = System.nanoTime();
                        try {
                            HttpRequest req = HttpRequest.newBuilder(URI.create(root() + "/studies")).timeout(TIMEOUT)
                                    .header("Content-Type", StowBodies.CONTENT_TYPE).header("Accept", JSON)
                                    .POST(HttpRequest.BodyPublishers.ofFile(b.file())).build();
                            HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                            st.latencies.add((System.nanoTime() - r0) / 1e6);
                            int failedHere = failedParts(res, b.instances());
                            if (failedHere > 0) {
                                failed.addAndGet(failedHere);
                                if (res.statusCode() != 200) failedRequests.incrementAndGet();
                                firstError.compareAndSet(null, "HTTP " + res.statusCode() + ": " + snippet(res.body()));
                            }
                        } catch (IOException e) {
                            failed.addAndGet(b.instances());
                            failedRequests.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                        }
                    }
                    return null;
                });
            }
        } // close() waits for the clients
        st.seconds = (System.nanoTime() - t0) / 1e9;
        st.failedInstances = failed.get();
        st.failedRequests = failedRequests.get();
        st.stored = n - st.failedInstances;
        st.payloadBytes = payload.get();
        st.firstError = firstError.get();
        return st;
    }

    /** Instances of the request that were not stored, from the status and the response's Failed SOP Sequence. */
    private static int failedParts(HttpResponse<byte[]> res, int sent) {
        int status = res.statusCode();
        if (status != 200 && status != 202) return sent;
        try {
            return Math.min(sent, Answers.failedInstances(res.body()));
        } catch (RuntimeException e) {
            return status == 200 ? 0 : sent; // a 200 with an unreadable body: trust the status
        }
    }

    private static String snippet(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return s.isEmpty() ? "(empty body)" : s;
    }

    // ------------------------------------------------------------------------------------------------
    // QIDO-RS

    record Query(String kind, String path) {}

    /** The fixed query set: per kind, {@code variants} queries over values spread through the corpus. */
    static List<List<Query>> queries(Corpus c, int variants) {
        List<Query> byId = new ArrayList<>(), byName = new ArrayList<>(), byDate = new ArrayList<>(),
                byModality = new ArrayList<>(), instances = new ArrayList<>();
        String[] modalities = {"CT", "MR", "CR"};
        for (int j = 0; j < variants; j++) {
            Corpus.Patient p = c.patient((int) ((long) j * c.patients() / variants));
            byId.add(new Query("patient_id", "/studies?PatientID=" + enc(p.id())));
            String surname = p.name().substring(0, p.name().indexOf('^'));
            int end = surname.offsetByCodePoints(0, Math.min(3, surname.codePointCount(0, surname.length())));
            byName.add(new Query("patient_name_wildcard", "/studies?PatientName=" + enc(surname.substring(0, end) + "*")));
            int year = 2010 + j % 15;
            String range = (j % 2 == 0) ? year + "0101-" + year + "0630" : year + "0701-" + year + "1231";
            byDate.add(new Query("study_date_range", "/studies?StudyDate=" + range + "&limit=50"));
            byModality.add(new Query("series_modality", "/series?Modality=" + modalities[j % 3] + "&limit=100"));
            Corpus.Study s = c.study((int) ((long) j * c.studies() / variants));
            instances.add(new Query("study_instances", "/studies/" + s.uid() + "/instances"));
        }
        return List.of(byId, byName, byDate, byModality, instances);
    }

    static final List<String> QUERY_KINDS = List.of("patient_id", "patient_name_wildcard", "study_date_range", "series_modality", "study_instances");

    static String describeQueries(Corpus c, int variants) {
        StringBuilder sb = new StringBuilder();
        for (List<Query> kind : queries(c, variants)) {
            sb.append(String.format(Locale.ROOT, "  %-22s e.g. GET {root}%s%n", kind.getFirst().kind(),
                    java.net.URLDecoder.decode(kind.getFirst().path(), StandardCharsets.UTF_8)));
        }
        return sb.toString();
    }

    private void qido() throws InterruptedException {
        List<List<Query>> kinds = queries(measured, settings.qidoVariants());
        log.printf("[%s] QIDO-RS: %d kinds x %d queries, %d untimed passes then %d timed passes%n", name, kinds.size(),
                settings.qidoVariants(), qidoWarmUpPasses(), settings.qidoRepeats());
        List<List<Double>> samples = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            samples.add(new ArrayList<>());
            counts.add(new long[2]);
        }
        List<Double> all = new ArrayList<>();
        long errors = 0;
        String firstError = null;
        int passes = qidoWarmUpPasses() + settings.qidoRepeats();
        for (int pass = 0; pass < passes; pass++) {
            for (int v = 0; v < settings.qidoVariants(); v++) {
                for (int k = 0; k < kinds.size(); k++) {
                    Query q = kinds.get(k).get(v);
                    HttpRequest req = HttpRequest.newBuilder(URI.create(root() + q.path())).timeout(TIMEOUT).header("Accept", JSON).GET().build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        double ms = (System.nanoTime() - t0) / 1e6;
                        if (res.statusCode() != 200 && res.statusCode() != 204) {
                            errors++;
                            if (firstError == null) firstError = q.path() + " -> HTTP " + res.statusCode() + ": " + snippet(res.body());
                            continue;
                        }
                        if (pass < qidoWarmUpPasses()) continue;
                        samples.get(k).add(ms);
                        all.add(ms);
                        if (pass == passes - 1) { // count the matches once, outside the timing
                            counts.get(k)[0] += countArray(res.body());
                            counts.get(k)[1]++;
                        }
                    } catch (IOException e) {
                        errors++;
                        if (firstError == null) firstError = q.path() + " -> " + e;
                    }
                }
            }
        }
        for (int k = 0; k < kinds.size(); k++) {
            String kind = kinds.get(k).getFirst().kind();
            latencies("qido." + kind, samples.get(k));
            long[] c = counts.get(k);
            if (c[1] > 0) put("qido." + kind + ".matches_per_query", c[0] / (double) c[1]);
        }
        latencies("qido.all", all);
        put("qido.errors", errors);
        if (firstError != null) put("qido.first_error", firstError);
        log.printf("[%s]   p50 %.1f ms, p95 %.1f ms over %d queries%s%n", name, number("qido.all.p50_ms"),
                number("qido.all.p95_ms"), all.size(), errors > 0 ? " (" + errors + " errors: " + firstError + ")" : "");
    }

    private static long countArray(byte[] body) {
        try {
            return Answers.arrayLength(body);
        } catch (RuntimeException e) {
            return -1_000_000; // shows up as a negative mean: the body was not a DICOM JSON array
        }
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------
    // WADO-RS series metadata

    private void metadata() {
        List<Corpus.Series> series = measured.sampleSeries(settings.metadataSeries());
        int warmups = settings.metadataWarmup();
        // Other series of the corpus first; a corpus with too few (1,000 instances: 100 series, all timed) repeats
        // the timed ones (the warm-up corpus is deleted by now).
        List<Corpus.Series> warmSeries = new ArrayList<>(measured.otherSeries(warmups, series));
        for (int i = 0; warmSeries.size() < warmups; i++) warmSeries.add(series.get(i % series.size()));
        log.printf("[%s] series metadata: %d series, after %d untimed requests for other series%n", name, series.size(), warmSeries.size());
        for (Corpus.Series s : warmSeries) {
            try {
                metadataOnce(s);
            } catch (RuntimeException e) {
                log.printf("[%s]   warm-up metadata request failed: %s%n", name, e);
            }
        }
        List<Double> ms = new ArrayList<>();
        long errors = 0, incomplete = 0, bytes = 0;
        String firstError = null;
        for (Corpus.Series s : series) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<byte[]> res = metadataOnce(s);
                double t = (System.nanoTime() - t0) / 1e6;
                if (res.statusCode() != 200) {
                    errors++;
                    if (firstError == null) firstError = "HTTP " + res.statusCode() + ": " + snippet(res.body());
                    continue;
                }
                ms.add(t);
                bytes += res.body().length;
                if (countArray(res.body()) != s.count()) incomplete++;
            } catch (RuntimeException e) {
                errors++;
                if (firstError == null) firstError = e.toString();
            }
        }
        latencies("metadata", ms);
        put("metadata.errors", errors);
        put("metadata.wrong_instance_count", incomplete);
        put("metadata.mean_kb", ms.isEmpty() ? 0 : bytes / 1e3 / ms.size());
        if (firstError != null) put("metadata.first_error", firstError);
        log.printf("[%s]   p50 %.1f ms, p95 %.1f ms%s%n", name, number("metadata.p50_ms"), number("metadata.p95_ms"),
                errors + incomplete > 0 ? " (" + errors + " errors, " + incomplete + " with a wrong instance count; " + firstError + ")" : "");
    }

    private HttpResponse<byte[]> metadataOnce(Corpus.Series s) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(root() + "/studies/" + s.study().uid() + "/series/" + s.uid() + "/metadata"))
                .timeout(TIMEOUT).header("Accept", JSON).GET().build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // WADO-RS retrieve of whole series

    private void retrieve(ProcessCpu cpu) {
        List<Corpus.Series> series = measured.sampleSeries(settings.retrieveSeries());
        String accept = RETRIEVE_ACCEPT;
        // An untimed retrieve finds out whether transfer-syntax=* is understood (of a series not timed, if the corpus
        // has one); then a few other series of the corpus warm the server up.
        List<Corpus.Series> untimed = measured.otherSeries(1, series);
        Corpus.Series w = untimed.isEmpty() ? series.getFirst() : untimed.getFirst();
        Retrieved probe = retrieveOnce(w, accept);
        if (probe.status != 200) {
            log.printf("[%s]   retrieve with transfer-syntax=* answered HTTP %d (%s); retrying without the parameter%n", name, probe.status, probe.error);
            accept = RETRIEVE_ACCEPT_PLAIN;
            retrieveOnce(w, accept);
        }
        List<Corpus.Series> warmSeries = measured.otherSeries(retrieveWarmUps(), series);
        for (Corpus.Series s : warmSeries) retrieveOnce(s, accept);
        log.printf("[%s] WADO-RS retrieve: %d whole series, one client, after %d untimed ones; Accept: %s%n", name, series.size(),
                warmSeries.size() + 1, accept);
        long bytes = 0, instances = 0, errors = 0, wrongCount = 0;
        String firstError = null;
        List<Double> ms = new ArrayList<>();
        double serverBefore = cpu == null ? Double.NaN : cpu.cpuSeconds(), clientBefore = ProcessCpu.ownCpuSeconds();
        put("retrieve.loadavg_before", ProcessCpu.loadAverage());
        long t0 = System.nanoTime();
        for (Corpus.Series s : series) {
            long r0 = System.nanoTime();
            Retrieved r = retrieveOnce(s, accept);
            if (r.status != 200) {
                errors++;
                if (firstError == null) firstError = "HTTP " + r.status + ": " + r.error;
                continue;
            }
            ms.add((System.nanoTime() - r0) / 1e6);
            bytes += r.bytes;
            instances += r.parts;
            if (r.parts != s.count()) wrongCount++;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // CPU per MB: the figure that holds on a shared, loaded machine where MB/s does not
        if (cpu != null) put("retrieve.server_cpu_ms_per_mb", (cpu.cpuSeconds() - serverBefore) * 1000 / Math.max(1e-9, bytes / 1e6));
        put("retrieve.client_cpu_ms_per_mb", (ProcessCpu.ownCpuSeconds() - clientBefore) * 1000 / Math.max(1e-9, bytes / 1e6));
        put("retrieve.accept", accept);
        put("retrieve.series", ms.size());
        put("retrieve.instances", instances);
        put("retrieve.mb", bytes / 1e6);
        put("retrieve.seconds", seconds);
        put("retrieve.mb_per_s", bytes / 1e6 / seconds);
        put("retrieve.instances_per_s", instances / seconds);
        latencies("retrieve.series", ms);
        put("retrieve.errors", errors);
        put("retrieve.wrong_instance_count", wrongCount);
        if (firstError != null) put("retrieve.first_error", firstError);
        log.printf("[%s]   %.1f MB in %.1f s: %.1f MB/s, %.0f instances/s%s%n", name, bytes / 1e6, seconds, bytes / 1e6 / seconds,
                instances / seconds, errors + wrongCount > 0 ? " (" + errors + " errors, " + wrongCount + " with a wrong instance count; " + firstError + ")" : "");
    }

    private record Retrieved(int status, long bytes, long parts, String error) {}

    private Retrieved retrieveOnce(Corpus.Series s, String accept) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(root() + "/studies/" + s.study().uid() + "/series/" + s.uid()))
                .timeout(TIMEOUT).header("Accept", accept).GET().build();
        try {
            HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = res.body()) {
                if (res.statusCode() != 200) return new Retrieved(res.statusCode(), 0, 0, snippet(in.readNBytes(300)));
                String boundary = boundaryOf(res.headers().firstValue("Content-Type").orElse(""));
                if (boundary == null) return new Retrieved(-1, 0, 0, "no boundary in Content-Type " + res.headers().firstValue("Content-Type"));
                DelimiterCounter counter = new DelimiterCounter(("--" + boundary).getBytes(StandardCharsets.US_ASCII));
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    total += n;
                    counter.feed(buf, n);
                }
                // the delimiters: one before each part and the closing one
                return new Retrieved(200, total, Math.max(0, counter.count() - 1), null);
            }
        } catch (IOException e) {
            return new Retrieved(-1, 0, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Retrieved(-1, 0, 0, e.toString());
        }
    }

    static String boundaryOf(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9).strip();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
                return b.isEmpty() ? null : b;
            }
        }
        return null;
    }

    /** Counts occurrences of a delimiter in a stream fed in chunks (occurrences may straddle chunks). */
    static final class DelimiterCounter {
        private final byte[] pattern;
        private final int[] failure;
        private int matched;
        private long count;

        DelimiterCounter(byte[] pattern) {
            this.pattern = pattern;
            failure = new int[pattern.length];
            for (int i = 1, k = 0; i < pattern.length; i++) {
                while (k > 0 && pattern[i] != pattern[k]) k = failure[k - 1];
                if (pattern[i] == pattern[k]) k++;
                failure[i] = k;
            }
        }

        void feed(byte[] b, int n) {
            int k = matched;
            for (int i = 0; i < n; i++) {
                while (k > 0 && b[i] != pattern[k]) k = failure[k - 1];
                if (b[i] == pattern[k]) k++;
                if (k == pattern.length) {
                    count++;
                    k = failure[k - 1];
                }
            }
            matched = k;
        }

        long count() { return count; }
    }
}

package dev.stratus.loadtest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The DIMSE phase of the load test, after the DICOMweb phases: a corpus of its own (new patients, studies and
 * UIDs, so the server stores new data rather than replacing) written as Part 10 files in Explicit VR Little
 * Endian into one directory per association before anything is timed, then one DCMTK {@code storescu} process
 * per directory, all started together (one association each), C-STORE to the server's SCP.
 *
 * <p>Measured over the phase (start of the first process to the end of the last): instances/s and MB/s (Part 10
 * file bytes, like STOW's DICOM bytes), the server's CPU per instance, storescu's CPU (the children's time of
 * this JVM, which waits for them), and other processes' CPU. Then, once the server's background work is done, a
 * QIDO-RS count of each study of the corpus ({@code GET {root}/studies/{uid}/instances}) checks that the server
 * holds every instance.
 *
 * <p>storescu options: {@code -xe} proposes Explicit VR Little Endian first (the files' transfer syntax, so
 * nothing is converted on the way), no {@code -R} (with it storescu opens and parses every file once more before
 * it opens the association, to list the SOP classes; without it it proposes its short list of 64 storage SOP
 * classes, which holds CT, MR and CR, in 128 presentation contexts, once per association), default log level
 * (no line per file), the files named in corpus order, and it stops at the first unsuccessful store: it prints
 * nothing for a failure status at that log level, but exits with the status' high byte (A700 gives 167) and the
 * rest of its files are missing from the count. Errors of the association or the network are "E:"/"F:" lines.
 */
final class DimsePhase {
    /** @param instances 0: no DIMSE phase */
    record Settings(long instances, int associations, int port, String calledAeTitle, String storescu) {}

    /** One association's directory, its files and their bytes. */
    record Stream(Path dir, int files, long bytes) {}

    static final int CORPUS_TAG = 2;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private DimsePhase() {}

    /**
     * The DIMSE corpus: {@code instances} instances shaped like the STOW corpus (same series per study and
     * instances per study), with its own UIDs, patient IDs and accession numbers.
     */
    static Corpus corpus(long instances, Corpus stow, int size) {
        int seriesPerStudy = (int) Math.max(1, Math.min(stow.seriesCount() / stow.studies(), instances));
        long perStudy = Math.max(1, Math.round(stow.instances() / (double) stow.studies()));
        int studies = (int) Math.max(1, Math.min(instances / seriesPerStudy, Math.round(instances / (double) perStudy)));
        return new Corpus(CORPUS_TAG, instances, studies, seriesPerStudy, size, size);
    }

    /**
     * The association that sends instance {@code i}: whole studies, study {@code s} to association
     * {@code s % associations} (a modality or router sends a study on one association); with fewer than 4 studies
     * per association (where that would leave the associations unbalanced), even slices of the corpus order.
     */
    static int streamOf(Corpus c, long i, int associations) {
        if (c.studies() >= 4L * associations) return c.seriesOf(i).study().index() % associations;
        return (int) (i * associations / c.instances());
    }

    /**
     * Writes the corpus's files under {@code dir}/assoc-K/ (reused when a previous call wrote the same corpus for
     * as many associations), with {@code threads} threads. Untimed: the server is idle meanwhile.
     */
    static List<Stream> prepare(Corpus c, int associations, Path dir, int threads, PrintStream log) throws IOException {
        Files.createDirectories(dir);
        Path index = dir.resolve("dimse-index.txt");
        String signature = c.describe() + " | associations " + associations;
        if (Files.exists(index)) {
            List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
            if (lines.size() == associations + 1 && lines.getFirst().equals(signature)) {
                List<Stream> streams = new ArrayList<>();
                boolean complete = true;
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.split(" ");
                    Stream s = new Stream(dir.resolve(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]));
                    streams.add(s);
                    complete &= countFiles(s.dir()) == s.files();
                }
                if (complete) {
                    log.printf("  reusing the %,d DIMSE files in %s%n", c.instances(), dir);
                    return streams;
                }
            }
            Files.delete(index);
        }
        log.printf("  writing %,d Part 10 files for %d associations to %s (untimed)%n", c.instances(), associations, dir);
        long t0 = System.nanoTime();
        Path[] dirs = new Path[associations];
        AtomicLong[] files = new AtomicLong[associations], bytes = new AtomicLong[associations];
        for (int k = 0; k < associations; k++) {
            dirs[k] = dir.resolve("assoc-" + (k + 1));
            deleteTree(dirs[k]);
            Files.createDirectories(dirs[k]);
            files[k] = new AtomicLong();
            bytes[k] = new AtomicLong();
        }
        long n = c.instances();
        int chunk = 256;
        AtomicLong next = new AtomicLong();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads))) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < Math.max(1, threads); t++) {
                tasks.add(pool.submit(() -> {
                    for (long from = next.getAndAdd(chunk); from < n; from = next.getAndAdd(chunk)) {
                        for (long i = from; i < Math.min(n, from + chunk); i++) {
                            int k = streamOf(c, i, associations);
                            byte[] file = c.file(i);
                            // named by corpus order, so a sorted listing sends each series in order
                            write(dirs[k].resolve(String.format(Locale.ROOT, "%09d.dcm", i)), file);
                            files[k].incrementAndGet();
                            bytes[k].addAndGet(file.length);
                        }
                    }
                    return null;
                }));
            }
            StowBodies.awaitAll(tasks, "writing the DIMSE files");
        }
        List<Stream> streams = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        lines.add(signature);
        for (int k = 0; k < associations; k++) {
            streams.add(new Stream(dirs[k], (int) files[k].get(), bytes[k].get()));
            lines.add(dirs[k].getFileName() + " " + files[k].get() + " " + bytes[k].get());
        }
        Files.write(index, lines, StandardCharsets.UTF_8);
        log.printf("  written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return streams;
    }

    private static void write(Path file, byte[] content) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return -1;
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dcm")).count();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The command line's files above this many bytes: a directory scan instead (the kernel allows some 2 MB). */
    private static final long MAX_ARGUMENT_BYTES = 1_000_000;

    /**
     * The storescu command line of one association, run in the association's directory: its files by name in
     * corpus order (each series in order, as a modality sends it), or {@code +sd .} when the list would be too
     * long for a command line (storescu then sends them in directory order).
     */
    static List<String> command(Settings s, Stream stream) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(s.storescu(), "-aec", s.calledAeTitle(), "-xe", "127.0.0.1", Integer.toString(s.port())));
        List<String> names;
        try (var files = Files.list(stream.dir())) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dcm")).sorted().toList();
        }
        long bytes = names.stream().mapToLong(n -> n.length() + 1 + 8).sum();
        if (bytes > MAX_ARGUMENT_BYTES) {
            cmd.addAll(List.of("+sd", "."));
        } else {
            cmd.addAll(names);
        }
        return cmd;
    }

    /** The command for the report: the options and where the files are. */
    private static String describe(List<String> cmd) {
        int files = cmd.indexOf("127.0.0.1") + 2;
        return String.join(" ", cmd.subList(0, files)) + (cmd.contains("+sd") ? " +sd ." : " FILES...")
                + " (in the association's directory)";
    }

    /** What one storescu process did. */
    record Sent(int exitCode, double seconds, long errorLines, long warningLines, String firstError) {}

    /**
     * Runs the phase against the server and adds its figures to {@code results} under {@code dimse.}.
     *
     * @param logDir where each storescu's output goes ({@code <name>-storescu-K.log})
     */
    static void run(String name, String root, Corpus c, List<Stream> all, Settings s, Workload.Settings ws,
                    Results results, Path logDir, PrintStream log) throws IOException, InterruptedException {
        List<Stream> streams = all.stream().filter(x -> x.files() > 0).toList(); // fewer instances than associations
        ProcessCpu cpu = ws.pid() > 0 ? new ProcessCpu(ws.pid()) : null;
        results.put("dimse.corpus", c.describe());
        results.put("dimse.associations", streams.size());
        // DCMTK's network layer disables Nagle's algorithm only with TCP_NODELAY=1 in its environment
        results.put("dimse.tcp_nodelay", System.getenv().getOrDefault("TCP_NODELAY", "unset"));
        log.printf("[%s] DIMSE C-STORE: %,d instances, %d storescu processes (one association each) to %s at 127.0.0.1:%d%n",
                name, c.instances(), streams.size(), s.calledAeTitle(), s.port());

        String prefix = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        List<Path> logs = new ArrayList<>();
        List<ProcessBuilder> builders = new ArrayList<>();
        for (int k = 0; k < streams.size(); k++) {
            Path out = logDir.resolve(prefix + "-storescu-" + (k + 1) + ".log");
            logs.add(out);
            List<String> cmd = command(s, streams.get(k));
            if (k == 0) results.put("dimse.command", describe(cmd));
            builders.add(new ProcessBuilder(cmd).directory(streams.get(k).dir().toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()));
        }

        double[] cpuBefore = cpu == null ? null : cpu.userAndSystemSeconds();
        double childrenBefore = ProcessCpu.ownChildrenCpuSeconds(), ownBefore = ProcessCpu.ownCpuSeconds();
        double machineBefore = ProcessCpu.machineBusySeconds();
        results.put("dimse.loadavg_before", ProcessCpu.loadAverage());
        String start = java.time.Instant.now().toString();
        long t0 = System.nanoTime();
        List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>(); // also read by the shutdown hook
        boolean timedOut = false;
        long[] ended = new long[streams.size()];
        List<java.util.concurrent.CompletableFuture<Process>> exits = new ArrayList<>();
        // stopped with the load generator (the script's clean-up sends it SIGTERM)
        Thread stopClients = new Thread(() -> processes.forEach(Process::destroyForcibly));
        Runtime.getRuntime().addShutdownHook(stopClients);
        try {
            for (int k = 0; k < builders.size(); k++) {
                Process p = builders.get(k).start();
                processes.add(p);
                int kk = k;
                exits.add(p.onExit().whenComplete((x, e) -> ended[kk] = System.nanoTime()));
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos() + c.instances() * 50_000_000L; // 50 ms per instance
            for (var exit : exits) {
                try {
                    exit.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    log.printf("[%s]   storescu did not finish in time: stopping it%n", name);
                    timedOut = true;
                    break;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException(e.getCause());
                }
            }
        } finally {
            for (Process p : processes) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopClients);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs
            }
        }
        for (var exit : exits) exit.join(); // the end times are set once the process has been waited for
        long last = t0;
        for (long e : ended) last = Math.max(last, e);
        double seconds = (last - t0) / 1e9;
        double machine = ProcessCpu.machineBusySeconds() - machineBefore;
        double storescuCpu = ProcessCpu.ownChildrenCpuSeconds() - childrenBefore;
        double ownCpu = ProcessCpu.ownCpuSeconds() - ownBefore;
        double[] cpuAfter = cpu == null ? null : cpu.userAndSystemSeconds();
        results.put("dimse.window_utc", start + " " + java.time.Instant.now());

        List<Sent> sent = new ArrayList<>();
        for (int k = 0; k < processes.size(); k++) {
            Process p = processes.get(k);
            sent.add(scan(logs.get(k), p.exitValue(), (ended[k] - t0) / 1e9));
        }
        long payload = streams.stream().mapToLong(Stream::bytes).sum();
        long failedAssociations = sent.stream().filter(x -> x.exitCode() != 0).count();
        long errorLines = sent.stream().mapToLong(Sent::errorLines).sum();
        String firstError = sent.stream().map(Sent::firstError).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (timedOut) {
            results.put("dimse.timed_out", 1);
            if (firstError == null) firstError = "storescu stopped after " + Math.round(seconds) + " s (timeout)";
        }
        StringBuilder exitCodes = new StringBuilder(), perAssociation = new StringBuilder();
        for (Sent x : sent) {
            exitCodes.append(exitCodes.isEmpty() ? "" : " ").append(x.exitCode());
            perAssociation.append(perAssociation.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f", x.seconds()));
        }
        results.put("dimse.seconds", seconds);
        results.put("dimse.association_seconds", perAssociation.toString());
        results.put("dimse.exit_codes", exitCodes.toString());
        results.put("dimse.failed_associations", failedAssociations);
        results.put("dimse.error_lines", errorLines);
        results.put("dimse.warning_lines", sent.stream().mapToLong(Sent::warningLines).sum());
        if (firstError != null) results.put("dimse.first_error", firstError);
        results.put("dimse.payload_mb", payload / 1e6);
        results.put("dimse.client_cpu_ms_per_instance", storescuCpu * 1000 / Math.max(1, c.instances()));
        if (cpuBefore != null && cpuAfter != null) {
            double server = cpuAfter[0] + cpuAfter[1] - cpuBefore[0] - cpuBefore[1];
            results.put("dimse.server_cpu_s", server);
            results.put("dimse.server_cpu_user_s", cpuAfter[0] - cpuBefore[0]);
            results.put("dimse.server_cpu_system_s", cpuAfter[1] - cpuBefore[1]);
            results.put("dimse.server_cores_busy", server / seconds);
            results.put("dimse.server_cpu_ms_per_instance", server * 1000 / Math.max(1, c.instances()));
            results.put("dimse.other_cores_busy", Math.max(0, (machine - server - storescuCpu - ownCpu) / seconds));
        }
        results.put("dimse.client_cores_busy", storescuCpu / seconds);
        log.printf("[%s]   %,d instances sent in %.1f s (associations: %s s; exit codes %s)%s%n", name, c.instances(), seconds,
                perAssociation, exitCodes, firstError == null ? "" : "; first error: " + firstError);

        if (cpu != null) {
            log.printf("[%s] waiting for the server's background work after DIMSE (quiet for %d s, at most %d s)%n", name,
                    ws.quietSeconds(), ws.settleMaxSeconds());
            double before = cpu.cpuSeconds();
            double busy = cpu.awaitQuiet(ws.quietSeconds(), 0.05, ws.settleMaxSeconds(), log);
            results.put("dimse.settle.seconds", busy);
            results.put("dimse.settle.server_cpu_s", cpu.cpuSeconds() - before);
        }

        Verified v = verify(root, c);
        long stored = v.instances;
        results.put("dimse.instances", c.instances());
        results.put("dimse.stored_instances", stored);
        results.put("dimse.missing_instances", c.instances() - stored);
        results.put("dimse.verify_errors", v.errors);
        if (v.firstError != null) results.put("dimse.verify_first_error", v.firstError);
        // the rates count what the server holds afterwards (all of it, unless something failed)
        results.put("dimse.instances_per_s", stored / seconds);
        results.put("dimse.mb_per_s", payload * (stored / (double) Math.max(1, c.instances())) / 1e6 / seconds);
        log.printf("[%s]   %.1f instances/s, %.1f MB/s; the server holds %,d of the %,d instances (QIDO count of %d studies%s)%n",
                name, results.number("dimse.instances_per_s"), results.number("dimse.mb_per_s"), stored, c.instances(), c.studies(),
                v.errors > 0 ? ", " + v.errors + " errors: " + v.firstError : "");
    }

    /** Exit code, and the error (E:, F:) and warning (W:) lines DCMTK's logger wrote. */
    static Sent scan(Path logFile, int exitCode, double seconds) throws IOException {
        long errors = 0, warnings = 0;
        String first = null;
        for (String line : Files.readAllLines(logFile, StandardCharsets.ISO_8859_1)) {
            if (line.startsWith("E: ") || line.startsWith("F: ")) {
                errors++;
                if (first == null) first = line;
            } else if (line.startsWith("W: ")) {
                warnings++;
            }
        }
        if (first == null && exitCode != 0) first = "storescu exit code " + exitCode + " (" + logFile.getFileName() + ")";
        return new Sent(exitCode, seconds, errors, warnings, first);
    }

    private record Verified(long instances, long errors, String firstError) {}

    /** Counts each study's instances with QIDO-RS. */
    private static Verified verify(String root, Corpus c) throws InterruptedException {
        String base = Workload.roots(root).getFirst();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        long found = 0, errors = 0;
        String firstError = null;
        for (int st = 0; st < c.studies(); st++) {
            String uid = c.study(st).uid();
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/studies/" + uid + "/instances")).timeout(TIMEOUT)
                    .header("Accept", "application/dicom+json").GET().build();
            try {
                HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                if (res.statusCode() == 204 || res.statusCode() == 404) continue; // none of the study
                if (res.statusCode() != 200) {
                    errors++;
                    if (firstError == null) firstError = "HTTP " + res.statusCode() + " for study " + uid;
                    continue;
                }
                found += Answers.arrayLength(res.body());
            } catch (IOException | RuntimeException e) {
                errors++;
                if (firstError == null) firstError = e.toString();
            }
        }
        return new Verified(found, errors, firstError);
    }
}

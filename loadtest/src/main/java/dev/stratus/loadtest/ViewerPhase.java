package dev.stratus.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
 * How a web viewer (OHIF) loads a series: its series metadata first, then every instance's first frame through
 * WADO-RS {@code /frames/1} (PS3.18 10.4.1.1.3) with a few requests in flight (OHIF's default is 6), twice:
 * the first pass is the server's first frames requests, the second what a reader scrolling back meets. The
 * series (one study, one series, {@code rows x columns} 16-bit CT slices, Explicit VR Little Endian) is stored
 * untimed by STOW-RS first, and the server's background work awaited.
 */
final class ViewerPhase extends ServerPhase {
    static final int CORPUS_TAG = 5;
    /** What OHIF asks for (its default: the stored bytes, whatever the transfer syntax). */
    static final String FRAME_ACCEPT = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[1 << 16]);

    /** @param passes 2 for the table (first and second); more to profile the server's frames path */
    record Settings(int instances, int size, int concurrency, int passes) {}

    static Corpus corpus(Settings s) {
        return new Corpus(CORPUS_TAG, s.instances(), 1, 1, s.size(), s.size());
    }

    private final Settings settings;

    ViewerPhase(String name, String root, Settings settings, PrintStream log) {
        super(name, root, log);
        this.settings = settings;
    }

    void run(Path bodiesDir, int batch, ProcessCpu cpu, int quietSeconds, int settleMax, Results r) throws Exception {
        Corpus c = corpus(settings);
        Corpus.Series series = c.series(0);
        r.put("viewer.series", c.describe());
        r.put("viewer.concurrency", settings.concurrency());
        List<StowBodies.Batch> bodies = StowBodies.prepare(c, batch, bodiesDir, "viewer", 2, log);
        log.printf("[%s] viewer pattern: storing a series of %,d instances (untimed)%n", name, c.instances());
        StowBodies.storeUntimed(http, root, bodies, TIMEOUT, "viewer series");
        if (cpu != null) cpu.awaitQuiet(quietSeconds, 0.05, settleMax, log);
        for (int pass = 1; pass <= settings.passes(); pass++) {
            String p = "viewer.pass" + pass + ".";
            double metaCpuBefore = cpu == null ? Double.NaN : cpu.cpuSeconds();
            long t0 = System.nanoTime();
            HttpResponse<byte[]> meta = http.send(HttpRequest.newBuilder(URI.create(root + "/studies/" + series.study().uid()
                    + "/series/" + series.uid() + "/metadata")).timeout(TIMEOUT).header("Accept", "application/dicom+json").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            double metaMs = (System.nanoTime() - t0) / 1e6;
            r.put(p + "metadata_ms", metaMs);
            // the server's CPU over the request (its background work, if any ran meanwhile, included): holds under load
            if (cpu != null) r.put(p + "metadata_server_cpu_ms", (cpu.cpuSeconds() - metaCpuBefore) * 1000);
            r.put(p + "metadata_status", meta.statusCode());
            if (meta.statusCode() == 200) r.put(p + "metadata_instances", Answers.arrayLength(meta.body()));
            double serverBefore = cpu == null ? Double.NaN : cpu.cpuSeconds(), clientBefore = ProcessCpu.ownCpuSeconds();
            Frames f = frames(c, series);
            // CPU per frame: the figure that holds on a shared, loaded machine where latencies do not
            if (cpu != null) r.put(p + "server_cpu_ms_per_frame", (cpu.cpuSeconds() - serverBefore) * 1000 / Math.max(1, f.ok));
            r.put(p + "client_cpu_ms_per_frame", (ProcessCpu.ownCpuSeconds() - clientBefore) * 1000 / Math.max(1, f.ok));
            r.latencies(p + "frame", f.latencies);
            r.put(p + "frames_per_s", f.ok / f.seconds);
            r.put(p + "frames", f.ok);
            r.put(p + "frame_errors", f.errors);
            r.put(p + "frame_mean_bytes", f.ok == 0 ? 0 : f.bytes / f.ok);
            if (f.firstError != null) r.put(p + "frame_first_error", f.firstError);
            log.printf(Locale.ROOT, "[%s]   pass %d: series metadata %.1f ms; %,d frames in %.2f s: %.0f frames/s, p50 %.1f ms%s%n", name, pass,
                    metaMs, f.ok, f.seconds, f.ok / f.seconds, r.number(p + "frame.p50_ms"),
                    f.errors > 0 ? " (" + f.errors + " errors: " + f.firstError + ")" : "");
        }
    }

    private static final class Frames {
        final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long ok, errors, bytes;
        double seconds;
        String firstError;
    }

    /** Frame 1 of every instance of the series, in slice order, {@code concurrency} requests in flight. */
    private Frames frames(Corpus c, Corpus.Series series) throws InterruptedException {
        Frames f = new Frames();
        AtomicLong next = new AtomicLong(), ok = new AtomicLong(), errors = new AtomicLong(), bytes = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        String base = root + "/studies/" + series.study().uid() + "/series/" + series.uid() + "/instances/";
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency())) {
            for (int k = 0; k < settings.concurrency(); k++) {
                pool.submit(() -> {
                    for (long i = next.getAndIncrement(); i < series.count(); i = next.getAndIncrement()) {
                        String uid = c.instance(series.first() + i).uid();
                        long r0 = System.nanoTime();
                        try {
                            // HttpURLConnection (keep-alive, reading straight into one buffer): java.net.http's client
                            // spent more CPU per 512 KB frame than either server, on the same cores (eighth session)
                            var conn = (java.net.HttpURLConnection) URI.create(base + uid + "/frames/1").toURL().openConnection();
                            conn.setRequestProperty("Accept", FRAME_ACCEPT);
                            conn.setConnectTimeout(10_000);
                            conn.setReadTimeout((int) TIMEOUT.toMillis());
                            int status = conn.getResponseCode();
                            long n = 0;
                            try (InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream()) {
                                if (in != null) {
                                    byte[] buf = BUFFER.get();
                                    for (int r = in.read(buf); r >= 0; r = in.read(buf)) n += r;
                                }
                            }
                            double ms = (System.nanoTime() - r0) / 1e6;
                            if (status != 200) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, uid + " -> HTTP " + status);
                                continue;
                            }
                            f.latencies.add(ms);
                            ok.incrementAndGet();
                            bytes.addAndGet(n);
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                        }
                    }
                    return null;
                });
            }
        }
        f.seconds = (System.nanoTime() - t0) / 1e9;
        f.ok = ok.get();
        f.errors = errors.get();
        f.bytes = bytes.get();
        f.firstError = firstError.get();
        return f;
    }
}

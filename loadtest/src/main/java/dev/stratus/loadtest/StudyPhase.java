package dev.stratus.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Whole-study WADO-RS retrieve ({@code GET /studies/{uid}}, multipart/related; type="application/dicom", PS3.18
 * 10.4.1.1.1) of a few big studies, as a PACS or a viewer prefetching a study does: the studies (4 series each,
 * {@code size x size} 16-bit CT slices) are stored untimed by STOW-RS, the server's background work awaited, the
 * page cache dropped (so the blobs come from the disk, not from memory), then each study is retrieved once, one
 * client; then all again, from the page cache this time.
 */
final class StudyPhase extends ServerPhase {
    static final int CORPUS_TAG = 6;
    static final String DROP_CACHES = "/proc/sys/vm/drop_caches";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    record Settings(int studies, int instancesPerStudy, int size) {}

    static Corpus corpus(Settings s) {
        return new Corpus(CORPUS_TAG, (long) s.studies() * s.instancesPerStudy(), s.studies(), 4, s.size(), s.size());
    }

    private final Settings settings;

    StudyPhase(String name, String root, Settings settings, PrintStream log) {
        super(name, root, log);
        this.settings = settings;
    }

    void run(Path bodiesDir, int batch, ProcessCpu cpu, int quietSeconds, int settleMax, Results r) throws Exception {
        Corpus c = corpus(settings);
        r.put("study.corpus", c.describe());
        log.printf("[%s] whole-study retrieve: storing %,d studies of %,d instances (untimed)%n", name, c.studies(), settings.instancesPerStudy());
        StowBodies.storeUntimed(http, root, StowBodies.prepare(c, batch, bodiesDir, "study", 2, log), TIMEOUT, "whole-study phase");
        if (cpu != null) cpu.awaitQuiet(quietSeconds, 0.05, settleMax, log);
        String cache = dropPageCache();
        r.put("study.page_cache", cache);
        log.printf("[%s]   page cache: %s%n", name, cache);
        pass(c, cpu, r, "study.cold.");
        pass(c, cpu, r, "study.warm.");
    }

    /** Every study once, one client: MB/s of the multipart bodies, server CPU per MB. */
    private void pass(Corpus c, ProcessCpu cpu, Results r, String p) {
        double serverBefore = cpu == null ? Double.NaN : cpu.cpuSeconds(), clientBefore = ProcessCpu.ownCpuSeconds();
        r.put(p + "loadavg_before", ProcessCpu.loadAverage());
        long bytes = 0, parts = 0, errors = 0;
        String firstError = null;
        long t0 = System.nanoTime();
        for (int s = 0; s < c.studies(); s++) {
            Retrieved got = retrieve(c.study(s).uid());
            if (got.error != null) {
                errors++;
                if (firstError == null) firstError = got.error;
                continue;
            }
            bytes += got.bytes;
            parts += got.parts;
        }
        double seconds = (System.nanoTime() - t0) / 1e9, mb = bytes / 1e6;
        r.put(p + "mb", mb);
        r.put(p + "seconds", seconds);
        r.put(p + "mb_per_s", mb / seconds);
        r.put(p + "instances", parts);
        r.put(p + "errors", errors);
        if (firstError != null) r.put(p + "first_error", firstError);
        if (cpu != null) r.put(p + "server_cpu_ms_per_mb", (cpu.cpuSeconds() - serverBefore) * 1000 / Math.max(1e-9, mb));
        r.put(p + "client_cpu_ms_per_mb", (ProcessCpu.ownCpuSeconds() - clientBefore) * 1000 / Math.max(1e-9, mb));
        log.printf(Locale.ROOT, "[%s]   %s: %.1f MB (%,d instances) in %.2f s: %.1f MB/s%s%n", name, p, mb, parts, seconds, mb / seconds,
                errors > 0 ? " (" + errors + " errors: " + firstError + ")" : "");
    }

    private record Retrieved(long bytes, long parts, String error) {}

    private Retrieved retrieve(String study) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(root + "/studies/" + study)).timeout(TIMEOUT)
                .header("Accept", Workload.RETRIEVE_ACCEPT).GET().build();
        try {
            HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = res.body()) {
                if (res.statusCode() != 200) return new Retrieved(0, 0, "study " + study + ": HTTP " + res.statusCode());
                String boundary = Workload.boundaryOf(res.headers().firstValue("Content-Type").orElse(""));
                if (boundary == null) return new Retrieved(0, 0, "study " + study + ": no boundary in the Content-Type");
                var counter = new Workload.DelimiterCounter(("--" + boundary).getBytes(StandardCharsets.US_ASCII));
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    total += n;
                    counter.feed(buf, n);
                }
                return new Retrieved(total, Math.max(0, counter.count() - 1), null);
            }
        } catch (IOException e) {
            return new Retrieved(0, 0, "study " + study + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Retrieved(0, 0, e.toString());
        }
    }

    /**
     * {@code sync; echo 3 > /proc/sys/vm/drop_caches} (root only): clean pages, dentries and inodes leave memory, so
     * that the next reads come from the disk. Says what happened, for the results.
     */
    static String dropPageCache() {
        try {
            Process sync = new ProcessBuilder("sync").inheritIO().start();
            if (sync.waitFor() != 0) return "not dropped: sync exited " + sync.exitValue();
            Files.writeString(Path.of(DROP_CACHES), "3");
            return "dropped (sync; echo 3 > " + DROP_CACHES + ")";
        } catch (IOException e) {
            return "not dropped: " + e.getClass().getSimpleName() + " " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not dropped: interrupted";
        }
    }
}

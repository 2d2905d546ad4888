package dev.stratus.loadtest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The STOW-RS request bodies of a corpus, written once to files before anything is timed (and shared by the
 * runs against each server), so the store phase measures the server rather than the generator: during
 * it the client only streams files the page cache holds.
 */
final class StowBodies {
    static final String BOUNDARY = "stratus-load-test-7d2f0b1e9c4a";
    static final String CONTENT_TYPE = "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;

    /** One request: its body file, the instances it holds and their bytes (the DICOM files, without multipart framing). */
    record Batch(Path file, int instances, long payloadBytes) {}

    private StowBodies() {}

    /**
     * The bodies of {@code c} in batches of {@code batch} instances under {@code dir}: reused if a previous
     * call wrote them for the same corpus and batch size, else (re)generated with {@code threads} threads.
     */
    static List<Batch> prepare(Corpus c, int batch, Path dir, String prefix, int threads, PrintStream log) throws IOException {
        Files.createDirectories(dir);
        Path index = dir.resolve(prefix + "-index.txt");
        String signature = c.describe() + " | batch " + batch;
        if (Files.exists(index)) {
            List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.getFirst().equals(signature)) {
                List<Batch> batches = new ArrayList<>();
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.split(" ");
                    batches.add(new Batch(dir.resolve(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2])));
                }
                if (batches.stream().allMatch(b -> Files.exists(b.file()))) {
                    log.printf("  reusing the %,d request bodies in %s%n", batches.size(), dir);
                    return batches;
                }
            }
        }
        long n = c.instances();
        int count = (int) ((n + batch - 1) / batch);
        log.printf("  writing %,d request bodies of %d instances to %s (untimed)%n", count, batch, dir);
        long t0 = System.nanoTime();
        Batch[] out = new Batch[count];
        AtomicLong next = new AtomicLong();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads))) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < Math.max(1, threads); t++) {
                tasks.add(pool.submit(() -> {
                    for (long b = next.getAndIncrement(); b < count; b = next.getAndIncrement()) {
                        out[(int) b] = write(c, b * batch, Math.min(n, (b + 1) * batch), dir.resolve(String.format(java.util.Locale.ROOT, "%s-%06d.bin", prefix, b)));
                    }
                    return null;
                }));
            }
            awaitAll(tasks, "writing the request bodies");
        }
        List<String> lines = new ArrayList<>();
        lines.add(signature);
        for (Batch b : out) lines.add(b.file().getFileName() + " " + b.instances() + " " + b.payloadBytes());
        Files.write(index, lines, StandardCharsets.UTF_8);
        log.printf("  written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return List.of(out);
    }

    /** Waits for the writer tasks; the first failure becomes an IOException saying what was being done. */
    static void awaitAll(List<? extends Future<?>> tasks, String doing) throws IOException {
        for (Future<?> f : tasks) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IOException(doing + " failed", e.getCause() != null ? e.getCause() : e);
            }
        }
    }

    private static Batch write(Corpus c, long from, long to, Path file) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        long payload = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (long i = from; i < to; i++) {
                byte[] dicom = c.file(i);
                payload += dicom.length;
                out.write(head);
                out.write(dicom);
                out.write(crlf);
            }
            out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Batch(file, (int) (to - from), payload);
    }

    /** Stores prepared bodies one after another (a phase's corpus, untimed); any answer but 200 stops the phase. */
    static void storeUntimed(java.net.http.HttpClient http, String root, List<Batch> bodies, java.time.Duration timeout, String phase)
            throws IOException, InterruptedException {
        for (Batch b : bodies) {
            java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(root + "/studies")).timeout(timeout)
                    .header("Content-Type", CONTENT_TYPE).header("Accept", "application/dicom+json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofFile(b.file())).build();
            java.net.http.HttpResponse<Void> res = http.send(req, java.net.http.HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() != 200) throw new IOException(phase + ": STOW-RS answered " + res.statusCode());
        }
    }
}

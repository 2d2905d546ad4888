package dev.stratus.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A mutation fuzzer against the real executable: STOW-RS bodies derived from pydicom's test files (see
 * {@link StowMutator}) are sent one after the other to one server running with a 256 MiB heap. Every body must be
 * answered below 500 within 30 s; afterwards the server is alive, live and ready, stores and serves a good instance,
 * has nothing left in its spool directories, and its heap after a full collection is back near where it started.
 * <p>
 * {@code -Dstratus.fuzz.count} bodies (400 in ./run-tests; scripts/fuzz-test runs 10,000 and more) from
 * {@code -Dstratus.fuzz.seed} (printed); {@code -Dstratus.fuzz.only=I} sends body I of that seed alone. A failing
 * body is saved under target/stow-fuzz/ with its Content-Type and what was done to it.
 */
class StowFuzzTest {
    static final long SEED = Long.getLong("stratus.fuzz.seed", System.nanoTime());
    static final int COUNT = Integer.getInteger("stratus.fuzz.count", 400);
    static final Integer ONLY = Integer.getInteger("stratus.fuzz.only");
    static final Path SEED_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);
    static final String HEAP = "-Xmx256m";
    /**
     * Growth of the heap after a full collection that counts as a leak. Generous: caches that fill once (Jetty's
     * buffer pool keeps up to an eighth of the heap, the metrics registry one timer per route and status) are not
     * leaks, and a leak of a few hundred bytes per request still shows past 10,000 requests in the printed numbers.
     */
    static final long HEAP_GROWTH_AT_MOST = 64L << 20;
    static final int STOP_AFTER_FAILURES = 10;

    @TempDir
    Path dir;

    @Test
    void mutatedStowBodiesAreAnsweredBelow500InBoundedTimeAndLeaveTheServerAsItWas() throws Exception {
        boolean present = Files.isDirectory(SEED_FILES);
        if (!present && "true".equals(System.getenv("CI"))) fail("pydicom test files missing on CI: apt-get install python3-pydicom");
        assumeTrue(present, "pydicom test files not installed (apt-get install python3-pydicom): the fuzzer has no seeds");
        List<StowMutator.Seed> seeds = StowMutator.seedsIn(SEED_FILES);
        StowMutator mutator = new StowMutator(seeds, SEED);
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, dir.resolve("server.log"), List.of("--no-dimse"), Map.of(), HEAP, "-XX:+ExitOnOutOfMemoryError")) {
            ArchiveClient client = new ArchiveClient(server, data);
            client.assertStillServes("start-up"); // and warms up the store path before the baseline
            long heapBefore = server.heapUsedAfterGc();
            Map<String, Integer> statuses = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            long slowest = 0;
            int slowestBody = -1, sent = 0;
            int from = ONLY != null ? ONLY : 0, to = ONLY != null ? ONLY + 1 : COUNT;
            for (int i = from; i < to && failures.size() < STOP_AFTER_FAILURES; i++) {
                StowMutator.Body body = mutator.body(i);
                long started = System.nanoTime();
                String problem = null, status;
                try {
                    HttpResponse<String> r = client.http.send(request(server, body), HttpResponse.BodyHandlers.ofString());
                    status = String.valueOf(r.statusCode());
                    if (r.statusCode() >= 500) problem = "answered " + r.statusCode() + " " + abbreviate(r.body());
                } catch (HttpTimeoutException e) {
                    status = "no answer";
                    problem = "no answer within " + ANSWER_WITHIN.toSeconds() + " s";
                } catch (IOException e) {
                    status = "no answer";
                    problem = "no answer: " + e;
                }
                long took = System.nanoTime() - started;
                sent++;
                statuses.merge(status, 1, Integer::sum);
                if (took > slowest) {
                    slowest = took;
                    slowestBody = i;
                }
                if (problem != null) failures.add(saved(i, body, problem));
                if (!server.isAlive()) {
                    failures.add("the server exited after body " + i);
                    break;
                }
            }
            boolean alive = server.isAlive();
            List<Path> leftovers = alive ? client.spoolLeftovers() : List.of();
            long heapAfter = alive ? server.heapUsedAfterGc() : -1;
            System.out.printf("stow fuzz: %d bodies (seed %d, %d seed files, %s), statuses %s, slowest answer %d ms (body %d), "
                            + "heap after full GC %s before, %s after, spool leftovers %d, failures %d%n",
                    sent, SEED, seeds.size(), HEAP, statuses, slowest / 1_000_000, slowestBody, ArchiveClient.mib(heapBefore),
                    alive ? ArchiveClient.mib(heapAfter) : "n/a (server exited)", leftovers.size(), failures.size());
            if (!failures.isEmpty()) {
                fail(failures.size() + " of " + sent + " bodies failed (seed " + SEED + "; send one again with -Dstratus.fuzz.seed=" + SEED
                        + " -Dstratus.fuzz.only=INDEX):\n" + String.join("\n", failures) + server.logTail(80));
            }
            client.assertStillServes("the fuzz (seed " + SEED + ")");
            assertEquals(List.of(), leftovers, "spool files left after the fuzz (seed " + SEED + ")");
            assertTrue(heapAfter - heapBefore <= HEAP_GROWTH_AT_MOST, "heap after a full collection grew from "
                    + ArchiveClient.mib(heapBefore) + " to " + ArchiveClient.mib(heapAfter) + " (seed " + SEED + ")");
        }
    }

    private static HttpRequest request(ServerProcess server, StowMutator.Body body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + body.path())).timeout(ANSWER_WITHIN);
        if (body.contentType() != null) b.header("Content-Type", body.contentType());
        return b.POST(body.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.bytes()))
                : HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
    }

    /** Saves a failing body under target/stow-fuzz/ and says what it was and where it is. */
    private static String saved(int index, StowMutator.Body body, String problem) throws IOException {
        Path folder = Files.createDirectories(Path.of("target", "stow-fuzz").toAbsolutePath());
        Path bytes = folder.resolve("seed-" + SEED + "-body-" + index + ".multipart");
        Files.write(bytes, body.bytes());
        Files.writeString(folder.resolve("seed-" + SEED + "-body-" + index + ".txt"), "POST " + body.path() + "\nContent-Type: "
                + body.contentType() + "\nchunked: " + body.chunked() + "\nmutations: " + body.description() + "\nproblem: " + problem
                + "\nrepeat: -Dtest=StowFuzzTest -Dstratus.fuzz.seed=" + SEED + " -Dstratus.fuzz.only=" + index + "\n");
        return "body " + index + " (" + body.description() + "): " + problem + "; saved as " + bytes;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}

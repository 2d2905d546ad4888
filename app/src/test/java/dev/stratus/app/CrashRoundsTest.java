package dev.stratus.app;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.index.sql.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash rounds against the real executable: three clients store (and now and then delete) instances while the
 * metadata worker builds documents; the server is killed with SIGKILL at a random moment, started again on the
 * same data, and must be ready in bounded time holding every instance it acknowledged, byte for byte, and none
 * it deleted. Rounds: {@code -Dstratus.crash.rounds} (2 in ./run-tests; scripts/crash-test runs 50 and more). The
 * index: the embedded default, and PostgreSQL as the control.
 */
class CrashRoundsTest {
    static final int ROUNDS = Integer.getInteger("stratus.crash.rounds", 2);
    static final long SEED = Long.getLong("stratus.crash.seed", System.nanoTime());
    static final int CLIENTS = 3, SERIES_PER_ROUND = 3, SAMPLE_OLDER = 30;

    @TempDir
    Path dir;

    @Test
    void theEmbeddedIndexKeepsEveryAcknowledgedInstanceThroughCrashRounds() throws Exception {
        rounds(List.of(), Map.of());
    }

    @Test
    void postgresqlKeepsEveryAcknowledgedInstanceThroughCrashRounds() throws Exception {
        TestDatabases.Fresh db = TestDatabases.freshPostgresSchema();
        try {
            rounds(List.of("--index-url", db.url()), Map.of("STRATUS_INDEX_USER", db.user()));
        } finally {
            db.drop().run();
        }
    }

    /** What the clients were told: stored (with the bytes sent) or deleted. In-flight requests at a kill are neither. */
    record Sent(String study, String series, String sop, byte[] bytes) {}

    private void rounds(List<String> indexOptions, Map<String, String> indexEnv) throws Exception {
        Random random = new Random(SEED);
        Path data = dir.resolve("data");
        List<String> options = new ArrayList<>(List.of("--no-dimse"));
        options.addAll(indexOptions);
        // The worker builds documents during the load, so that kills also land in metadata builds.
        Map<String, String> env = new HashMap<>(Map.of("STRATUS_METADATA_QUIET_SECONDS", "1", "STRATUS_METADATA_BUSY_QUIET_SECONDS", "1",
                "STRATUS_METADATA_POLL_SECONDS", "1"));
        env.putAll(indexEnv);
        Map<String, Sent> stored = new ConcurrentHashMap<>();
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        List<List<String>> seriesSoFar = Collections.synchronizedList(new ArrayList<>()); // [study, series]
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long longestRestartMs = 0;
        int checkedWhole = 0;
        ServerProcess server = ServerProcess.start(data, dir.resolve("server.log"), options, env);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                String study = Uids.generate();
                List<String> roundSeries = new ArrayList<>();
                for (int s = 0; s < SERIES_PER_ROUND; s++) {
                    roundSeries.add(Uids.generate());
                    seriesSoFar.add(List.of(study, roundSeries.getLast()));
                }
                Set<String> storedThisRound = ConcurrentHashMap.newKeySet();
                AtomicBoolean killed = new AtomicBoolean();
                ServerProcess target = server;
                long seed = random.nextLong();
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> running = new ArrayList<>();
                    for (int c = 0; c < CLIENTS; c++) {
                        Random r = new Random(seed + c);
                        running.add(clients.submit(() -> client(http, target, r, study, roundSeries, stored, deleted, storedThisRound, killed)));
                    }
                    Thread.sleep(500 + random.nextInt(2500));
                    killed.set(true);
                    server.kill();
                    for (Future<?> f : running) f.get(60, TimeUnit.SECONDS);
                }
                long started = System.nanoTime();
                server = ServerProcess.start(data, dir.resolve("server.log"), options, env);
                longestRestartMs = Math.max(longestRestartMs, (System.nanoTime() - started) / 1_000_000);
                checkedWhole += verify(http, server, random, stored, deleted, storedThisRound, seriesSoFar, round);
            }
        } finally {
            server.close();
        }
        System.out.printf("crash rounds: %d rounds (seed %d, index %s), %d instances acknowledged and present, %d deleted and absent, "
                        + "%d compared byte for byte, longest restart to ready %d ms%n",
                ROUNDS, SEED, indexOptions.isEmpty() ? "embedded" : indexOptions.get(1), stored.size(), deleted.size(), checkedWhole, longestRestartMs);
    }

    /** Stores one instance a request; one request in ten deletes an instance it stored before. Stops at the kill. */
    private static Void client(HttpClient http, ServerProcess server, Random random, String study, List<String> series,
                               Map<String, Sent> stored, Set<String> deleted, Set<String> storedThisRound, AtomicBoolean killed) {
        List<Sent> mine = new ArrayList<>();
        while (!killed.get()) {
            try {
                if (!mine.isEmpty() && random.nextInt(10) == 0) {
                    Sent victim = mine.remove(random.nextInt(mine.size()));
                    stored.remove(victim.sop()); // in flight: neither present nor absent is wrong
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies/" + victim.study()
                            + "/series/" + victim.series() + "/instances/" + victim.sop())).DELETE().timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() / 100 == 2) deleted.add(victim.sop());
                    continue;
                }
                if (random.nextInt(20) == 0 && !mine.isEmpty()) { // a viewer asking for series metadata while stores go on
                    Sent any = mine.get(random.nextInt(mine.size()));
                    http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies/" + any.study() + "/series/"
                            + any.series() + "/metadata")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
                }
                String se = series.get(random.nextInt(series.size())), sop = Uids.generate();
                byte[] part10 = part10(study, se, sop, random);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies"))
                        .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=b")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(part10))).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    Sent sent = new Sent(study, se, sop, part10);
                    stored.put(sop, sent);
                    storedThisRound.add(sop);
                    mine.add(sent);
                } else if (!killed.get()) {
                    throw new AssertionError("a store was refused while the server ran: " + r.statusCode() + " " + r.body());
                }
            } catch (java.io.IOException e) {
                if (!killed.get()) throw new AssertionError("the server failed a request before the kill", e);
            } catch (InterruptedException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Every stored instance is listed and none deleted is; this round's instances and a sample of older ones are
     * retrieved and compared with the bytes sent. Returns how many were compared.
     */
    private static int verify(HttpClient http, ServerProcess server, Random random, Map<String, Sent> stored, Set<String> deleted,
                              Set<String> storedThisRound, List<List<String>> seriesSoFar, int round) throws Exception {
        Set<String> listed = new java.util.HashSet<>();
        for (List<String> s : List.copyOf(seriesSoFar)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies/" + s.get(0)
                    + "/series/" + s.get(1) + "/instances?includefield=00080018&limit=10000"))
                    .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() == 200 || r.statusCode() == 204, r.statusCode() + " " + r.body());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"00080018\":\\{\"vr\":\"UI\",\"Value\":\\[\"([0-9.]+)\"").matcher(r.body());
            while (m.find()) listed.add(m.group(1));
        }
        for (String sop : stored.keySet()) assertTrue(listed.contains(sop), "round " + round + ": acknowledged " + sop + " is missing" + server.log());
        for (String sop : deleted) assertFalse(listed.contains(sop), "round " + round + ": deleted " + sop + " came back");
        List<Sent> toCompare = new ArrayList<>();
        for (String sop : storedThisRound) if (stored.containsKey(sop)) toCompare.add(stored.get(sop));
        List<Sent> older = new ArrayList<>(stored.values());
        Collections.shuffle(older, random);
        toCompare.addAll(older.subList(0, Math.min(SAMPLE_OLDER, older.size())));
        for (Sent s : toCompare) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies/" + s.study()
                    + "/series/" + s.series() + "/instances/" + s.sop()))
                    .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), "round " + round + ": " + s.sop() + " is retrievable");
            assertArrayEquals(s.bytes(), onlyPart(r), "round " + round + ": " + s.sop() + " comes back whole");
        }
        return toCompare.size();
    }

    /** The one part of a multipart/related answer. */
    private static byte[] onlyPart(HttpResponse<byte[]> r) {
        String type = r.headers().firstValue("Content-Type").orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(type);
        assertTrue(m.find(), type);
        byte[] body = r.body();
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\r\n\r\n", text.indexOf("--" + m.group(1))) + 4;
        int end = text.indexOf("\r\n--" + m.group(1), start);
        return Arrays.copyOfRange(body, start, end);
    }

    private static byte[] part10(String study, String series, String sop, Random random) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(0x00100010, VR.PN, "Crash^Rounds");
        ds.setString(0x00080060, VR.CS, "OT");
        byte[] pixels = new byte[4096 + random.nextInt(8192) * 2];
        random.nextBytes(pixels);
        ds.put(new ValueElement(Tag.PixelData, VR.OB, pixels));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] multipart(byte[] part10) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("--b\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(part10);
        out.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}

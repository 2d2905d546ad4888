package dev.stratus.app;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DeflateBombs;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each attack of the hardening issue (#13) against the real executable, started once with a 256 MiB heap (and
 * -XX:+ExitOnOutOfMemoryError, as the launcher runs it): STOW-RS over the parse budgets, a deflate bomb, a bare
 * data set larger than the heap, a million empty parts, a flood of failed items, bad ranges and frame lists, a
 * server error's answer, multi-valued UIDs, and through C-STORE (DCMTK storescu) the budgets, the bomb, the UID and
 * silent or trickling connections. Each is answered below 500 (or the DIMSE status meant), then the server still
 * stores and serves a good instance and its spool is empty; at the end its heap after a full collection is back near
 * where it started. No speed is asserted (a loaded machine answers slowly): generous hang guards end what never answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard per test
class HostileServerTest {
    static final int MAX_PARTS = 2_000, ARTIM_SECONDS = 2;
    static final long HEAP_GROWTH_AT_MOST = 64L << 20;
    static final int FailureReason = 0x00081197;

    @TempDir
    static Path dir; // one for the class: the server's data directory lives through every test
    ServerProcess server;
    ArchiveClient client;
    int dimsePort;
    long heapBefore;

    @BeforeAll
    void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            dimsePort = s.getLocalPort();
        }
        server = ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"),
                List.of("--dimse-port", String.valueOf(dimsePort), "--dimse-host", "127.0.0.1"),
                Map.of("STRATUS_STOW_MAX_PARTS", String.valueOf(MAX_PARTS), "STRATUS_DIMSE_ARTIM_SECONDS", String.valueOf(ARTIM_SECONDS),
                        // series metadata documents are built during the suite, of what each attack stored
                        "STRATUS_METADATA_QUIET_SECONDS", "1", "STRATUS_METADATA_BUSY_QUIET_SECONDS", "1", "STRATUS_METADATA_POLL_SECONDS", "1"),
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
        client = new ArchiveClient(server, dir.resolve("data"));
        client.assertStillServes("start-up");
        heapBefore = server.heapUsedAfterGc();
    }

    @AfterEach
    void stillServesWithAnEmptySpool(TestInfo test) throws Exception {
        String after = test.getDisplayName();
        client.assertStillServes(after);
        assertEquals(List.of(), client.spoolLeftovers(), "spool files left after " + after);
    }

    @AfterAll
    void heapIsBackNearWhereItStarted() throws Exception {
        try {
            long after = server.heapUsedAfterGc();
            System.out.printf("hostile server: heap after full GC %s at start, %s after every attack (-Xmx256m)%n",
                    ArchiveClient.mib(heapBefore), ArchiveClient.mib(after));
            assertTrue(after - heapBefore <= HEAP_GROWTH_AT_MOST, "heap after a full collection grew from "
                    + ArchiveClient.mib(heapBefore) + " to " + ArchiveClient.mib(after));
        } finally {
            server.close();
        }
    }

    // ------------------------------------------------------------------ STOW-RS

    @Test
    void aPartOverTheElementBudgetIsRefusedWithA700AndTheGoodPartBesideItIsStored() throws Exception {
        Ids good = new Ids();
        HttpResponse<String> r = answered(() -> client.stow(ArchiveClient.multipart(withTrailer(new Ids().part10(),
                emptyItems(1_000_001)), good.part10())));
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(List.of(0xA700), failureReasons(r.body()));
        assertTrue(r.body().contains("over the parse budget of 1,000,000 elements and items"), r.body());
        good.assertServed();
    }

    @Test
    void sequencesNestedBeyondTheDepthBudgetAreRefusedWithA700NotAStackOverflow() throws Exception {
        for (int depth : new int[] {65, 10_000}) {
            HttpResponse<String> r = answered(() -> client.stow(ArchiveClient.multipart(withTrailer(new Ids().part10(), nested(depth)))));
            assertEquals(409, r.statusCode(), depth + " levels: " + r.body());
            assertEquals(List.of(0xA700), failureReasons(r.body()), depth + " levels");
        }
    }

    @Test
    void textValuesOverTheInMemoryBudgetAreRefusedWithA700AndOneJustWithinIsStored() throws Exception {
        DataSet over = new Ids().dataSet();
        byte[] mib = "A".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 65; i++) over.put(new ValueElement(0x00091000 + i, VR.UT, mib)); // 65 MiB of text: over 64 MiB
        HttpResponse<String> r = answered(() -> client.stow(ArchiveClient.multipart(ArchiveClient.part10(over))));
        assertEquals(409, r.statusCode(), r.body());
        assertEquals(List.of(0xA700), failureReasons(r.body()));
        // within the budget, held while parsed: the heap of a 256 MiB server takes it, and its metadata
        Ids within = new Ids();
        DataSet big = within.dataSet();
        for (int i = 0; i < 60; i++) big.put(new ValueElement(0x00091000 + i, VR.UT, mib));
        HttpResponse<String> stored = answered(() -> client.stow(ArchiveClient.multipart(ArchiveClient.part10(big))));
        assertEquals(200, stored.statusCode(), stored.body());
        // its metadata and its study's, asked for by several clients at once while the worker may be building its series
        // document: each held all 60 MiB of text (120 MiB of 1 MiB G1 regions) while it answered, the study's its JSON
        // too, and two of them ran the server out of heap
        List<Thread> readers = new ArrayList<>();
        List<String> answers = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            String path = i % 2 == 0 ? within.path() : "/dicomweb/studies/" + within.study;
            readers.add(Thread.ofVirtual().start(() -> {
                try {
                    HttpResponse<InputStream> m = client.http.send(HttpRequest.newBuilder(URI.create(server.base + path + "/metadata"))
                            .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream in = m.body()) {
                        answers.add(m.statusCode() + " " + in.transferTo(OutputStream.nullOutputStream()));
                    }
                } catch (Exception e) {
                    answers.add(e.toString());
                }
            }));
        }
        for (Thread t : readers) t.join();
        assertTrue(server.isAlive(), "the server outlived the metadata requests" + server.logTail(20));
        for (String a : answers) {
            assertTrue(a.startsWith("200 ") && Long.parseLong(a.substring(4)) > 60L << 20, "metadata with its text inline: " + a);
        }
        // the metadata worker builds its series document (it once held it whole in memory and died of it)
        Path documents = dir.resolve("data/blobs/tenants/default/metadata").resolve(within.study);
        for (int i = 0; i < 100 && !hasFiles(documents); i++) Thread.sleep(200);
        assertTrue(hasFiles(documents), "the series document was built" + server.logTail(20));
        assertTrue(server.isAlive(), "the server outlived building it" + server.logTail(20));
        HttpResponse<Void> series = client.http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies/" + within.study
                + "/series/" + within.series + "/metadata")).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, series.statusCode(), "the series document is served");
    }

    private static boolean hasFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return false;
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".json"));
        }
    }

    @Test
    void aDeflateBombIsRefusedByItsRatioAndLargeDeflatedValuesBecomeBulkData() throws Exception {
        byte[] bomb = DeflateBombs.deflatedZeros(new Ids().dataSet(), 0xFFFFFFFEL, 4095); // some 4 MB that would inflate to 4 GiB
        assertTrue(bomb.length < 8 << 20, "compressed " + bomb.length);
        HttpResponse<String> r = answered(() -> client.stow(ArchiveClient.multipart(bomb)));
        assertEquals(409, r.statusCode(), r.body());
        assertEquals(List.of(0xA700), failureReasons(r.body()));
        assertTrue(r.body().contains("inflated bytes per compressed byte"), r.body());

        Ids ids = new Ids();
        DataSet ds = ids.dataSet();
        byte[] text = new byte[3 << 20];
        for (int i = 0; i < text.length; i++) text[i] = (byte) ('A' + i % 26);
        ds.put(new ValueElement(0x00091010, VR.OB, text));
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        DicomWriter.writeFile(deflated, ds, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, null);
        assertEquals(200, client.stow(ArchiveClient.multipart(deflated.toByteArray())).statusCode());
        HttpResponse<String> metadata = client.get(ids.path() + "/metadata", "application/dicom+json");
        assertEquals(200, metadata.statusCode());
        assertTrue(metadata.body().length() < 64 * 1024, "metadata of " + metadata.body().length() + " characters");
        assertTrue(metadata.body().contains("\"00091010\":{\"vr\":\"OB\",\"BulkDataURI\""), metadata.body());
    }

    @Test
    void aBareDataSetLargerThanTheHeapIsStoredAsPart10() throws Exception {
        long pixels = 300L << 20; // the server has 256 MiB of heap
        Ids ids = new Ids();
        byte[] head = DicomWriter.encode(ids.dataSet(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] ob = {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, (byte) pixels, (byte) (pixels >> 8), (byte) (pixels >> 16), (byte) (pixels >> 24)};
        HttpResponse<String> r = answered(() -> client.http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies"))
                .header("Content-Type", ArchiveClient.STOW_TYPE).timeout(ArchiveClient.HANG_GUARD)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(List.of(
                        new ByteArrayInputStream(("\r\n--stratus-test\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII)),
                        new ByteArrayInputStream(head), new ByteArrayInputStream(ob), zeros(pixels),
                        new ByteArrayInputStream("\r\n--stratus-test--\r\n".getBytes(StandardCharsets.US_ASCII))))))).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, r.statusCode(), r.body());
        HttpResponse<InputStream> back = client.http.send(HttpRequest.newBuilder(URI.create(server.base + ids.path()))
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, back.statusCode());
        byte[] start;
        long size;
        try (InputStream in = back.body()) {
            start = in.readNBytes(4096);
            size = start.length + in.transferTo(OutputStream.nullOutputStream());
        }
        assertTrue(size > pixels, "the whole object came back: " + size + " bytes");
        assertTrue(new String(start, StandardCharsets.ISO_8859_1).contains("DICM"), "stored as Part 10, with a preamble and meta header");
    }

    @Test
    void aMillionEmptyPartsStopAtThePartLimitListingTheStoredOneAndCappingTheFailedItems() throws Exception {
        Ids good = new Ids();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--stratus-test\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(good.part10());
        byte[] empty = "\r\n--stratus-test\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 1_000_000; i++) body.writeBytes(empty); // 20 MB
        body.writeBytes("\r\n--stratus-test--\r\n".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = answered(() -> client.stow(body.toByteArray()));
        assertEquals(202, r.statusCode(), abbreviate(r.body()));
        assertTrue(r.body().contains("more than " + MAX_PARTS + " parts"), abbreviate(r.body()));
        assertTrue(r.body().contains(good.sop), "the stored instance is listed");
        String warning = r.headers().firstValue("Warning").orElse("");
        assertTrue(warning.matches("299 stratus: \"\\d+ more failed instances are not listed\""), warning);
        assertEquals(1_000 + 1, failureReasons(r.body()).size(), "failed instances listed (the first 1,000) and why the rest was not read");
        good.assertServed();

        byte[] onlyEmpty = ArchiveClient.multipart(Collections.nCopies(MAX_PARTS + 1, new byte[0]).toArray(byte[][]::new));
        HttpResponse<String> none = client.stow(onlyEmpty);
        assertEquals(413, none.statusCode(), abbreviate(none.body()));
    }

    @Test
    void bulkDataOutsideTheInstanceIs416AndAFrameListRepeatingAFrameIs400() throws Exception {
        Ids ids = new Ids();
        assertEquals(200, client.stow(ArchiveClient.multipart(ArchiveClient.instance(ids.study, ids.series, ids.sop, 3))).statusCode());
        for (String accept : List.of("application/octet-stream", "multipart/related; type=application/octet-stream")) {
            HttpResponse<String> r = client.get(ids.path() + "/bulkdata/999999-100", accept);
            assertEquals(416, r.statusCode(), accept + ": " + r.body());
        }
        HttpResponse<String> huge = client.http.send(HttpRequest.newBuilder(URI.create(server.base + ids.path() + "/bulkdata/0-100"))
                .header("Accept", "application/octet-stream").header("Range", "bytes=99999999999999999999999-").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(416, huge.statusCode(), huge.body());
        HttpResponse<String> frames = client.get(ids.path() + "/frames/" + String.join(",", Collections.nCopies(3000, "2")),
                "multipart/related; type=application/octet-stream");
        assertEquals(400, frames.statusCode(), frames.body());
        assertEquals(200, client.get(ids.path() + "/frames/3,1,2", "multipart/related; type=application/octet-stream").statusCode());
    }

    @Test
    void aServerErrorAnswersOnlyACorrelationIdUnderWhichTheLogHoldsTheCause() throws Exception {
        Ids ids = new Ids();
        assertEquals(200, client.stow(ArchiveClient.multipart(ids.part10())).statusCode());
        try (Stream<Path> files = Files.walk(dir.resolve("data").resolve("blobs"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(ids.sop + "_")).toList()) Files.delete(f); // lost under the index
        }
        HttpResponse<String> r = client.get(ids.path() + "/frames/1", "multipart/related; type=application/octet-stream");
        assertEquals(500, r.statusCode(), r.body());
        String id = r.headers().firstValue("X-Correlation-ID").orElse("");
        assertTrue(id.matches("[0-9a-f]{16}"), r.headers().map().toString());
        assertEquals("{\"status\":500,\"message\":\"internal error (correlation id " + id + ")\",\"correlationId\":\"" + id + "\"}", r.body());
        assertFalse(r.body().contains(dir.toString()) || r.body().contains("Exception"), r.body());
        assertTrue(server.log().contains(id), "the log holds the correlation id " + id);
        int deleted = client.http.send(HttpRequest.newBuilder(URI.create(server.base + ids.path())).DELETE().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertTrue(deleted == 200 || deleted == 204, "the broken instance can be deleted: " + deleted);
    }

    @Test
    void multiValuedIdentifyingUidsAreRefusedWithA900() throws Exception {
        DataSet ds = new Ids().dataSet();
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3", "4.5");
        HttpResponse<String> r = client.stow(ArchiveClient.multipart(ArchiveClient.part10(ds)));
        assertEquals(409, r.statusCode(), r.body());
        assertEquals(List.of(0xA900), failureReasons(r.body()));
        HttpResponse<String> search = client.get("/dicomweb/studies?StudyInstanceUID=1.2.3", "application/dicom+json");
        assertTrue(search.statusCode() == 204 || search.body().equals("[]"), "nothing stored under its first value: " + search.body());
    }

    // ------------------------------------------------------------------ C-STORE (DCMTK storescu)

    @Test
    void overBudgetAndMultiValuedDataSetsOverCStoreAreRefusedAndTheAssociationGoesOn() throws Exception {
        requireStorescu();
        DataSet deep = new Ids().dataSet();
        DataSet inner = new DataSet();
        for (int i = 0; i < 70; i++) {
            DataSet outer = new DataSet();
            outer.setSequence(0x0040A730, List.of(inner));
            inner = outer;
        }
        deep.setSequence(0x0040A730, List.of(inner));
        DataSet multi = new Ids().dataSet();
        multi.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3", "4.5");
        Ids good = new Ids();
        Path deepFile = Files.write(dir.resolve("deep.dcm"), ArchiveClient.part10(deep));
        Path multiFile = Files.write(dir.resolve("multi.dcm"), ArchiveClient.part10(multi));
        Path goodFile = Files.write(dir.resolve("good.dcm"), good.part10());
        String out = storescu(List.of(), deepFile, multiFile, goodFile);
        String plain = out.toLowerCase().replace(" ", "");
        assertTrue(plain.contains("0xa700") || plain.contains("outofresources"), "depth over budget answered A700:\n" + out);
        assertTrue(plain.contains("0xa900") || plain.contains("datasetdoesnotmatchsopclass"), "multi-valued UID answered A900:\n" + out);
        good.assertServed();
    }

    @Test
    void aDeflatedBombOverCStoreIsRefusedWithA700() throws Exception {
        requireStorescu();
        // 32 MiB of zeros, deflated by storescu on the wire some 1,000:1: past 16 MiB inflated, over the ratio of 100
        Path bomb = Files.write(dir.resolve("bomb.dcm"), DeflateBombs.deflatedZeros(new Ids().dataSet(), 32L << 20, 32));
        Ids good = new Ids();
        Path goodFile = Files.write(dir.resolve("after-bomb.dcm"), good.part10());
        String out = storescu(List.of("-xd"), bomb, goodFile);
        String plain = out.toLowerCase().replace(" ", "");
        assertTrue(plain.contains("deflated"), "sent deflated:\n" + out);
        assertTrue(plain.contains("0xa700") || plain.contains("outofresources"), "bomb answered A700:\n" + out);
        good.assertServed();
    }

    @Test
    void silentAndTricklingConnectionsAreClosedAtTheSetUpDeadlineAndAModalityStoresAfterwards() throws Exception {
        requireStorescu();
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) silent.add(new Socket("127.0.0.1", dimsePort)); // more than the 50 one peer may hold
            Socket trickle = new Socket("127.0.0.1", dimsePort);
            silent.add(trickle);
            long started = System.nanoTime();
            Thread dripping = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream o = trickle.getOutputStream();
                    o.write(new byte[] {0x01, 0x00}); // the start of an A-ASSOCIATE-RQ, then one byte every 300 ms until closed:
                    for (int i = 0; i < 1_000; i++) { // never idle, so only a deadline on the whole set-up closes it
                        Thread.sleep(300);
                        o.write(0);
                        o.flush();
                    }
                } catch (IOException | InterruptedException closed) {
                    // the server closed it: what is expected
                }
            });
            for (Socket s : silent) {
                s.setSoTimeout(120_000); // a hang guard: the deadline is 2 s, a loaded machine may take longer to act on it
                try {
                    while (s.getInputStream().read() >= 0) {
                        // an A-ASSOCIATE-RJ or A-ABORT may come before the close
                    }
                } catch (java.net.SocketTimeoutException e) {
                    fail("hang guard: a connection silent (or trickling) since " + (System.nanoTime() - started) / 1_000_000
                            + " ms is still open: the " + ARTIM_SECONDS + " s set-up deadline never closed it");
                } catch (IOException reset) {
                    // closed
                }
            }
            System.out.printf("hostile server: every silent or trickling connection closed after %d ms (deadline %d s)%n",
                    (System.nanoTime() - started) / 1_000_000, ARTIM_SECONDS);
            dripping.join();
        } finally {
            for (Socket s : silent) s.close();
        }
        Ids good = new Ids();
        storescu(List.of(), Files.write(dir.resolve("after-silent.dcm"), good.part10()));
        good.assertServed();
    }

    // ------------------------------------------------------------------ helpers

    /** Fresh UIDs of one instance, its Part 10 bytes, its WADO-RS path. */
    private final class Ids {
        final String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();

        DataSet dataSet() {
            DataSet ds = new DataSet();
            ds.setString(Tag.SOPClassUID, VR.UI, ArchiveClient.SECONDARY_CAPTURE);
            ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
            ds.setString(Tag.StudyInstanceUID, VR.UI, study);
            ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
            ds.setString(0x00100010, VR.PN, "Hostile^Input");
            return ds;
        }

        byte[] part10() {
            return ArchiveClient.instance(study, series, sop, 1);
        }

        String path() {
            return "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop;
        }

        void assertServed() throws Exception {
            assertEquals(200, client.get(path() + "/metadata", "application/dicom+json").statusCode(), sop + " is served");
        }
    }

    /** Top-level elements appended after Pixel Data, where the reader meets them last. */
    private static byte[] withTrailer(byte[] part10, byte[] trailer) {
        byte[] all = java.util.Arrays.copyOf(part10, part10.length + trailer.length);
        System.arraycopy(trailer, 0, all, part10.length, trailer.length);
        return all;
    }

    /** (7FE1,1010) SQ of undefined length holding {@code n} empty items: 8 bytes each. */
    private static byte[] emptyItems(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 8 * n);
        out.writeBytes(new byte[] {(byte) 0xE1, 0x7F, 0x10, 0x10, 'S', 'Q', 0, 0, -1, -1, -1, -1});
        byte[] item = {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0, 0, 0};
        for (int i = 0; i < n; i++) out.writeBytes(item);
        out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0});
        return out.toByteArray();
    }

    /** (7FE1,1010) sequences of undefined length nested {@code depth} deep, each in an item of the one before. */
    private static byte[] nested(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] sq = {(byte) 0xE1, 0x7F, 0x10, 0x10, 'S', 'Q', 0, 0, -1, -1, -1, -1};
        byte[] item = {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, -1, -1, -1, -1};
        for (int i = 0; i < depth; i++) {
            out.writeBytes(sq);
            out.writeBytes(item);
        }
        for (int i = 0; i < depth; i++) {
            out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x0D, (byte) 0xE0, 0, 0, 0, 0});
            out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0});
        }
        return out.toByteArray();
    }

    private static InputStream zeros(long n) {
        return new InputStream() {
            long left = n;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + k, (byte) 0);
                left -= k;
                return k;
            }
        };
    }

    /** The FailureReason of every failed item of a STOW-RS answer (DICOM JSON), in order. */
    private static List<Integer> failureReasons(String json) {
        List<Integer> reasons = new ArrayList<>();
        Matcher m = Pattern.compile("\"" + String.format("%08X", FailureReason) + "\":\\{\"vr\":\"US\",\"Value\":\\[(\\d+)]").matcher(json);
        while (m.find()) reasons.add(Integer.parseInt(m.group(1)));
        return reasons;
    }

    private static void requireStorescu() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/storescu"));
        if (!present && "true".equals(System.getenv("CI"))) fail("storescu missing on CI: apt-get install dcmtk");
        assumeTrue(present, "DCMTK storescu is not installed (apt-get install dcmtk): the C-STORE variants are not run");
    }

    /** storescu of the files in one association, going on after a failure; returns what it printed. */
    private String storescu(List<String> options, Path... files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-nh", "-aet", "HOSTILE", "-aec", "STRATUS"));
        cmd.addAll(options);
        cmd.addAll(List.of("127.0.0.1", String.valueOf(dimsePort)));
        for (Path f : files) cmd.add(f.toString());
        Path log = Files.createTempFile(dir, "storescu", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(5, TimeUnit.MINUTES); // a hang guard, not a speed bound
        if (!finished) p.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.ISO_8859_1);
        assertTrue(finished, "hang guard: storescu got no answer in 5 minutes\n" + out);
        return out;
    }

    interface Call<T> {
        T call() throws Exception;
    }

    /** The answer to a request, or a failure that says the hang guard (the request's timeout) ended it. */
    private static <T> T answered(Call<T> request) throws Exception {
        try {
            return request.call();
        } catch (java.net.http.HttpTimeoutException e) {
            return fail("hang guard: no answer within " + ArchiveClient.HANG_GUARD + " (a hang, not slowness)", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}

package dev.stratus.loadtest;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DIMSE phase's corpus, files, command lines, failure accounting and stored-count check. */
class DimsePhaseTest {
    private static final Corpus STOW = new Corpus(1, 1000, 25, 4, 8, 8);
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Test
    void theCorpusIsNewDataShapedLikeTheStowCorpus() {
        Corpus d = DimsePhase.corpus(2000, STOW, 8);
        assertEquals(2000, d.instances());
        assertEquals(50, d.studies(), "40 instances per study, as in the STOW corpus");
        assertEquals(200, d.seriesCount());
        Set<String> stowUids = new HashSet<>(), stowPatients = new HashSet<>();
        for (long i = 0; i < STOW.instances(); i++) {
            Corpus.Instance in = STOW.instance(i);
            stowUids.add(in.uid());
            stowUids.add(in.series().uid());
            stowUids.add(in.series().study().uid());
            stowPatients.add(in.series().study().patient().id());
        }
        Corpus warm = Corpus.warmUp(1000, 8, 8);
        for (long i = 0; i < warm.instances(); i++) stowUids.add(warm.instance(i).uid());
        for (long i = 0; i < d.instances(); i++) {
            Corpus.Instance in = d.instance(i);
            assertFalse(stowUids.contains(in.uid()) || stowUids.contains(in.series().uid()) || stowUids.contains(in.series().study().uid()),
                    "instance " + i + " reuses a UID of the STOW or warm-up corpus");
            assertFalse(stowPatients.contains(in.series().study().patient().id()), "patient of instance " + i);
        }
    }

    @Test
    void eachStudyGoesToOneAssociationAndTheAssociationsGetEvenShares() {
        Corpus d = DimsePhase.corpus(10_000, STOW, 8);
        Map<String, Integer> streamOfStudy = new HashMap<>();
        long[] counts = new long[4];
        for (long i = 0; i < d.instances(); i++) {
            int k = DimsePhase.streamOf(d, i, 4);
            counts[k]++;
            Integer before = streamOfStudy.putIfAbsent(d.seriesOf(i).study().uid(), k);
            if (before != null) assertEquals(before, k, "instance " + i + " left its study's association");
        }
        for (long c : counts) assertTrue(Math.abs(c - 2500) <= 40, "uneven shares: " + java.util.Arrays.toString(counts));

        Corpus few = DimsePhase.corpus(100, STOW, 8); // 3 studies: even slices instead
        long[] slices = new long[4];
        for (long i = 0; i < few.instances(); i++) slices[DimsePhase.streamOf(few, i, 4)]++;
        assertEquals(List.of(25L, 25L, 25L, 25L), java.util.Arrays.stream(slices).boxed().toList());
    }

    @Test
    void writesExplicitLittleEndianPart10FilesOnceAndReusesThem(@TempDir Path dir) throws Exception {
        Corpus d = DimsePhase.corpus(200, STOW, 8);
        List<DimsePhase.Stream> streams = DimsePhase.prepare(d, 4, dir, 2, QUIET);
        assertEquals(4, streams.size());
        assertEquals(200, streams.stream().mapToInt(DimsePhase.Stream::files).sum());
        Set<String> uids = new HashSet<>();
        long bytes = 0;
        for (DimsePhase.Stream s : streams) {
            try (var files = Files.list(s.dir())) {
                for (Path f : files.toList()) {
                    byte[] b = Files.readAllBytes(f);
                    bytes += b.length;
                    DicomFile file = new DicomReader(b).readFile(ReadOptions.ALL);
                    assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, file.transferSyntax());
                    assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), file.fileMeta().getString(Tag.TransferSyntaxUID));
                    String uid = file.dataSet().getString(Tag.SOPInstanceUID);
                    long i = Long.parseLong(f.getFileName().toString().replace(".dcm", ""));
                    assertEquals(d.instance(i).uid(), uid, f.toString());
                    assertEquals(s.dir(), dir.resolve("assoc-" + (DimsePhase.streamOf(d, i, 4) + 1)));
                    uids.add(uid);
                }
            }
        }
        assertEquals(200, uids.size());
        assertEquals(bytes, streams.stream().mapToLong(DimsePhase.Stream::bytes).sum());

        Path one = streams.getFirst().dir().resolve(Files.list(streams.getFirst().dir()).findFirst().orElseThrow().getFileName());
        var modified = Files.getLastModifiedTime(one);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(streams, DimsePhase.prepare(d, 4, dir, 2, new PrintStream(log)));
        assertTrue(log.toString().contains("reusing"), log.toString());
        assertEquals(modified, Files.getLastModifiedTime(one));

        Files.delete(one); // incomplete: written again
        assertEquals(streams, DimsePhase.prepare(d, 4, dir, 2, QUIET));
        assertTrue(Files.exists(one));
    }

    @Test
    void storescuProposesTheFilesTransferSyntaxAndSendsTheFilesInCorpusOrder(@TempDir Path dir) throws Exception {
        Corpus d = DimsePhase.corpus(200, STOW, 8);
        List<DimsePhase.Stream> streams = DimsePhase.prepare(d, 4, dir, 2, QUIET);
        List<String> cmd = DimsePhase.command(new DimsePhase.Settings(200, 4, 11112, "ORTHANC", "/usr/bin/storescu"), streams.get(1));
        assertEquals(List.of("/usr/bin/storescu", "-aec", "ORTHANC", "-xe", "127.0.0.1", "11112"), cmd.subList(0, 6));
        assertFalse(cmd.contains("-R"), "no second parse of every file before the association");
        List<String> files = cmd.subList(6, cmd.size());
        assertEquals(streams.get(1).files(), files.size());
        assertEquals(files.stream().sorted().toList(), files);
    }

    @Test
    void failuresCountFromExitCodesAndDcmtkErrorLines(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("a.log");
        Files.writeString(log, "W: no data dictionary loaded\nE: Store Failed, file: 000000012.dcm:\nE: 0006:0317 Peer aborted Association\n");
        DimsePhase.Sent s = DimsePhase.scan(log, 255, 1.5);
        assertEquals(2, s.errorLines());
        assertEquals(1, s.warningLines());
        assertEquals("E: Store Failed, file: 000000012.dcm:", s.firstError());

        Files.writeString(log, "");
        assertEquals("storescu exit code 167 (a.log)", DimsePhase.scan(log, 167, 1).firstError());
        assertEquals(null, DimsePhase.scan(log, 0, 1).firstError());
    }

    @Test
    void fewerInstancesThanAssociationsStartOnlyTheAssociationsWithFiles(@TempDir Path dir) throws Exception {
        Corpus d = DimsePhase.corpus(2, STOW, 8);
        List<DimsePhase.Stream> streams = DimsePhase.prepare(d, 4, dir.resolve("files"), 2, QUIET);
        assertEquals(List.of(1, 0, 1, 0), streams.stream().map(DimsePhase.Stream::files).toList());
        Path fake = fakeStorescu(dir, "#!/bin/sh\nexit 0\n");
        HttpServer http = qidoServer("/studies/", ex -> {
            byte[] body = "[{},{}]".getBytes(StandardCharsets.UTF_8); // the one study, both instances
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        try {
            Results r = new Results();
            DimsePhase.run("T", "http://127.0.0.1:" + http.getAddress().getPort(), d, streams,
                    new DimsePhase.Settings(2, 4, 11112, "STRATUS", fake.toString()), workload(dir), r, dir, QUIET);
            assertEquals("2", r.get("dimse.associations"));
            assertEquals("0 0", r.get("dimse.exit_codes"));
            assertEquals("0", r.get("dimse.missing_instances"));
        } finally {
            http.stop(0);
        }
    }

    /**
     * The whole phase with a stand-in for storescu (association 2 fails with status A700, as storescu reports it)
     * and a QIDO server that holds all but one study.
     */
    @Test
    void runReportsRatesFailuresAndWhatTheServerHolds(@TempDir Path dir) throws Exception {
        Corpus d = DimsePhase.corpus(400, STOW, 8);
        List<DimsePhase.Stream> streams = DimsePhase.prepare(d, 4, dir.resolve("files"), 2, QUIET);
        Path fake = fakeStorescu(dir, """
                #!/bin/sh
                echo "$@" > args.txt
                case "$PWD" in */assoc-2) echo "E: Store Failed, file: x.dcm:"; exit 167 ;; esac
                exit 0
                """);

        String missingStudy = d.study(3).uid();
        int missing = 0;
        for (int j = 0; j < 4; j++) missing += d.series(3 * 4 + j).count();
        HttpServer http = qidoServer("/dicomweb/studies/", ex -> {
            String uid = ex.getRequestURI().getPath().split("/")[3];
            int n = 0;
            for (int st = 0; st < d.studies(); st++) {
                if (d.study(st).uid().equals(uid) && !uid.equals(missingStudy)) {
                    for (int j = 0; j < 4; j++) n += d.series(st * 4 + j).count();
                }
            }
            byte[] body = ("[" + String.join(",", java.util.Collections.nCopies(n, "{}")) + "]").getBytes(StandardCharsets.UTF_8);
            if (n == 0) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        try {
            Results r = new Results();
            Workload.Settings ws = workload(dir);
            DimsePhase.Settings s = new DimsePhase.Settings(400, 4, 11112, "STRATUS", fake.toString());
            DimsePhase.run("Test", "http://127.0.0.1:" + http.getAddress().getPort() + "/dicomweb", d, streams, s, ws, r, dir, QUIET);

            assertEquals("0 167 0 0", r.get("dimse.exit_codes"));
            assertEquals("1", r.get("dimse.failed_associations"));
            assertEquals("1", r.get("dimse.error_lines"));
            assertEquals("E: Store Failed, file: x.dcm:", r.get("dimse.first_error"));
            assertEquals("400", r.get("dimse.instances"));
            assertEquals(Long.toString(400 - missing), r.get("dimse.stored_instances"));
            assertEquals(Long.toString(missing), r.get("dimse.missing_instances"));
            assertEquals("0", r.get("dimse.verify_errors"));
            double seconds = r.number("dimse.seconds");
            assertTrue(seconds > 0, "seconds " + seconds);
            double rate = r.number("dimse.instances_per_s");
            // seconds are saved to the millisecond: rate x seconds is the stored count within that rounding
            assertEquals(400 - missing, rate * seconds, rate * 0.0005 + 0.01, "rate " + rate + " over " + seconds + " s");
            assertTrue(Files.exists(dir.resolve("test-storescu-2.log")));
            String args = Files.readString(streams.get(2).dir().resolve("args.txt")).strip();
            assertTrue(args.startsWith("-aec STRATUS -xe 127.0.0.1 11112 "), args);
            assertEquals(streams.get(2).files(), args.split(" ").length - 5);
        } finally {
            http.stop(0);
        }
    }

    /** A stand-in for storescu: the given shell script, executable. */
    private static Path fakeStorescu(Path dir, String script) throws IOException {
        Path fake = dir.resolve("storescu");
        Files.writeString(fake, script);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        return fake;
    }

    /** A started HTTP server on a free loopback port answering QIDO-RS under {@code path}. */
    private static HttpServer qidoServer(String path, HttpHandler handler) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext(path, handler);
        http.start();
        return http;
    }

    private static Workload.Settings workload(Path dir) {
        return new Workload.Settings(4, 10, 1, 1, 1, 1, 1, 0, 12, 60, dir, 1, null, 0);
    }
}

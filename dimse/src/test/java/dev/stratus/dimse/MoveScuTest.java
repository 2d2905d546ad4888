package dev.stratus.dimse;

import dev.stratus.codec.TransferSyntax;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DCMTK movescu against the archive, with DCMTK storescp processes as the Move Destinations: DEST accepts the
 * uncompressed syntaxes, IMPLICIT only Implicit VR Little Endian (the archive converts). Every level of both
 * models, an unknown destination (refused without a connection), a destination that is down, and a cancel
 * mid-move; what each storescp wrote is checked file by file.
 */
class MoveScuTest {
    @TempDir
    static Path dir;
    static TestArchive archive;
    static RetrieveFixture studies;
    static Peer dest, implicit;
    static int downPort;
    static ServerSocket silent; // accepts and never answers: a move to it holds its slot until ARTIM
    static String bigSeries;
    static final int BIG = 40;

    /** A storescp process writing what it receives to its own directory. */
    record Peer(Process process, Path out, int port) {
        void clear() throws IOException {
            try (Stream<Path> files = Files.list(out)) {
                for (Path p : files.toList()) Files.delete(p);
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Dcmtk.require("movescu");
        Dcmtk.require("storescp");
        int destPort = freePort(), implicitPort = freePort();
        downPort = freePort(); // nothing listens there
        silent = new ServerSocket(0);
        archive = new TestArchive(dir, s -> s.withMoves(Map.of(
                "DEST", new DimseSettings.Destination("127.0.0.1", destPort),
                "IMPLICIT", new DimseSettings.Destination("127.0.0.1", implicitPort),
                "DOWN", new DimseSettings.Destination("127.0.0.1", downPort),
                "SILENT", new DimseSettings.Destination("127.0.0.1", silent.getLocalPort())), Map.of(), 1));
        studies = new RetrieveFixture(archive);
        bigSeries = dev.stratus.codec.Uids.generate();
        String bigStudy = dev.stratus.codec.Uids.generate();
        for (int i = 1; i <= BIG; i++) studies.store(bigStudy, bigSeries, "PID3", i);
        dest = storescp("DEST", destPort);
        implicit = storescp("IMPLICIT", implicitPort, "+xi");
    }

    @AfterAll
    static void stop() throws Exception {
        for (Peer p : new Peer[] {dest, implicit}) {
            if (p != null) {
                p.process.destroy();
                p.process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (silent != null) silent.close();
        if (archive != null) archive.close();
    }

    @BeforeEach
    void emptyDestinations() throws IOException {
        dest.clear();
        implicit.clear();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Peer storescp(String aeTitle, int port, String... options) throws Exception {
        Path out = Files.createDirectory(dir.resolve("received-" + aeTitle));
        List<String> cmd = new ArrayList<>(List.of("storescp", "-aet", aeTitle, "-od", out.toString()));
        cmd.addAll(List.of(options));
        cmd.add(String.valueOf(port));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("storescp-" + aeTitle + ".log").toFile()).start();
        for (int i = 0; i < 200; i++) { // until it listens, at most 10 s
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new Peer(p, out, port);
            } catch (IOException e) {
                if (!p.isAlive()) throw new AssertionError("storescp exited: " + Files.readString(dir.resolve("storescp-" + aeTitle + ".log")));
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("storescp " + aeTitle + " did not listen on " + port);
    }

    /** Runs movescu, which exits with 0 on success or cancel, 68 on a warning, 69 on a failure; -d prints each response. */
    static Dcmtk.Run move(String destination, String... args) throws Exception {
        return move(0, destination, args);
    }

    static Dcmtk.Run move(int exitCode, String destination, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("movescu", "-d", "-aec", "STRATUS", "-aem", destination));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("127.0.0.1", String.valueOf(archive.port)));
        Dcmtk.Run run = Dcmtk.run(null, 120, cmd.toArray(String[]::new));
        System.out.println(String.join(" ", cmd) + "\n" + run.output());
        assertEquals(exitCode, run.exitCode(), run.output());
        return run;
    }

    @Test
    void studyLevelMovesEveryInstanceOfTheStudies() throws Exception {
        Dcmtk.Run run = move("DEST", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studies.s1 + "\\" + studies.s2);
        studies.assertReceived(dest.out, GetScuTest.union(studies.series(studies.s1Ct, studies.s1Mr), studies.series(studies.s2Ct)), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertTrue(dump(run).contains("Completed Suboperations : 6"), run.output());
        assertTrue(dump(run).contains("DIMSE Status : 0x0000"), run.output());
    }

    @Test
    void seriesLevelMovesOnlyThatSeries() throws Exception {
        move("DEST", "-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + studies.s1, "-k", "SeriesInstanceUID=" + studies.s1Mr);
        studies.assertReceived(dest.out, studies.series(studies.s1Mr), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void imageLevelMovesOnlyThatImage() throws Exception {
        String sop = studies.bySeries.get(studies.s1Ct).get(2);
        move("DEST", "-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + studies.s1, "-k", "SeriesInstanceUID=" + studies.s1Ct,
                "-k", "SOPInstanceUID=" + sop);
        studies.assertReceived(dest.out, Set.of(sop), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void patientLevelMovesEveryStudyOfThePatient() throws Exception {
        move("DEST", "-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=PID1");
        studies.assertReceived(dest.out, studies.series(studies.s1Ct, studies.s1Mr, studies.s3Ct), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void patientRootSeriesLevel() throws Exception {
        move("DEST", "-P", "-k", "QueryRetrieveLevel=SERIES", "-k", "PatientID=PID1", "-k", "StudyInstanceUID=" + studies.s3, "-k", "SeriesInstanceUID=" + studies.s3Ct);
        studies.assertReceived(dest.out, studies.series(studies.s3Ct), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void aDestinationAcceptingOnlyImplicitVrGetsConvertedInstances() throws Exception {
        move("IMPLICIT", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studies.s1);
        studies.assertReceived(implicit.out, studies.series(studies.s1Ct, studies.s1Mr), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void unknownDestinationIsRefusedWithA801AndNothingIsSent() throws Exception {
        Dcmtk.Run run = move(69, "NOWHERE", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studies.s1);
        assertTrue(run.output().contains("Move Destination unknown") || run.output().toLowerCase().contains("a801"), run.output());
        studies.assertReceived(dest.out, Set.of(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        studies.assertReceived(implicit.out, Set.of(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void aDestinationThatIsDownFailsEverySubOperation() throws Exception {
        Dcmtk.Run run = move(69, "DOWN", "-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + studies.s1, "-k", "SeriesInstanceUID=" + studies.s1Mr);
        assertTrue(dump(run).contains("DIMSE Status : 0xa702"), run.output());
        assertTrue(dump(run).contains("Failed Suboperations : 2"), run.output());
        for (String sop : studies.series(studies.s1Mr)) assertTrue(run.output().contains(sop), "named in the Failed SOP Instance UID List: " + run.output());
    }

    @Test
    void anInstanceThatCannotBeReadFailsAloneWithWarningB000() throws Exception {
        String study = dev.stratus.codec.Uids.generate(), series = dev.stratus.codec.Uids.generate();
        String ok1 = studies.store(study, series, "PID4", 1), gone = studies.store(study, series, "PID4", 2), ok2 = studies.store(study, series, "PID4", 3);
        archive.archive.store().delete(archive.index.findInstance(dev.stratus.index.TenantId.DEFAULT, study, series, gone).orElseThrow().blobKey());
        Dcmtk.Run run = move(68, "DEST", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study); // 68: warning
        studies.assertReceived(dest.out, new TreeSet<>(Set.of(ok1, ok2)), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertTrue(dump(run).contains("DIMSE Status : 0xb000"), run.output());
        assertTrue(dump(run).contains("Completed Suboperations : 2"), run.output());
        assertTrue(dump(run).contains("Failed Suboperations : 1"), run.output());
        assertTrue(run.output().contains("FailedSOPInstanceUIDList") && run.output().contains(gone), run.output());
    }

    @Test
    void aMoveBeyondMaxConcurrentMovesIsRefusedWithA702() throws Exception {
        Process first = new ProcessBuilder("movescu", "-aec", "STRATUS", "-aem", "SILENT", "-S", "-k", "QueryRetrieveLevel=SERIES",
                "-k", "SeriesInstanceUID=" + studies.s1Mr, "127.0.0.1", String.valueOf(archive.port)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("first-move.log").toFile()).start();
        try (Socket held = silent.accept()) { // the first move is connected to SILENT and waits for its answer: it holds the one slot
            Dcmtk.Run second = move(69, "DEST", "-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "SeriesInstanceUID=" + studies.s1Mr);
            assertTrue(dump(second).contains("DIMSE Status : 0xa702"), second.output());
            assertTrue(second.output().contains("moves sending already"), second.output());
            studies.assertReceived(dest.out, Set.of(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        } // closed: the first move fails and gives its slot back
        assertTrue(first.waitFor(60, TimeUnit.SECONDS), "first movescu ended");
        move("DEST", "-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "SeriesInstanceUID=" + studies.s1Mr);
        studies.assertReceived(dest.out, studies.series(studies.s1Mr), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** movescu's debug output with runs of spaces made one, so that its aligned columns can be matched. */
    static String dump(Dcmtk.Run run) {
        return run.output().replaceAll(" +", " ");
    }

    @Test
    void cancelMidMoveStopsTheSubOperations() throws Exception {
        Dcmtk.Run run = move("DEST", "--cancel", "1", "-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "SeriesInstanceUID=" + bigSeries);
        assertTrue(dump(run).contains("DIMSE Status : 0xfe00"), run.output());
        Set<String> received = studies.receivedIn(dest.out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertFalse(received.isEmpty(), "the sub-operation before the cancel was sent");
        assertTrue(received.size() < BIG, received.size() + " of " + BIG + " sent despite the cancel");
        assertTrue(new TreeSet<>(studies.series(bigSeries)).containsAll(received));
    }
}

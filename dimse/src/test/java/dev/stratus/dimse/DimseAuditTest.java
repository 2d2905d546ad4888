package dev.stratus.dimse;

import dev.stratus.archive.audit.AuditLog;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit trail of the plain DICOM port, with DCMTK's storescu, findscu, getscu and movescu: one record per
 * operation on the archive's data, naming the calling AE title, the tenant, the UIDs and the DIMSE status, and never
 * the patient's name or ID the data set and the query carried.
 */
@Timeout(120)
class DimseAuditTest {
    @TempDir
    Path dir;

    @Test
    void storeFindGetAndMoveEachLeaveOneRecordWithoutPatientData() throws Exception {
        Dcmtk.require("storescu");
        Dcmtk.require("movescu");
        int moverPort;
        try (ServerSocket s = new ServerSocket(0)) {
            moverPort = s.getLocalPort();
        }
        Path audit = dir.resolve("audit.jsonl");
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        Path file = Files.write(dir.resolve("ct.dcm"), GeneratedCt.part10(GeneratedCt.ct(study, series, sop, "Secret^Patient", "PID-SECRET", 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        Path got = Files.createDirectories(dir.resolve("got")), moved = Files.createDirectories(dir.resolve("moved"));
        AuditLog log = AuditLog.open("file:" + audit, 1000);
        try (TestArchive archive = new TestArchive(dir, s -> s.withMoves(Map.of("MOVER", new DimseSettings.Destination("127.0.0.1", moverPort)), Map.of(), 1), null, log)) {
            String port = Integer.toString(archive.port);
            run("storescu", "-aet", "CT1", "-aec", "STRATUS", "127.0.0.1", port, file.toString());
            run("findscu", "-aet", "VIEWER", "-aec", "STRATUS", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName=Secret*", "-k", "StudyInstanceUID", "127.0.0.1", port);
            run("getscu", "-aet", "VIEWER", "-aec", "STRATUS", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "-od", got.toString(), "127.0.0.1", port);
            run("movescu", "-aet", "MOVER", "-aem", "MOVER", "--port", Integer.toString(moverPort), "-od", moved.toString(),
                    "-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + study, "-k", "SeriesInstanceUID=" + series, "127.0.0.1", port);
            archive.awaitNoAssociations();
        } finally {
            log.close();
        }
        try (var files = Files.list(got)) {
            assertEquals(1, files.count());
        }
        try (var files = Files.list(moved)) {
            assertEquals(1, files.count());
        }
        List<String> lines = Files.readAllLines(audit);
        assertEquals(4, lines.size(), "one record per operation (the C-STOREs of C-GET and C-MOVE go out, into no archive): " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains("Secret") || l.contains("PID-SECRET")), "no patient data: " + lines);
        assertTrue(lines.stream().allMatch(l -> l.contains("\"tenant\":\"default\"") && l.contains("\"tls\":false") && l.contains("\"subject\":null")
                && l.contains("\"dimseStatus\":\"0000\"") && l.contains("\"outcome\":\"success\"")), String.join("\n", lines));
        assertTrue(lines.get(0).contains("\"action\":\"store\"") && lines.get(0).contains("\"client\":\"CT1\"") && lines.get(0).contains("\"series\":\"" + series + "\"")
                && lines.get(0).contains("\"instance\":\"" + sop + "\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"action\":\"search\"") && lines.get(1).contains("\"command\":\"C-FIND-RQ\"") && !lines.get(1).contains("\"study\""),
                "a search by name names no study: " + lines.get(1));
        assertTrue(lines.get(2).contains("\"command\":\"C-GET-RQ\"") && lines.get(2).contains("\"study\":\"" + study + "\""), lines.get(2));
        assertTrue(lines.get(3).contains("\"command\":\"C-MOVE-RQ\"") && lines.get(3).contains("\"moveDestination\":\"MOVER\"")
                && lines.get(3).contains("\"series\":\"" + series + "\""), lines.get(3));
    }

    private static void run(String... command) throws Exception {
        Dcmtk.Run r = Dcmtk.run(null, 60, command);
        assertEquals(0, r.exitCode(), String.join(" ", command) + "\n" + r.output());
    }
}

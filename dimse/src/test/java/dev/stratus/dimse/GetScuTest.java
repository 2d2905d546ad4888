package dev.stratus.dimse;

import dev.stratus.codec.TransferSyntax;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DCMTK getscu at every level of the Study Root and Patient Root models: the instances come back as C-STORE
 * sub-operations on getscu's own association (it takes the Storage SCP role), exactly those a C-FIND at that
 * level matches, each file equal to the stored one.
 */
class GetScuTest {
    @TempDir
    static Path dir;
    static TestArchive archive;
    static RetrieveFixture studies;

    @BeforeAll
    static void start() throws Exception {
        Dcmtk.require("getscu");
        archive = new TestArchive(dir);
        studies = new RetrieveFixture(archive);
    }

    @AfterAll
    static void stop() {
        if (archive != null) archive.close();
    }

    /** Runs getscu; returns the directory it wrote the received files to, and its output. */
    static Dcmtk.Run get(Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("getscu", "-v", "-aec", "STRATUS", "-od", out.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("127.0.0.1", String.valueOf(archive.port)));
        Dcmtk.Run run = Dcmtk.run(null, 120, cmd.toArray(String[]::new));
        System.out.println(String.join(" ", cmd) + "\n" + run.output());
        assertEquals(0, run.exitCode(), run.output());
        return run;
    }

    static Path out() throws Exception {
        return Files.createTempDirectory(dir, "get-");
    }

    @Test
    void studyLevelSendsEveryInstanceOfTheStudies() throws Exception {
        Path out = out();
        get(out, "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studies.s1 + "\\" + studies.s2);
        studies.assertReceived(out, union(studies.series(studies.s1Ct, studies.s1Mr), studies.series(studies.s2Ct)), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void seriesLevelSendsOnlyThatSeries() throws Exception {
        Path out = out();
        get(out, "-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + studies.s1, "-k", "SeriesInstanceUID=" + studies.s1Mr);
        studies.assertReceived(out, studies.series(studies.s1Mr), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void imageLevelSendsOnlyThatImage() throws Exception {
        Path out = out();
        String sop = studies.bySeries.get(studies.s1Ct).get(1);
        get(out, "-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + studies.s1, "-k", "SeriesInstanceUID=" + studies.s1Ct,
                "-k", "SOPInstanceUID=" + sop);
        studies.assertReceived(out, Set.of(sop), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void patientLevelSendsEveryStudyOfThePatient() throws Exception {
        Path out = out();
        get(out, "-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=PID1");
        studies.assertReceived(out, studies.series(studies.s1Ct, studies.s1Mr, studies.s3Ct), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void patientRootStudyLevelWithinThePatient() throws Exception {
        Path out = out();
        get(out, "-P", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=PID1", "-k", "StudyInstanceUID=" + studies.s3);
        studies.assertReceived(out, studies.series(studies.s3Ct), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** getscu +xb proposes big endian first for the storage contexts, which we take: the stored little endian instances are converted. */
    @Test
    void aRequestorPreferringBigEndianGetsConvertedInstances() throws Exception {
        Path out = out();
        get(out, "+xb", "-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + studies.s1, "-k", "SeriesInstanceUID=" + studies.s1Ct);
        studies.assertReceived(out, studies.series(studies.s1Ct), TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
    }

    @Test
    void nothingMatchedIsSuccessWithNothingSent() throws Exception {
        Path out = out();
        Dcmtk.Run run = get(out, "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3.999");
        studies.assertReceived(out, Set.of(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertTrue(run.output().contains("Success"), run.output());
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }
}

package dev.stratus.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** `stratus json`, `stratus dump` and `stratus compact` keep their contract: their output and 0, or one line on stderr and 1. */
class CommandLineContractTest {
    private static final Path CT = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.run(args); // as the executable runs it
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void needCt() {
        assumeTrue(Files.exists(CT) || "true".equals(System.getenv("CI")), "pydicom test files not installed");
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndExitsZero() {
        for (String command : new picocli.CommandLine(new Main()).getSubcommands().keySet()) {
            Run r = run(command, "--help");
            assertEquals(0, r.status(), command + " --help: " + r.err());
            assertTrue(r.out().contains("Usage: stratus " + command), command + " --help prints its usage: " + r.out());
        }
    }

    @Test
    void jsonPrintsTheDicomJsonModelAndExitsZero() {
        needCt();
        Run r = run("json", CT.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 100\"]}"), r.out().substring(0, 80));
        assertTrue(r.out().contains("\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"CompressedSamples^CT1\"}]}"));
        assertTrue(r.out().contains("\"7FE00010\":{\"vr\":\"OW\",\"InlineBinary\":\""));
        assertEquals("", r.err());
    }

    @Test
    void jsonOfAFileThatIsNotDicomExitsOneWithOneLineOnStderr(@TempDir Path dir) throws Exception {
        Path notDicom = Files.writeString(dir.resolve("notes.txt"), "these are not the images you are looking for\n".repeat(20));
        Run r = run("json", notDicom.toString());
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("notes.txt"), r.err());
        Run missing = run("json", dir.resolve("absent.dcm").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void dumpPrintsOneElementPerLineWithKeywords() {
        needCt();
        Run r = run("dump", CT.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("(0010,0010) PN #") && l.endsWith("PatientName")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("(7FE0,0010) OW #32768")), r.out());
    }

    @Test
    void compactShrinksTheEmbeddedIndexOrSaysWhyNot(@TempDir Path dir) throws Exception {
        Run none = run("compact", "--data-dir", dir.resolve("empty").toString());
        assertEquals(1, none.status());
        assertEquals(1, none.err().strip().lines().count(), none.err());
        assertTrue(none.err().contains("no embedded index"), none.err());

        try (dev.stratus.index.Index index = dev.stratus.index.sql.SqlIndex.open(
                dev.stratus.index.sql.SqlIndex.embeddedUrl(dir), null, null, true)) {
            index.checkReady();
        }
        Run ok = run("compact", "--data-dir", dir.toString());
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.err().matches("(?s)stratus compact: index file [\\d,]+ -> [\\d,]+ bytes\\s*"), ok.err());
    }

    @Test
    void serveRefusesADamagedIndexNamingTheFileAndTheRecovery(@TempDir Path dir) throws Exception {
        Path index = Files.createDirectories(dir.resolve("index")).resolve("stratus.sqlite");
        byte[] garbage = new byte[16384];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(index, garbage);
        Run r = run("serve", "--port", "0", "--no-dimse", "--data-dir", dir.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("stratus serve: cannot start: the index " + index.toAbsolutePath() + " is damaged"), r.err());
        assertTrue(r.err().contains(".recover"), r.err());
    }

    @Test
    void serveOnEveryInterfaceWithoutAuthorizationExitsTwoSayingWhatToSet(@TempDir Path dir) {
        Run r = run("serve", "--host", "0.0.0.0", "--port", "0", "--no-dimse", "--data-dir", dir.resolve("data").toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().startsWith("stratus serve: http.host is 0.0.0.0, which other machines can reach, and authorization is off"), r.err());
        assertTrue(r.err().contains("--auth-issuer") && r.err().contains("--allow-anonymous"), r.err());
        assertTrue(Files.notExists(dir.resolve("data")), "nothing was opened");
    }

    @Test
    void serveWithAMisspeltKeyExitsTwoNamingItAndTheNearestBeforeOpeningAnything(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("stratus.yaml"), "metadata:\n  quietSecond: 30\n");
        Run r = run("serve", "--config", yaml.toString(), "--port", "0", "--no-dimse", "--data-dir", dir.resolve("data").toString());
        assertEquals(2, r.status(), r.err());
        assertEquals("stratus serve: unknown setting metadata.quietSecond (in " + yaml + "); the nearest is metadata.quietSeconds", r.err().strip());
        assertTrue(Files.notExists(dir.resolve("data")), "nothing was opened");
        Run absent = run("migrate", "--config", dir.resolve("absent.yaml").toString(), "--data-dir", dir.resolve("data").toString());
        assertEquals(2, absent.status(), absent.err());
        assertTrue(absent.err().contains("absent.yaml does not exist"), absent.err());
    }
}

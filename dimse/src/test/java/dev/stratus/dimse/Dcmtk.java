package dev.stratus.dimse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs DCMTK's command line peers (Debian package dcmtk) and captures what they print. */
final class Dcmtk {
    private Dcmtk() {}

    record Run(int exitCode, String output) {}

    /** Skips the test visibly when the tool is missing, except on CI where the tool is required. */
    static void require(String tool) {
        boolean present = Files.isExecutable(Path.of("/usr/bin", tool));
        if (!present && "true".equals(System.getenv("CI"))) throw new IllegalStateException(tool + " missing on CI: apt-get install dcmtk");
        assumeTrue(present, tool + " (DCMTK) is not installed: apt-get install dcmtk");
    }

    static Run run(Path workDir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (workDir != null) pb.directory(workDir.toFile());
        Path log = Files.createTempFile("dcmtk-", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}

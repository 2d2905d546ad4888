package dev.stratus.archive.retrieve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A test class's main run in a JVM of its own with a small heap, so that what does not fit fails there, not here. */
final class ChildJvm {
    private ChildJvm() {}

    /** Runs {@code main.main(args)} with {@code -Xmx<heap>}, asserts that it exits 0, and returns what it printed. */
    static String run(Class<?> main, String heap, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(15, TimeUnit.MINUTES); // a hang guard only: the child takes well under a minute on a quiet machine
        if (!finished) p.destroyForcibly();
        String output = Files.readString(log);
        assertTrue(finished, "hang guard: the child did not finish in 15 minutes\n" + output);
        assertEquals(0, p.exitValue(), output);
        return output;
    }
}

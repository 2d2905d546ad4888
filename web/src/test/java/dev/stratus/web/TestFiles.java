package dev.stratus.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** pydicom's test files (Debian python3-pydicom): real DICOM files written by many tools. */
public final class TestFiles {
    private TestFiles() {}

    public static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data");

    /** Every file under test_files and charset_files that is not a known non-DICOM helper file. */
    public static List<Path> all() throws IOException {
        if (!Files.isDirectory(PYDICOM)) {
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException("pydicom test files missing: apt-get install python3-pydicom");
            return List.of();
        }
        try (Stream<Path> s = Stream.concat(Files.walk(PYDICOM.resolve("test_files")), Files.walk(PYDICOM.resolve("charset_files")))) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().endsWith(".txt") && !p.toString().endsWith(".json")
                            && !p.toString().endsWith(".gz") && !p.toString().endsWith(".dump")
                            && !p.toString().endsWith(".py") && !p.getFileName().toString().equals("README") && !p.toString().contains("__pycache__"))
                    .sorted().toList();
        }
    }

    public static Path file(String name) {
        Path p = PYDICOM.resolve("test_files").resolve(name);
        if (!Files.exists(p)) p = PYDICOM.resolve("charset_files").resolve(name);
        assumeTrue(Files.exists(p) || "true".equals(System.getenv("CI")), "pydicom test files not installed");
        return p;
    }
}

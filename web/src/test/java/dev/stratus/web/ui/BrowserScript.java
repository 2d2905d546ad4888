package dev.stratus.web.ui;

import dev.stratus.web.JsonTree;


import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A script of web/src/test/ui run under Node.js against Debian's chromium (playwright-core): it prints one JSON line
 * of what the user saw, which the test judges. Without node, chromium or {@code npm ci} there, the test is skipped
 * (and fails under CI=true, where .ci/run installs them).
 */
final class BrowserScript {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 300;

    /** The script's output: its JSON line as plain maps and lists, its exit status and stderr. */
    record Run(int exitCode, Map<String, Object> result, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + ", result " + result + "\nstderr:\n" + stderr;
        }
    }

    private BrowserScript() {}

    /** web/src/test/ui, with node, chromium and playwright-core checked (skip or fail otherwise). */
    static Path scripts() throws Exception {
        Path web = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        Path dir = web.resolve("src/test/ui");
        if (!Files.isDirectory(dir)) fail("browser test scripts not found in " + dir);
        String install = "install Debian's chromium and Node.js 20+, then `cd web/src/test/ui && npm ci`";
        require(findOnPath("node") != null, "node is not on the PATH: " + install);
        require(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: " + install);
        require(Files.isRegularFile(dir.resolve("node_modules/playwright-core/package.json")),
                "web/src/test/ui/node_modules/playwright-core is missing: run `cd web/src/test/ui && npm ci`");
        return dir;
    }

    static void require(boolean ok, String why) {
        if (ok) return;
        if ("true".equals(System.getenv("CI"))) fail(why + " (CI=true: not skipped)");
        assumeTrue(false, why);
    }

    static Run run(Path dir, String script, String specJson) throws Exception {
        Path out = Files.createTempFile("browser", ".out"), err = Files.createTempFile("browser", ".err");
        try {
            Process p = new ProcessBuilder(findOnPath("node"), script, specJson).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(script + " did not finish in " + TIMEOUT_SECONDS + " s\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8), stderr = Files.readString(err, StandardCharsets.UTF_8);
            List<String> lines = stdout.lines().filter(l -> l.startsWith("{")).toList();
            if (lines.size() != 1) fail("expected one JSON line from " + script + ", exit " + p.exitValue() + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
            return new Run(p.exitValue(), JsonTree.object(lines.getFirst().getBytes(java.nio.charset.StandardCharsets.UTF_8)), stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    /** A JSON object of string values. */
    static String object(Map<String, String> fields) {
        List<String> parts = new ArrayList<>();
        fields.forEach((k, v) -> parts.add(quote(k) + ":" + quote(v)));
        return "{" + String.join(",", parts) + "}";
    }

    private static String findOnPath(String name) {
        for (String d : Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
        }
        return null;
    }
}

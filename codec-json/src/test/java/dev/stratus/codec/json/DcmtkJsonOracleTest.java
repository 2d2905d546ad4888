package dev.stratus.codec.json;

import dev.stratus.codec.TestFiles;

import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.core.JsonParser;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Oracle: our JSON of every pydicom test file against DCMTK's dcm2json (which, in 3.6.7, writes every binary
 * value as InlineBinary and has no bulk data option; "-fc" only makes it compact). Normalisation (see JsonDiff):
 * both sides parsed into trees, so member order and whitespace do not matter; numbers compared numerically, FL
 * values as floats; DCMTK's number text is parsed leniently because it copies DS text such as "5." verbatim.
 * dcm2json refuses encapsulated pixel data inline, so for those files it is given a copy without (7FE0,0010)
 * (made by "dcmodify -p=", which keeps Data Set Trailing Padding) and our Pixel Data is left out of the comparison. Every remaining difference must be listed
 * in oracle/dcmtk-json-disagreements.tsv with the side the standard supports; a listed one that no longer
 * occurs fails too.
 */
class DcmtkJsonOracleTest {
    /** Truncated, or misaligned from byte 0 (no_meta.dcm): our reader must reject them, and DCMTK rejects them too. */
    static final Set<String> BROKEN = Set.of("MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm");

    /**
     * Files our reader rejects although DCMTK and pydicom read them: reported to the reader's owner. Their tests
     * are skipped with the reason; once the reader accepts one, its test fails until it is taken off this list.
     * DICOMDIR-nooffset: the last item of (0004,1220) declares 248 bytes but the file ends 224 bytes in, exactly
     * at the end of its last element (and of the sequence's own declared length).
     */
    static final Set<String> READER_TOO_STRICT = Set.of();

    /** What the other round-trip tests leave out. */
    static boolean unreadable(Path p) {
        String name = p.getFileName().toString();
        return BROKEN.contains(name) || READER_TOO_STRICT.contains(name);
    }

    private static final String LIST = "/oracle/dcmtk-json-disagreements.tsv";
    private static final JsonFactory STRICT = new JsonFactory();
    private static final JsonFactory LENIENT = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .build();

    record Listed(String file, String path, String what) {}

    /** What happened to one file. */
    record Outcome(String file, String oursRejected, String dcmtkRejected, boolean pixelDataDropped, List<JsonDiff.Diff> diffs,
                   Throwable error) {
        Outcome(String file, String oursRejected, String dcmtkRejected, boolean pixelDataDropped, List<JsonDiff.Diff> diffs) {
            this(file, oursRejected, dcmtkRejected, pixelDataDropped, diffs, null);
        }
    }

    @TestFactory
    List<DynamicTest> ourJsonAgreesWithDcm2jsonOnEveryPydicomFile() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!onPath("dcm2json") || !onPath("dcmodify")) {
            if (ci) fail("dcm2json/dcmodify not installed (apt-get install dcmtk); CI=true requires the oracle");
            assumeTrue(false, "dcm2json not installed (apt-get install dcmtk): oracle skipped");
        }
        List<Path> files = TestFiles.all();
        assumeTrue(!files.isEmpty(), "pydicom test files not installed (apt-get install python3-pydicom)");
        Map<String, Set<Listed>> listed = loadList();
        Path tmp = Files.createTempDirectory("oracle");
        List<Outcome> outcomes = files.parallelStream().map(p -> {
            try {
                return run(p, tmp);
            } catch (RuntimeException | AssertionError e) { // reported by that file's test, the others go on
                return new Outcome(TestFiles.PYDICOM.relativize(p).toString(), null, null, false, List.of(), e);
            }
        }).toList();
        try (var walk = Files.walk(tmp)) { // copies and stderr files of the DCMTK runs
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }

        List<DynamicTest> tests = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int compared = 0, dcmtkRejected = 0, diffs = 0;
        for (Outcome o : outcomes) {
            seen.add(o.file);
            if (o.oursRejected == null && o.dcmtkRejected == null) compared++;
            if (o.dcmtkRejected != null) dcmtkRejected++;
            diffs += o.diffs.size();
            Set<Listed> expected = listed.getOrDefault(o.file, Set.of());
            tests.add(DynamicTest.dynamicTest(o.file, () -> check(o, expected)));
        }
        Set<String> unknownFiles = new TreeMap<>(listed).keySet().stream().filter(f -> !seen.contains(f)).collect(Collectors.toSet());
        tests.add(DynamicTest.dynamicTest("every listed file exists", () ->
                assertTrue(unknownFiles.isEmpty(), "listed in " + LIST + " but not a test file: " + unknownFiles)));
        System.out.printf("oracle: %d files, %d compared with dcm2json, %d refused by dcm2json, %d listed differences%n",
                outcomes.size(), compared, dcmtkRejected, diffs);
        return tests;
    }

    private static void check(Outcome o, Set<Listed> expected) {
        String name = Path.of(o.file).getFileName().toString();
        if (o.error != null) throw new AssertionError(o.file + ": " + o.error, o.error);
        if (o.oursRejected != null) {
            assumeTrue(!READER_TOO_STRICT.contains(name), "known reader issue, reported: " + o.file + ": " + o.oursRejected);
            assertTrue(BROKEN.contains(name), "our reader rejects " + o.file + ": " + o.oursRejected);
            return;
        }
        assertTrue(!BROKEN.contains(name), o.file + " is listed as broken but our reader accepts it");
        assertTrue(!READER_TOO_STRICT.contains(name), o.file + " is read now: take it off READER_TOO_STRICT");
        if (o.dcmtkRejected != null) {
            assertTrue(expected.isEmpty(), o.file + ": dcm2json no longer reads it, but differences are listed");
            assumeTrue(false, "dcm2json cannot read " + o.file + ": " + o.dcmtkRejected);
        }
        Set<Listed> actual = new LinkedHashSet<>();
        for (JsonDiff.Diff d : o.diffs) actual.add(new Listed(o.file, d.path(), d.what()));
        List<String> problems = new ArrayList<>();
        for (Listed l : actual) if (!expected.contains(l)) problems.add("not listed:\t" + l.file + "\t" + l.path + "\t" + l.what);
        for (Listed l : expected) if (!actual.contains(l)) problems.add("listed but no longer seen:\t" + l.file + "\t" + l.path + "\t" + l.what);
        if (!problems.isEmpty()) fail(problems.size() + " unexpected oracle result(s)" + (o.pixelDataDropped ? " (Pixel Data left out)" : "")
                + ":\n" + String.join("\n", problems));
    }

    private static Outcome run(Path p, Path tmp) {
        String file = TestFiles.PYDICOM.relativize(p).toString();
        Map<?, ?> ours;
        try {
            String json = DicomJsonWriter.toJson(DicomReader.read(Files.readAllBytes(p)).dataSet());
            ours = tree(STRICT, json); // strict: our output must be valid JSON
        } catch (DicomParseException e) {
            return new Outcome(file, e.getMessage(), null, false, List.of());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        try {
            Result r = exec(tmp, "dcm2json", "-fc", p.toString());
            boolean dropped = false;
            if (r.rc != 0 && r.err.contains("compressed pixel data")) {
                Path copy = tmp.resolve(file.replace('/', '_') + ".nopixels");
                Files.copy(p, copy);
                Result m = exec(tmp, "dcmodify", "-q", "-nb", "-p=", "-ea", "(7fe0,0010)", copy.toString());
                if (m.rc != 0) return new Outcome(file, null, "dcmodify failed: " + m.err.strip(), false, List.of());
                r = exec(tmp, "dcm2json", "-fc", copy.toString());
                dropped = true;
                ours.remove("7FE00010");
            }
            if (r.rc != 0) return new Outcome(file, null, "exit " + r.rc + ": " + r.err.strip().lines().reduce((a, b) -> b).orElse(""), false, List.of());
            return new Outcome(file, null, null, dropped, JsonDiff.compare(ours, tree(LENIENT, r.out)));
        } catch (IOException | InterruptedException e) {
            throw new RuntimeException("running DCMTK on " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> tree(JsonFactory f, String json) {
        try (JsonParser p = f.createParser(json)) {
            return (Map<Object, Object>) JsonTree.read(p);
        }
    }

    record Result(int rc, String out, String err) {}

    private static Result exec(Path tmp, String... cmd) throws IOException, InterruptedException {
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process proc = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out;
        try (InputStream in = proc.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!proc.waitFor(60, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish in 60 s");
        }
        return new Result(proc.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) if (Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }

    /** Columns: file, tag path, what differs, the side the standard supports (clause), pydicom's opinion. */
    private static Map<String, Set<Listed>> loadList() throws IOException {
        Map<String, Set<Listed>> byFile = new TreeMap<>();
        try (InputStream in = DcmtkJsonOracleTest.class.getResourceAsStream(LIST)) {
            if (in == null) throw new IllegalStateException("missing resource " + LIST);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                if (f.length != 5) throw new IllegalStateException(LIST + ": expected 5 tab-separated columns: " + line);
                byFile.computeIfAbsent(f[0], k -> new LinkedHashSet<>()).add(new Listed(f[0], f[1], f[2]));
            }
        }
        return byFile;
    }
}

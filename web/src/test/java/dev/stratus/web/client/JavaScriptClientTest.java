package dev.stratus.web.client;

import dev.stratus.web.JsonTree;

import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The archive driven by dicomweb-client, the JavaScript DICOMweb client of the OHIF viewer, through
 * clients/js/stow-search-retrieve.mjs under Node.js: STOW-RS of generated and real files, QIDO-RS, WADO-RS
 * metadata, instances, frames and bulk data, each checked against what was stored. Needs node (20+) and
 * {@code cd clients/js && npm ci}; without them the test is skipped, except with CI=true, where it fails.
 */
class JavaScriptClientTest {
    private static final String EXPLICIT_LE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();
    private static final long TIMEOUT_SECONDS = 180;

    /**
     * pydicom's files and the sizes of their frames as pydicom splits them (an oracle independent of dcmjs,
     * which the script uses): native CT, RLE (one and two frames), JPEG 2000, JPEG baseline and extended.
     */
    private static final Map<String, List<Integer>> PYDICOM_FRAMES = new LinkedHashMap<>();

    static {
        PYDICOM_FRAMES.put("CT_small.dcm", List.of(32768));
        PYDICOM_FRAMES.put("MR_small_RLE.dcm", List.of(6108));
        PYDICOM_FRAMES.put("JPEG2000.dcm", List.of(250));
        PYDICOM_FRAMES.put("JPEG-lossy.dcm", List.of(6830));
        PYDICOM_FRAMES.put("SC_rgb_jpeg_dcmtk.dcm", List.of(1724));
        PYDICOM_FRAMES.put("SC_rgb_rle_2frame.dcm", List.of(664, 664));
    }

    @TempDir
    Path dir;

    /** One file the script is given, and what it must report about it. */
    record Expected(String file, String sop, String transferSyntax, boolean nativePixels, List<Integer> frameSizes) {}

    @Test
    void dicomwebClientStoresFindsAndRetrievesEveryInstance() throws Exception {
        Path repo = repositoryRoot();
        Path script = repo.resolve("clients/js/stow-search-retrieve.mjs");
        assertTrue(Files.isRegularFile(script), "missing " + script);
        String node = requireNode(repo);

        Path files = Files.createDirectories(dir.resolve("files"));
        List<Expected> expected = new ArrayList<>(writeGeneratedSeries(files));
        for (var e : PYDICOM_FRAMES.entrySet()) {
            Path source = TestFiles.file(e.getKey());
            byte[] bytes = Files.readAllBytes(source);
            Files.write(files.resolve(e.getKey()), bytes);
            DicomFile f = DicomReader.read(bytes);
            String ts = f.transferSyntax().uid();
            expected.add(new Expected(e.getKey(), f.dataSet().getString(Tag.SOPInstanceUID), ts, f.transferSyntax().isUncompressed(), e.getValue()));
        }

        try (ClientTestArchive archive = new ClientTestArchive(dir.resolve("archive"))) {
            Run run = runScript(node, repo, script, archive.base + "/dicomweb", files);
            Map<String, Object> result = jsonLine(run);
            checkResult(result, expected, repo, run);
        }
    }

    private static void checkResult(Map<String, Object> r, List<Expected> expected, Path repo, Run run) throws IOException {
        String context = "\nstderr of the script:\n" + run.stderr;
        List<Executable> checks = new ArrayList<>();

        // The client versions that ran are the ones package.json pins (a stale node_modules would not be).
        Map<String, Object> pinned = map(JsonTree.object(Files.readAllBytes(repo.resolve("clients/js/package.json"))).get("dependencies"));
        Map<String, Object> ran = map(r.get("client"));
        for (String name : List.of("dicomweb-client", "dcmjs", "xhr2")) {
            checks.add(() -> assertEquals(pinned.get(name), ran.get(name), name + " version: run `cd clients/js && npm ci`"));
        }

        Map<String, Object> stow = map(r.get("stow"));
        checks.add(() -> assertEquals(expected.size(), num(stow.get("files")), "files sent"));
        checks.add(() -> assertEquals(List.of(), stow.get("failed"), "STOW FailedSOPSequence"));
        Map<String, Object> search = map(r.get("search"));
        Map<String, Object> metadata = map(r.get("metadata"));
        Map<String, Object> studyMetadata = map(metadata.get("study"));
        Map<String, Object> seriesMetadata = map(metadata.get("series"));
        checks.add(() -> assertEquals(expected.size(), num(search.get("instances")), "instances found by searchForInstances"));
        checks.add(() -> assertEquals(expected.size(), num(studyMetadata.get("instances")), "items of retrieveStudyMetadata"));
        checks.add(() -> assertEquals(expected.size(), num(seriesMetadata.get("instances")), "items of retrieveSeriesMetadata"));
        for (Object count : map(search.get("byPatientId")).values()) checks.add(() -> assertTrue(num(count) >= 1, "a PatientID search found nothing: " + search));
        for (Object count : map(search.get("byPatientName")).values()) checks.add(() -> assertTrue(num(count) >= 1, "a PatientName search found nothing: " + search));

        List<Map<String, Object>> instances = maps(r.get("instances"));
        List<Map<String, Object>> frames = maps(r.get("frames"));
        for (Expected e : expected) {
            String what = e.file() + " (" + e.sop() + ")";
            checks.add(() -> assertTrue(list(stow.get("referenced")).contains(e.sop()), what + " in the STOW ReferencedSOPSequence"));
            checks.add(() -> assertTrue(list(search.get("sopInstanceUIDs")).contains(e.sop()), what + " found by searchForInstances"));
            checks.add(() -> assertTrue(list(studyMetadata.get("sopInstanceUIDs")).contains(e.sop()), what + " in the study metadata"));
            checks.add(() -> assertTrue(list(seriesMetadata.get("sopInstanceUIDs")).contains(e.sop()), what + " in the series metadata"));

            // retrieveInstance: a Part 10 file that dcmjs reads, with the right UID and transfer syntax, same pixels.
            List<Map<String, Object>> retrieved = instances.stream()
                    .filter(i -> e.sop().equals(i.get("sop")) && !Boolean.TRUE.equals(i.get("optional"))).toList();
            checks.add(() -> assertEquals(1, retrieved.size(), what + " retrieveInstance entries: " + instances));
            for (Map<String, Object> i : retrieved) {
                checks.add(() -> assertAll(what + " retrieveInstance " + i,
                        () -> assertEquals(Boolean.TRUE, i.get("dicm"), "DICM prefix"),
                        () -> assertEquals(e.sop(), i.get("parsedSopInstanceUID"), "SOPInstanceUID read by dcmjs"),
                        () -> assertEquals(e.nativePixels() ? EXPLICIT_LE : e.transferSyntax(), i.get("transferSyntax"), "transfer syntax"),
                        () -> assertEquals(Boolean.TRUE, i.get("pixelDataEqual"), "pixel data as stored")));
            }

            // retrieveInstanceFrames: every request for this instance gave each frame, of the expected size, as stored.
            List<Map<String, Object>> frameRequests = frames.stream().filter(f -> e.sop().equals(f.get("sop"))).toList();
            checks.add(() -> assertEquals(e.nativePixels() ? 1 : 2, frameRequests.size(), what + " frame requests: " + frameRequests));
            for (Map<String, Object> f : frameRequests) {
                checks.add(() -> assertAll(what + " retrieveInstanceFrames " + f.get("request"),
                        () -> assertEquals(e.frameSizes(), nums(f.get("expectedSizes")), "frame sizes of the file as dcmjs splits it"),
                        () -> assertEquals(e.frameSizes(), f.get("sizes") == null ? null : nums(f.get("sizes")), "frame sizes retrieved"),
                        () -> assertEquals(Boolean.TRUE, f.get("equal"), "frame bytes as stored")));
            }
        }

        // retrieveBulkData: CT_small's pixel data and private OB value, multipart and singlepart.
        String ctSmall = expected.stream().filter(e -> e.file().equals("CT_small.dcm")).findFirst().orElseThrow().sop();
        List<Map<String, Object>> bulk = maps(r.get("bulkData"));
        Map<String, Object> pixelBulk = bulk.stream().filter(b -> ctSmall.equals(b.get("sop")) && "7FE00010".equals(b.get("tag")))
                .findFirst().orElse(null);
        checks.add(() -> assertNotNull(pixelBulk, "no BulkDataURI for the pixel data of CT_small.dcm: " + bulk));
        if (pixelBulk != null) {
            checks.add(() -> assertAll("retrieveBulkData " + pixelBulk,
                    () -> assertTrue(String.valueOf(pixelBulk.get("uri")).startsWith("http://127.0.0.1:"), "absolute BulkDataURI"),
                    () -> assertEquals(32768L, num(pixelBulk.get("size")), "multipart size"),
                    () -> assertEquals(Boolean.TRUE, pixelBulk.get("equal"), "multipart bytes"),
                    () -> assertEquals(32768L, num(pixelBulk.get("singlepartSize")), "singlepart size"),
                    () -> assertEquals(Boolean.TRUE, pixelBulk.get("singlepartEqual"), "singlepart bytes")));
        }
        for (Map<String, Object> b : bulk) {
            if (Boolean.TRUE.equals(b.get("fetched")) && b.get("expectedSize") != null) {
                checks.add(() -> assertEquals(Boolean.TRUE, b.get("equal"), "bulk data as stored: " + b));
            }
        }

        // Finally the script's own verdict (its exit status and the errors it met).
        checks.add(() -> assertEquals(0, list(r.get("errors")).size(), "checks failed in the script (listed in its stderr above)"));
        checks.add(() -> assertEquals(0, run.exitCode, "exit status of the script"));
        assertAll("dicomweb-client against the archive" + context, checks);
    }

    /** A CT series of the codec's making: three Explicit VR LE images, one Implicit VR LE, one of three frames. */
    private static List<Expected> writeGeneratedSeries(Path files) throws IOException {
        String study = Uids.generate(), series = Uids.generate();
        List<Expected> out = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            int frames = n == 5 ? 3 : 1;
            TransferSyntax ts = n == 4 ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
            String sop = Uids.generate();
            String name = "generated-" + n + ".dcm";
            GeneratedCt.write(files.resolve(name), GeneratedCt.ct(study, series, sop, "Script^Jáné", "JS-CLIENT-1", n, frames), ts);
            out.add(new Expected(name, sop, ts.uid(), true, java.util.Collections.nCopies(frames, GeneratedCt.FRAME_SIZE)));
        }
        return out;
    }

    // ---- the Node.js process

    record Run(int exitCode, String stdout, String stderr) {}

    private static Run runScript(String node, Path repo, Path script, String root, Path files) throws Exception {
        Path out = Files.createTempFile("js-client", ".out"), err = Files.createTempFile("js-client", ".err");
        try {
            Process p = new ProcessBuilder(node, repo.relativize(script).toString(), root, files.toString())
                    .directory(repo.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("node " + script + " did not finish in " + TIMEOUT_SECONDS + " s\nstdout:\n" + Files.readString(out)
                        + "\nstderr:\n" + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The script's one JSON line on stdout. */
    private static Map<String, Object> jsonLine(Run run) {
        List<String> lines = run.stdout.lines().filter(l -> l.startsWith("{")).toList();
        if (lines.size() != 1) {
            fail("expected one JSON line on stdout, got " + lines.size() + " (exit status " + run.exitCode + ")\nstdout:\n"
                    + run.stdout + "\nstderr:\n" + run.stderr);
        }
        return JsonTree.object(lines.getFirst().getBytes(StandardCharsets.UTF_8));
    }

    /** The repository root: the parent of the web module's base directory (Surefire's basedir, else the working directory). */
    private static Path repositoryRoot() {
        Path web = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        Path repo = web.getParent();
        if (repo == null || !Files.isDirectory(repo.resolve("clients/js"))) {
            fail("clients/js not found beside the web module " + web);
        }
        return repo;
    }

    /** node 20+ on the PATH and clients/js installed with npm ci: else skip, or fail under CI=true. */
    private static String requireNode(Path repo) throws Exception {
        String install = "install Node.js 20+ and run `cd clients/js && npm ci`";
        String node = findOnPath("node");
        require(node != null, "node is not on the PATH: " + install);
        Process v = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
        String version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        require(v.waitFor(30, TimeUnit.SECONDS) && v.exitValue() == 0, "`node --version` failed: " + version);
        int major = version.matches("v\\d+\\..*") ? Integer.parseInt(version.substring(1, version.indexOf('.'))) : 0;
        require(major >= 20, "node " + version + " is older than 20: " + install);
        for (String pkg : List.of("dicomweb-client", "dcmjs", "xhr2")) {
            require(Files.isRegularFile(repo.resolve("clients/js/node_modules").resolve(pkg).resolve("package.json")),
                    "clients/js/node_modules/" + pkg + " is missing: run `cd clients/js && npm ci`");
        }
        return node;
    }

    private static void require(boolean ok, String why) {
        if (ok) return;
        if ("true".equals(System.getenv("CI"))) fail(why + " (CI=true: not skipped)");
        assumeTrue(false, why);
    }

    private static String findOnPath(String name) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    // ---- a plain JSON tree (Map, List, String, Long/Double, Boolean, null)


    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, "expected a JSON object, got " + o);
        return (Map<String, Object>) o;
    }

    private static List<Object> list(Object o) {
        assertTrue(o instanceof List, "expected a JSON array, got " + o);
        @SuppressWarnings("unchecked") List<Object> l = (List<Object>) o;
        return l;
    }

    private static List<Map<String, Object>> maps(Object o) {
        return list(o).stream().map(JavaScriptClientTest::map).toList();
    }

    private static long num(Object o) {
        assertTrue(o instanceof Number, "expected a number, got " + o);
        return ((Number) o).longValue();
    }

    private static List<Integer> nums(Object o) {
        return list(o).stream().map(x -> (int) num(x)).toList();
    }
}

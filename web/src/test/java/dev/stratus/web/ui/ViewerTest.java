package dev.stratus.web.ui;

import dev.stratus.codec.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OHIF, installed by {@code ./stratus viewer install} and served by the archive at /viewer/, in Debian's chromium: its
 * study list shows what the archive holds, the study browser's "Open in viewer" leads there, and its viewport draws an uncompressed CT and a JPEG-LS MR (the canvas
 * holds an image, not one flat colour). It runs where the viewer is installed (in the repository's stratus-viewer/, as
 * .ci/run installs it, or where STRATUS_VIEWER_DIR says); elsewhere it is skipped with the reason, and with CI=true it
 * fails instead. UiRoutesTest checks the serving itself everywhere.
 */
class ViewerTest {
    @TempDir
    Path dir;

    @Test
    void ohifListsTheStoredStudiesAndDrawsTheirImages() throws Exception {
        Path scripts = BrowserScript.scripts();
        Path viewer = installedViewer(scripts);
        Path ct = TestFiles.file("CT_small.dcm"), mr = TestFiles.file("MR_small_jpeg_ls_lossless.dcm");
        String ctStudy = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322", mrStudy = "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457";
        try (BrowserTestArchive archive = new BrowserTestArchive(dir.resolve("archive"), viewer)) {
            assertEquals(200, archive.stow("/tenants/acme/dicomweb", List.of(Files.readAllBytes(ct), Files.readAllBytes(mr))));
            Map<String, String> spec = new LinkedHashMap<>();
            spec.put("base", archive.base);
            spec.put("page", "/tenants/acme/viewer/");
            spec.put("browserPage", "/tenants/acme/");
            spec.put("patientName", "CompressedSamples");
            spec.put("screenshots", Files.createDirectories(Path.of("target/browser-screenshots")).toAbsolutePath().toString());
            String json = BrowserScript.object(spec).replaceFirst("}$", ",\"studies\":[" + BrowserScript.quote(ctStudy) + ","
                    + BrowserScript.quote(mrStudy) + "]}");
            BrowserScript.Run run = BrowserScript.run(scripts, "viewer.mjs", json);
            Map<String, Object> r = run.result();
            String context = run.toString();
            assertEquals(null, r.get("error"), context);
            assertEquals(archive.base + "/tenants/acme/viewer/viewer?StudyInstanceUIDs=" + ctStudy, r.get("openedFromBrowser"),
                    "the study browser's link: " + context);
            Map<String, Object> studies = StudyBrowserTest.map(r.get("studies"));
            for (String study : List.of(ctStudy, mrStudy)) {
                Map<String, Object> canvas = StudyBrowserTest.map(studies.get(study));
                assertAll(study + ": " + context,
                        () -> assertTrue(((Number) canvas.get("levels")).longValue() >= 16, "grey levels drawn: " + canvas),
                        () -> assertTrue(((Number) canvas.get("lit")).longValue() > 1000, "pixels drawn: " + canvas));
            }
            assertEquals(List.of(), r.get("external"), "requests that would have left this machine: " + context);
        }
    }

    /** The installed viewer, or a skip saying how to install it. */
    private static Path installedViewer(Path scripts) {
        String env = System.getenv("STRATUS_VIEWER_DIR");
        Path dir = env != null ? Path.of(env) : scripts.resolve("../../../../stratus-viewer").normalize();
        BrowserScript.require(Files.isRegularFile(dir.resolve("index.html")), "OHIF is not installed in " + dir
                + ": run `./stratus viewer install` in the repository (or set STRATUS_VIEWER_DIR)");
        return dir;
    }
}

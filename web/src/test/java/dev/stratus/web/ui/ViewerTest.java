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
 * study list shows what the archive holds, the study browser's "Open in viewer" leads there, and its viewport draws
 * an uncompressed CT and a JPEG-LS MR on a tenant's viewer, and a JPEG 2000 CT on the default tenant's (the canvas
 * holds an image, not one flat colour); SignInBrowserTest draws an uncompressed MR with authorization on. It runs
 * where the viewer is installed (in the repository's stratus-viewer/, as .ci/run installs it, or where
 * STRATUS_VIEWER_DIR says); elsewhere it is skipped with the reason, and with CI=true it fails instead. UiRoutesTest
 * checks the serving itself everywhere.
 */
class ViewerTest {
    static final String CT_STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    static final String MR_STUDY = "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457";
    /** pydicom's 693_J2KI.dcm: a 512 × 512 CT, JPEG 2000 (irreversible). */
    static final String J2K_CT_STUDY = "1.2.276.0.7230010.3.1.2.296485376.1.1521713414.1800996";

    @TempDir
    Path dir;

    @Test
    void ohifListsTheStoredStudiesAndDrawsTheirImages() throws Exception {
        Path scripts = BrowserScript.scripts();
        Path viewer = installedViewer(scripts);
        Path ct = TestFiles.file("CT_small.dcm"), mr = TestFiles.file("MR_small_jpeg_ls_lossless.dcm"), j2k = TestFiles.file("693_J2KI.dcm");
        try (BrowserTestArchive archive = new BrowserTestArchive(dir.resolve("archive"), viewer)) {
            assertEquals(200, archive.stow("/tenants/acme/dicomweb", List.of(Files.readAllBytes(ct), Files.readAllBytes(mr))));
            assertEquals(200, archive.stow("/dicomweb", List.of(Files.readAllBytes(j2k))));
            Map<String, String> spec = new LinkedHashMap<>();
            spec.put("base", archive.base);
            spec.put("page", "/tenants/acme/viewer/");
            spec.put("browserPage", "/tenants/acme/");
            spec.put("patientName", "CompressedSamples");
            spec.put("screenshots", screenshots());
            String json = BrowserScript.object(spec).replaceFirst("}$", ",\"studies\":[" + study(CT_STUDY, null) + ","
                    + study(MR_STUDY, null) + "," + study(J2K_CT_STUDY, "/viewer/") + "]}");
            BrowserScript.Run run = BrowserScript.run(scripts, "viewer.mjs", json);
            Map<String, Object> r = run.result();
            String context = run.toString();
            assertEquals(null, r.get("error"), context);
            assertEquals(archive.base + "/tenants/acme/viewer/viewer?StudyInstanceUIDs=" + CT_STUDY, r.get("openedFromBrowser"),
                    "the study browser's link: " + context);
            Map<String, Object> studies = StudyBrowserTest.map(r.get("studies"));
            for (String study : List.of(CT_STUDY, MR_STUDY, J2K_CT_STUDY)) assertDrawn(StudyBrowserTest.map(studies.get(study)), study + ": " + context);
            assertEquals(List.of(), r.get("external"), "requests that would have left this machine: " + context);
        }
    }

    /** The viewport holds an image: many grey levels, many lit pixels (a blank or failed one is one flat colour). */
    static void assertDrawn(Map<String, Object> canvas, String context) {
        assertAll(context,
                () -> assertTrue(((Number) canvas.get("levels")).longValue() >= 16, "grey levels drawn: " + canvas),
                () -> assertTrue(((Number) canvas.get("lit")).longValue() > 1000, "pixels drawn: " + canvas));
    }

    private static String study(String uid, String page) {
        return "{\"uid\":" + BrowserScript.quote(uid) + (page == null ? "" : ",\"page\":" + BrowserScript.quote(page)) + "}";
    }

    static String screenshots() throws java.io.IOException {
        return Files.createDirectories(Path.of("target/browser-screenshots")).toAbsolutePath().toString();
    }

    /** The installed viewer, or a skip saying how to install it. */
    static Path installedViewer(Path scripts) {
        String env = System.getenv("STRATUS_VIEWER_DIR");
        Path dir = env != null ? Path.of(env) : scripts.resolve("../../../../stratus-viewer").normalize();
        BrowserScript.require(Files.isRegularFile(dir.resolve("index.html")), "OHIF is not installed in " + dir
                + ": run `./stratus viewer install` in the repository (or set STRATUS_VIEWER_DIR)");
        return dir;
    }
}

package dev.stratus.web.ui;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The study browser in Debian's chromium, on a tenant's page (/tenants/acme/): what a user sees when searching
 * (wild cards, modality, date range, both sort orders, pages), opening a study (attributes, series with their instance
 * counts, a placeholder where the archive has no thumbnail), downloading it as a zip, deleting it after a
 * confirmation (cancelled once), and uploading files by picking and by dropping, each with its outcome. By keyboard:
 * every control has a name, Tab goes from the skip link to the search and from the search to the studies found, Enter
 * opens one and the focus moves to it; the list has a caption and column headers. No request
 * may leave this machine, and no script or style may be refused by the page's Content-Security-Policy (the console
 * would say so).
 */
class StudyBrowserTest {
    private static final String TENANT_ROOT = "/tenants/acme/dicomweb";

    @TempDir
    Path dir;

    @Test
    void aUserSearchesOpensDownloadsDeletesAndUploads() throws Exception {
        Path scripts = BrowserScript.scripts();
        Path files = Files.createDirectories(dir.resolve("files"));
        try (BrowserTestArchive archive = new BrowserTestArchive(dir.resolve("archive"), null)) {
            Map<String, List<String>> alpha = store(archive, TENANT_ROOT, "Browser^Alpha", "P-A", "20250601", "CT", 2, 1);
            store(archive, TENANT_ROOT, "Browser^Gamma", "P-G", "20240315", "CT", 1);
            store(archive, TENANT_ROOT, "Browser^Beta", "P-B", "20230110", "MR", 1);
            store(archive, "/dicomweb", "Browser^Default", "P-D", "20260101", "MR", 1); // another tenant's: never shown
            for (int n = 1; n <= 26; n++) store(archive, TENANT_ROOT, "Filler^" + n, "F-" + n, "1999%02d%02d".formatted(1 + n / 28, 1 + n % 28), "OT", 1);

            String upStudy = Uids.generate(), upSeries = Uids.generate();
            Path upload = files.resolve("upload-1.dcm"), drop = files.resolve("upload-2.dcm"), text = files.resolve("notes.txt");
            Files.write(upload, part10(upStudy, upSeries, "Browser^Upload", "P-UP", "20220202", "CT", 1));
            Files.write(drop, part10(upStudy, upSeries, "Browser^Upload", "P-UP", "20220202", "CT", 2));
            Files.writeString(text, "not an image");

            Path zip = dir.resolve("download.zip");
            Map<String, String> spec = new LinkedHashMap<>();
            spec.put("base", archive.base);
            spec.put("page", "/tenants/acme/");
            spec.put("patientName", "Browser^*");
            spec.put("fillerName", "Filler^*");
            spec.put("uploadFile", upload.toString());
            spec.put("dropFile", drop.toString());
            spec.put("notDicomFile", text.toString());
            spec.put("uploadPatientId", "P-UP");
            spec.put("downloadTo", zip.toString());
            spec.put("screenshots", Files.createDirectories(Path.of("target/browser-screenshots")).toAbsolutePath().toString());
            BrowserScript.Run run = BrowserScript.run(scripts, "study-browser.mjs", BrowserScript.object(spec));
            Map<String, Object> r = run.result();
            String context = run.toString();

            assertEquals(null, r.get("error"), context);
            String alphaUid = alpha.keySet().iterator().next();
            assertAll(context,
                    () -> assertEquals("Stratus: studies", r.get("title")),
                    () -> assertEquals(List.of(), r.get("unlabelled"), "controls without a name"),
                    () -> assertEquals(List.of("Skip to content", "Stratus", "PatientName"), r.get("firstTabStops")),
                    () -> assertEquals(List.of("Alpha", "Gamma", "Beta"), names(r.get("newestFirst")), "newest first"),
                    () -> assertEquals(List.of("Beta", "Gamma", "Alpha"), names(r.get("oldestFirst")), "oldest first"),
                    () -> assertEquals(List.of("Beta"), names(r.get("byModality")), "modality MR, this tenant only"),
                    () -> assertEquals(List.of("Gamma"), names(r.get("byDateRange")), "studies of 2024"),
                    () -> assertEquals(List.of("Browser, Alpha", "P-A", "2025-06-01", "ACC-P-A", "CT", "CT chest", "2", "3"),
                            rows(r.get("newestFirst")).getFirst(), "the columns of a study, counts from QIDO"),
                    () -> assertEquals("#/study/" + alphaUid, r.get("openedHref")),
                    () -> assertEquals(List.of("#/study/" + alphaUid), r.get("tabsToFirstStudy"), "one Tab from Search to the first study"),
                    () -> assertEquals("main", r.get("focusOnStudy"), "the study opened, focus on its content"),
                    () -> assertEquals(Map.of("caption", "Studies found", "headers", List.of("Patient name:col", "Patient ID:col", "Date:col",
                            "Accession:col", "Modalities:col", "Description:col", "Series:col", "Instances:col")), r.get("studyTable")));

            Map<String, Object> firstPage = map(map(r.get("paging")).get("first")), secondPage = map(map(r.get("paging")).get("second"));
            assertAll("pages: " + context,
                    () -> assertEquals(25, rowsOf(firstPage.get("rows")).size()),
                    () -> assertEquals("Studies 1–25 (more on the next page).", firstPage.get("status")),
                    () -> assertEquals("Page 1", firstPage.get("page")),
                    () -> assertEquals(List.of(true, false), List.of(firstPage.get("next"), firstPage.get("prev")), "next, previous enabled"),
                    () -> assertEquals(List.of("Filler, 1"), rowsOf(secondPage.get("rows")).stream().map(row -> row.getFirst()).toList(), "the oldest last"),
                    () -> assertEquals("Studies 26–26.", secondPage.get("status")),
                    () -> assertEquals(List.of(false, true), List.of(secondPage.get("next"), secondPage.get("prev"))));

            Map<String, Object> study = map(r.get("study"));
            Map<String, Object> attributes = map(study.get("attributes"));
            List<Map<String, Object>> series = maps(study.get("series"));
            assertAll(context,
                    () -> assertEquals("Browser, Alpha: CT chest", study.get("heading")),
                    () -> assertEquals("P-A", attributes.get("Patient ID")),
                    () -> assertEquals("1970-01-01", attributes.get("Birth date")),
                    () -> assertEquals("2025-06-01", attributes.get("Study date")),
                    () -> assertEquals("2", attributes.get("Series")),
                    () -> assertEquals("3", attributes.get("Instances")),
                    () -> assertEquals(alphaUid, attributes.get("Study Instance UID")),
                    () -> assertEquals(2, series.size(), "series shown"),
                    () -> assertEquals("Series 1: Axial 1mm", series.get(0).get("title")),
                    () -> assertEquals("CT · 2 instances", series.get(0).get("text")),
                    () -> assertEquals("CT · 1 instance", series.get(1).get("text")),
                    () -> assertTrue(series.stream().allMatch(s -> Boolean.TRUE.equals(s.get("placeholder")) || Boolean.TRUE.equals(s.get("image"))),
                            "a thumbnail or a placeholder for every series"),
                    () -> assertEquals(Boolean.FALSE, study.get("viewerLinkShown"), "no viewer installed, no link to it"));

            // the zip holds every instance of the study, each a Part 10 file as stored
            Map<String, Object> download = map(r.get("download"));
            assertEquals(alphaUid + ".zip", download.get("suggested"), context);
            Set<String> inZip = new TreeSet<>();
            try (ZipFile z = new ZipFile(zip.toFile())) {
                for (ZipEntry e : java.util.Collections.list(z.entries())) {
                    DataSet ds = DicomReader.read(z.getInputStream(e).readAllBytes()).dataSet();
                    assertEquals(ds.getString(Tag.SeriesInstanceUID) + "/" + ds.getString(Tag.SOPInstanceUID) + ".dcm", e.getName());
                    inZip.add(ds.getString(Tag.SOPInstanceUID));
                }
            }
            assertEquals(new TreeSet<>(alpha.get(alphaUid)), inZip, "the instances in the zip");

            // deleted after the confirmation, not before
            Map<String, Object> afterCancel = map(r.get("afterCancel"));
            assertAll(context,
                    () -> assertTrue(String.valueOf(r.get("dialogText")).contains(alphaUid), "the dialog names the study"),
                    () -> assertEquals(Boolean.FALSE, afterCancel.get("dialogOpen")),
                    () -> assertEquals(Boolean.TRUE, afterCancel.get("stillOnStudy")),
                    () -> assertTrue(String.valueOf(r.get("deleteStatus")).startsWith("Deleted Browser, Alpha")),
                    () -> assertEquals(List.of("Gamma", "Beta"), names(r.get("afterDelete"))));
            HttpResponse<String> gone = archive.get(TENANT_ROOT + "/studies?StudyInstanceUID=" + alphaUid);
            assertEquals("[]", gone.body().strip(), "the deleted study is gone from QIDO");

            // each file's outcome, then the uploaded study found
            Map<String, Object> picked = map(r.get("picked")), dropped = map(r.get("dropped"));
            List<List<String>> pickedFiles = rowsOf(picked.get("files"));
            assertAll(context,
                    () -> assertEquals("Upload finished: 1 refused, 1 stored.", sortedStatus(picked.get("status"))),
                    () -> assertTrue(pickedFiles.contains(List.of("notes.txt", "refused", "not a DICOM file (no Part 10 header): not sent")), pickedFiles.toString()),
                    () -> assertTrue(pickedFiles.stream().anyMatch(f -> f.get(0).equals("upload-1.dcm") && f.get(1).equals("stored")), pickedFiles.toString()),
                    () -> assertEquals(map(picked.get("progress")).get("max"), map(picked.get("progress")).get("value"), "the progress bar full"),
                    () -> assertEquals("Upload finished: 1 stored.", dropped.get("status")),
                    () -> assertEquals("upload-2.dcm", rowsOf(dropped.get("files")).getFirst().getFirst()),
                    () -> assertEquals(List.of("Browser, Upload"), rows(r.get("uploadedFound")).stream().map(row -> row.getFirst()).toList()),
                    () -> assertEquals("2", rows(r.get("uploadedFound")).getFirst().get(7), "both uploaded instances counted"));

            // all requests stayed on this archive; none was refused by the CSP or failed in a script
            List<Object> requests = list(r.get("requests"));
            assertAll(context,
                    () -> assertEquals(List.of(), r.get("external"), "requests that would have left this machine"),
                    () -> assertTrue(requests.stream().allMatch(q -> String.valueOf(q).contains(" " + archive.base + "/")
                            || String.valueOf(q).contains(" blob:")), requests.toString()),
                    () -> assertEquals(List.of(), r.get("pageErrors")),
                    () -> assertEquals(List.of(), withoutExpected404s(r.get("consoleErrors")), "console errors"));
        }
    }

    /** The archive has no thumbnails yet: their 404s show in the console as failed loads, nothing else may. */
    private static List<Object> withoutExpected404s(Object errors) {
        return list(errors).stream().filter(e -> !String.valueOf(e).contains("404")).toList();
    }

    private static String sortedStatus(Object status) {
        String s = String.valueOf(status);
        String prefix = "Upload finished: ";
        if (!s.startsWith(prefix) || !s.endsWith(".")) return s;
        List<String> parts = new ArrayList<>(List.of(s.substring(prefix.length(), s.length() - 1).split(", ")));
        parts.sort(null);
        return prefix + String.join(", ", parts) + ".";
    }

    /** Stores one study (a series per count given); its UID and its instances' UIDs. */
    static Map<String, List<String>> store(BrowserTestArchive archive, String root, String name, String patientId, String date,
                                                   String modality, int... instancesPerSeries) throws Exception {
        String study = Uids.generate();
        List<byte[]> parts = new ArrayList<>();
        List<String> sops = new ArrayList<>();
        int seriesNumber = 1;
        for (int count : instancesPerSeries) {
            String series = Uids.generate();
            for (int n = 1; n <= count; n++) {
                DataSet ds = dataSet(study, series, name, patientId, date, modality, n);
                ds.setString(0x00200011, VR.IS, String.valueOf(seriesNumber));
                sops.add(ds.getString(Tag.SOPInstanceUID));
                parts.add(GeneratedCt.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            }
            seriesNumber++;
        }
        assertEquals(200, archive.stow(root, parts), "storing " + name);
        return Map.of(study, sops);
    }

    private static byte[] part10(String study, String series, String name, String patientId, String date, String modality, int n) throws IOException {
        return GeneratedCt.part10(dataSet(study, series, name, patientId, date, modality, n), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static DataSet dataSet(String study, String series, String name, String patientId, String date, String modality, int n) {
        DataSet ds = GeneratedCt.ct(study, series, Uids.generate(), name, patientId, n);
        ds.setString(0x00080020, VR.DA, date);
        ds.setString(0x00080060, VR.CS, modality);
        return ds;
    }

    /** The second word of each row's patient name ("Browser, Alpha" → "Alpha"). */
    private static List<String> names(Object search) {
        return rows(search).stream().map(row -> row.getFirst().replaceFirst("^Browser, ", "")).toList();
    }

    private static List<List<String>> rows(Object search) {
        return rowsOf(map(search).get("rows"));
    }

    private static List<List<String>> rowsOf(Object rows) {
        return list(rows).stream().map(row -> list(row).stream().map(String::valueOf).toList()).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, "expected a JSON object, got " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        assertTrue(o instanceof List, "expected a JSON array, got " + o);
        return (List<Object>) o;
    }

    private static List<Map<String, Object>> maps(Object o) {
        return list(o).stream().map(StudyBrowserTest::map).toList();
    }
}

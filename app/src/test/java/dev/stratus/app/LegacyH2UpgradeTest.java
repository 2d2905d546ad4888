package dev.stratus.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data directory a crash left on the H2 index of an earlier version (../shared/repro/crash-replay-hang: 424
 * instances in H2, one row of it locked by a transaction H2's recovery left behind, 60 acknowledged stores only in
 * the ingest journal). Started on it, that version spun forever in the journal replay. Now the executable moves the
 * directory to the SQLite index and serves every one of the 484 instances.
 */
class LegacyH2UpgradeTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.1241.96647303.1";
    static final Pattern JOURNALED = Pattern.compile("/series/([0-9.]+)/([0-9.]+)_[0-9a-f]+\\.dcm");

    @TempDir
    Path dir;

    @Test
    void theCrashReplayHangDirectoryStartsAndServesEveryAcknowledgedInstance() throws Exception {
        Path data = unzip("/repro/crash-replay-hang.zip", dir).resolve("crash-replay-hang");
        List<String> journaled = new ArrayList<>(), journaledSeries = new ArrayList<>();
        try (Stream<Path> pages = Files.list(data.resolve("ingest-journal"))) {
            for (Path page : pages.toList()) {
                Matcher m = JOURNALED.matcher(Files.readString(page));
                while (m.find()) {
                    journaledSeries.add(m.group(1));
                    journaled.add(m.group(2));
                }
            }
        }
        assertEquals(60, journaled.size());
        HttpClient http = HttpClient.newHttpClient();
        // ServerProcess gives a start 30 s to answer /health/ready; the version before this spun for good here.
        try (ServerProcess server = ServerProcess.start(data, dir.resolve("first.log"))) {
            String instances = instancesOfStudy(http, server);
            assertEquals(484, count(instances, "\"00080018\""), "424 from H2 and 60 from the journal" + server.log());
            for (String sop : journaled) assertTrue(instances.contains("\"" + sop + "\""), sop + " from the journal is indexed");
            HttpResponse<byte[]> retrieved = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies/" + STUDY
                    + "/series/" + journaledSeries.getLast() + "/instances/" + journaled.getLast())).header("Accept", "multipart/related; type=\"application/dicom\"").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, retrieved.statusCode(), "a journaled instance is retrievable");
            // study_modality (V3) did not exist in H2: the copy derives it, so ModalitiesInStudy finds the study
            String modality = firstModality(http, server);
            assertTrue(get(http, server, "/dicomweb/studies?ModalitiesInStudy=" + modality).contains(STUDY), modality);
        }
        assertTrue(Files.exists(data.resolve("index/h2-before-sqlite/stratus.mv.db")), "the H2 file is kept for the operator");
        assertTrue(Files.notExists(data.resolve("ingest-journal")), "the journal was moved aside with it");
        try (ServerProcess again = ServerProcess.start(data, dir.resolve("second.log"))) {
            assertEquals(484, count(instancesOfStudy(http, again), "\"00080018\""), "a second start serves the same" + again.log());
        }
    }

    private static String instancesOfStudy(HttpClient http, ServerProcess server) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies/" + STUDY
                + "/instances?includefield=00080018&limit=1000")).header("Accept", "application/dicom+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static String firstModality(HttpClient http, ServerProcess server) throws Exception {
        Matcher m = Pattern.compile("\"00080061\":\\{\"vr\":\"CS\",\"Value\":\\[\"([A-Z0-9]+)\"")
                .matcher(get(http, server, "/dicomweb/studies?StudyInstanceUID=" + STUDY));
        assertTrue(m.find(), "the study has a modality");
        return m.group(1);
    }

    private static String get(HttpClient http, ServerProcess server, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base + path))
                .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    static Path unzip(String resource, Path into) throws IOException {
        try (InputStream in = LegacyH2UpgradeTest.class.getResourceAsStream(resource); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) throw new IOException("entry outside the folder: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        return into;
    }
}

package dev.stratus.app;

import dev.stratus.app.config.ConfigLoader;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.index.sql.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.stratus.app.CommandLineContractTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `stratus move-index` from the embedded SQLite index into PostgreSQL, MariaDB and MongoDB, and `stratus reindex`
 * after the index is dropped: a server started on the new index gives the same QIDO-RS and WADO-RS answers as the
 * server on the source did (every query of a battery, every instance retrieved), and then works on as an archive
 * (a store into a moved study, a delete of a moved instance, with the counts following).
 */
class MovedIndexAnswersTest {
    private static final String TENANT = "alpha";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path shared;
    /** The source archive (pydicom's files in the default tenant, generated CTs in another), with its embedded index. */
    private static Path source;
    /** What the server on the source answered: request → canonical JSON, or the SHA-256 of a retrieved instance. */
    private static Map<String, String> expected;
    private static String alphaStudy;

    @BeforeAll
    static void sourceArchiveAndItsAnswers() throws Exception {
        source = shared.resolve("source");
        Path files = Files.createDirectories(shared.resolve("files"));
        for (Path f : TestFiles.all()) { // pydicom's files: many writers, character sets, SOP classes; the small ones keep it quick
            if (Files.size(f) < 64 * 1024) Files.copy(f, files.resolve(f.getParent().getFileName() + "-" + f.getFileName()));
        }
        // one batch at a time: the blob written last is the instance stored last, as reindex assumes (NewestBlobs)
        run("import", files.toString(), "--parallel", "1", "--data-dir", source.toString()); // some are refused (no meta header): what is stored is compared
        Path alpha = Files.createDirectories(shared.resolve("alpha"));
        alphaStudy = Uids.generate();
        String series = Uids.generate();
        for (int i = 1; i <= 3; i++) {
            GeneratedCt.write(alpha.resolve("IM" + i), GeneratedCt.ct(alphaStudy, series, Uids.generate(), "Müller^Anna", "A1", i, i), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
        GeneratedCt.write(alpha.resolve("other"), GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "Other^One", "A2", 1), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        CommandLineContractTest.Run imported = run("import", alpha.toString(), "--tenant", TENANT, "--data-dir", source.toString());
        assertEquals(0, imported.status(), imported.out() + imported.err());
        try (Server server = Server.start(source, null, null, null)) {
            expected = answers(server.base, requests(server.base));
        }
        assertTrue(expected.keySet().stream().filter(r -> r.contains("/instances/")).count() > 30, "a corpus worth comparing: " + expected.keySet());
    }

    @Test
    void moveIndexIntoPostgresServesTheSameAnswers(@TempDir Path dir) throws Exception {
        TestDatabases.Fresh pg = TestDatabases.freshPostgresSchema();
        try {
            movedAndCompared(dir, pg.url(), pg.user(), pg.password());
        } finally {
            pg.drop().run();
        }
    }

    @Test
    void moveIndexIntoMariaDbServesTheSameAnswers(@TempDir Path dir) throws Exception {
        TestDatabases.Fresh maria = TestDatabases.freshMariaDbDatabase();
        try {
            movedAndCompared(dir, maria.url(), maria.user(), maria.password());
        } finally {
            maria.drop().run();
        }
    }

    @Test
    void moveIndexIntoMongoDbServesTheSameAnswers(@TempDir Path dir) throws Exception {
        de.bwaldvogel.mongo.MongoServer mongo = new de.bwaldvogel.mongo.MongoServer(
                new de.bwaldvogel.mongo.backend.memory.MemoryBackend().version(de.bwaldvogel.mongo.ServerVersion.MONGO_5_0));
        try {
            mongo.bind("127.0.0.1", 0);
            movedAndCompared(dir, "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/stratus_moved", null, null);
        } finally {
            mongo.shutdownNow();
        }
    }

    @Test
    void reindexAfterTheIndexIsDroppedServesTheSameAnswers(@TempDir Path dir) throws Exception {
        Path data = copyOfSource(dir);
        deleteRecursively(data.resolve("index"));
        CommandLineContractTest.Run r = run("reindex", "--from-storage", "--data-dir", data.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        try (Server server = Server.start(data, null, null, null)) {
            assertSameAnswers(server);
            worksOnAsAnArchive(server);
        }
    }

    private void movedAndCompared(Path dir, String url, String user, String password) throws Exception {
        Path data = copyOfSource(dir);
        List<String> args = new ArrayList<>(List.of("move-index", "--to", url, "--data-dir", data.toString()));
        if (user != null) args.addAll(List.of("--to-user", user));
        CommandLineContractTest.Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("verified: the same instances"), r.out());
        try (Server server = Server.start(data, url, user, password)) {
            assertSameAnswers(server);
            worksOnAsAnArchive(server);
        }
    }

    private static void assertSameAnswers(Server server) throws Exception {
        Map<String, String> actual = answers(server.base, new ArrayList<>(expected.keySet()));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (!e.getValue().equals(actual.get(e.getKey()))) throw new AssertionError("the answer to " + e.getKey() + differs(e.getValue(), actual.get(e.getKey())));
        }
    }

    /** What the end-to-end suite asks of a fresh archive, asked of the moved one: a store and a delete keep the counts right. */
    private static void worksOnAsAnArchive(Server server) throws Exception {
        String studies = "/tenants/" + TENANT + "/dicomweb/studies";
        String added = Uids.generate(), series = Uids.generate();
        byte[] file = GeneratedCt.part10(GeneratedCt.ct(alphaStudy, series, added, "Müller^Anna", "A1", 9), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        HttpResponse<String> stored = HTTP.send(HttpRequest.newBuilder(URI.create(server.base + studies))
                .header("Content-Type", ArchiveClient.STOW_TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(ArchiveClient.multipart(file))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stored.statusCode(), stored.body());
        JsonNode study = array(server.base, studies + "?StudyInstanceUID=" + alphaStudy).get(0);
        assertEquals(4, study.at("/00201208/Value/0").asInt(), "NumberOfStudyRelatedInstances with the new one: " + study);
        assertEquals(2, study.at("/00201206/Value/0").asInt(), "NumberOfStudyRelatedSeries: " + study);

        JsonNode moved = array(server.base, studies + "/" + alphaStudy + "/instances?InstanceNumber=1").get(0);
        String path = studies + "/" + alphaStudy + "/series/" + moved.at("/0020000E/Value/0").asString() + "/instances/" + moved.at("/00080018/Value/0").asString();
        assertEquals(204, HTTP.send(HttpRequest.newBuilder(URI.create(server.base + path)).DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(404, get(server.base, path, "multipart/related; type=\"application/dicom\"; transfer-syntax=*").statusCode());
        assertEquals(3, array(server.base, studies + "?StudyInstanceUID=" + alphaStudy).get(0).at("/00201208/Value/0").asInt());
        assertEquals(2, array(server.base, studies + "/" + alphaStudy + "/series/" + moved.at("/0020000E/Value/0").asString() + "/metadata").size(),
                "the moved series' metadata without the deleted instance");
    }

    /** The battery: searches at each level with matching of each kind, each study's metadata, and every instance. */
    private static List<String> requests(String base) throws Exception {
        List<String> requests = new ArrayList<>();
        for (String root : List.of("/dicomweb", "/tenants/" + TENANT + "/dicomweb")) {
            for (String level : List.of("studies", "series", "instances")) requests.add(root + "/" + level + "?includefield=all");
            requests.add(root + "/studies?PatientName=" + URLEncoder.encode("*a*", StandardCharsets.UTF_8));
            requests.add(root + "/studies?PatientName=" + URLEncoder.encode("Müller*", StandardCharsets.UTF_8));
            requests.add(root + "/studies?PatientName=" + URLEncoder.encode("山田*", StandardCharsets.UTF_8));
            requests.add(root + "/studies?StudyDate=19900101-20241231&includefield=StudyDescription");
            requests.add(root + "/studies?ModalitiesInStudy=MR");
            requests.add(root + "/series?Modality=CT&includefield=all");
            requests.add(root + "/instances?SOPClassUID=1.2.840.10008.5.1.4.1.1.4");
            requests.add(root + "/studies?fuzzymatching=true&PatientName=yamada");
            for (JsonNode study : array(base, root + "/studies")) {
                String uid = study.at("/0020000D/Value/0").asString();
                requests.add(root + "/studies/" + uid + "/metadata");
            }
            for (JsonNode i : array(base, root + "/instances")) {
                requests.add(root + "/studies/" + i.at("/0020000D/Value/0").asString() + "/series/" + i.at("/0020000E/Value/0").asString()
                        + "/instances/" + i.at("/00080018/Value/0").asString());
            }
        }
        return requests;
    }

    private static Map<String, String> answers(String base, List<String> requests) throws Exception {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String request : requests) {
            boolean instance = request.matches(".*/instances/[0-9.]+");
            HttpResponse<byte[]> r = get(base, request, instance ? "multipart/related; type=\"application/dicom\"; transfer-syntax=*" : "application/dicom+json");
            answers.put(request, r.statusCode() + " " + (instance ? sha256(onlyPart(r)) : canonical(new String(r.body(), StandardCharsets.UTF_8).replace(base, "BASE"))));
        }
        return answers;
    }

    /** The JSON with the objects of an array in a sorted order: PS3.18 leaves the order of matches to the server. */
    private static String canonical(String json) {
        if (json.isEmpty()) return json;
        JsonNode node = JSON.readTree(json);
        if (!node.isArray()) return JSON.writeValueAsString(node);
        List<String> items = new ArrayList<>();
        for (JsonNode item : node) items.add(JSON.writeValueAsString(item));
        items.sort(Comparator.naturalOrder());
        return String.join(",\n", items);
    }

    /** The matches only the one answer has, each way: the whole answers are too long to read. */
    private static String differs(String expected, String actual) {
        List<String> was = List.of(expected.split(",\n")), is = actual == null ? List.of() : List.of(actual.split(",\n"));
        return "\n  only on the source: " + was.stream().filter(m -> !is.contains(m)).toList()
                + "\n  only on the target: " + is.stream().filter(m -> !was.contains(m)).toList();
    }

    private static JsonNode array(String base, String path) throws Exception {
        HttpResponse<byte[]> r = get(base, path, "application/dicom+json");
        assertEquals(200, r.statusCode(), path + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    private static HttpResponse<byte[]> get(String base, String path, String accept) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The one part of a multipart/related answer: the boundary is new for each answer. */
    private static byte[] onlyPart(HttpResponse<byte[]> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("multipart/related")) return r.body();
        String body = new String(r.body(), StandardCharsets.ISO_8859_1), boundary = type.replaceAll(".*boundary=\"?([^\";]+).*", "$1");
        int from = body.indexOf("\r\n\r\n") + 4, to = body.lastIndexOf("\r\n--" + boundary + "--");
        assertTrue(from > 3 && to > from && body.indexOf("--" + boundary, from) == to + 2, "one part: " + type);
        return java.util.Arrays.copyOfRange(r.body(), from, to);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static Path copyOfSource(Path dir) throws IOException {
        Path copy = dir.resolve("data");
        try (Stream<Path> s = Files.walk(source)) {
            for (Path p : s.toList()) {
                Path to = copy.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES); // the blobs' times, as cp -a and rsync -a keep them
            }
        }
        return copy;
    }

    private static void deleteRecursively(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    /** The server as `stratus serve` composes it (ArchiveNode), in this JVM: on a data directory and an index. */
    private record Server(ArchiveNode node, String base) implements AutoCloseable {
        static Server start(Path data, String indexUrl, String user, String password) throws IOException {
            Map<String, String> options = new HashMap<>(Map.of("http.port", "0", "http.host", "127.0.0.1", "dataDir", data.toString(), "dimse.enabled", "false"));
            if (indexUrl != null) options.put("index.url", indexUrl);
            if (user != null) options.put("index.user", user);
            if (password != null && !password.isEmpty()) options.put("index.password", password);
            ArchiveNode node = new ArchiveNode(ConfigLoader.load(null, Map.of(), options));
            return new Server(node, "http://127.0.0.1:" + node.start());
        }

        @Override
        public void close() {
            node.close();
        }
    }
}

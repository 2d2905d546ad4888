package dev.stratus.app;

import dev.stratus.archive.Archive;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.index.Index;
import dev.stratus.index.IndexFactory;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.stratus.app.CommandLineContractTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `stratus reindex --from-storage` after the index is lost, and `stratus move-index` from SQLite to PostgreSQL. */
class IndexToolsTest {
    private final String study = Uids.generate(), series1 = Uids.generate(), series2 = Uids.generate();
    private final List<byte[]> stored = new ArrayList<>();

    private List<StoredInstance> archiveWithAStudy(Path data) throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(data))) {
            for (String series : List.of(series1, series1, series2)) {
                byte[] bytes = ArchiveClient.instance(study, series, Uids.generate(), 1);
                stored.add(bytes);
                archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(bytes), null, "test");
            }
            archive.ingest().ingest(new TenantId("other"), new ByteArrayInputStream(ArchiveClient.instance(Uids.generate(), Uids.generate(), Uids.generate(), 1)), null, "test");
            return archive.index().listInstances(TenantId.DEFAULT, study, null);
        }
    }

    @Test
    void reindexFromStorageRebuildsALostIndexWithTheNewerOfTwoCopies(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        List<StoredInstance> before = archiveWithAStudy(data);
        // what a crash between a replace's commit and its old blob's delete leaves: an older copy of an instance
        StoredInstance first = before.getFirst();
        DataSet older = DicomReader.read(Files.readAllBytes(data.resolve("blobs").resolve(first.blobKey()))).dataSet();
        older.setString(0x00100010, VR.PN, "Older^Copy");
        String olderKey = first.blobKey().replaceAll("_[0-9a-f]{8}\\.dcm$", "_00000000.dcm");
        Path olderFile = Files.write(data.resolve("blobs").resolve(olderKey), ArchiveClient.part10(older));
        Files.setLastModifiedTime(olderFile, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        deleteRecursively(data.resolve("index"));

        CommandLineContractTest.Run r = run("reindex", "--from-storage", "--data-dir", data.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("indexed 4 instances"), r.out());
        assertTrue(r.out().contains("1 older copies left out"), r.out());
        assertTrue(r.out().contains(olderKey + ": left out: an older copy"), r.out());
        try (Archive archive = Archive.open(Archive.Settings.in(data))) {
            assertEquals(before, archive.index().listInstances(TenantId.DEFAULT, study, null));
            assertEquals(1, archive.index().search(TenantId.DEFAULT, dev.stratus.index.query.QidoQueryParser.parse(
                    dev.stratus.index.query.Level.STUDY, null, null, java.util.Map.of("PatientName", List.of("Good*")))).matches().size(),
                    "the study is found by its attributes again");
        }
        CommandLineContractTest.Run reindexedTwice = run("reindex", "--from-storage", "--data-dir", data.toString());
        assertEquals(0, reindexedTwice.status(), reindexedTwice.out());
    }

    @Test
    void reindexNeedsToBeToldItsSource(@TempDir Path dir) {
        CommandLineContractTest.Run r = run("reindex", "--data-dir", dir.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--from-storage"), r.err());
    }

    @Test
    void moveIndexCopiesSqliteIntoPostgresAndTheServerServesFromIt(@TempDir Path dir) throws Exception {
        TestDatabases.Fresh pg = TestDatabases.freshPostgresSchema();
        try {
            Path data = dir.resolve("data");
            List<StoredInstance> before = archiveWithAStudy(data);
            CommandLineContractTest.Run r = run("move-index", "--to", pg.url(), "--to-user", pg.user(), "--data-dir", data.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("copied 4 instances"), r.out());
            assertTrue(r.out().contains("verified: the same instances"), r.out());
            try (Index target = IndexFactory.open(pg.url(), pg.user(), pg.password(), false, false)) {
                assertEquals(before, target.listInstances(TenantId.DEFAULT, study, null));
            }
            CommandLineContractTest.Run again = run("move-index", "--to", pg.url(), "--to-user", pg.user(), "--data-dir", data.toString());
            assertEquals(1, again.status());
            assertTrue(again.err().contains("is not empty"), again.err());

            try (ServerProcess server = ServerProcess.start(data, dir.resolve("server.log"),
                    List.of("--no-dimse", "--index-url", pg.url()), java.util.Map.of("STRATUS_INDEX_USER", pg.user()))) {
                ArchiveClient client = new ArchiveClient(server, data);
                HttpResponse<String> found = client.get("/dicomweb/studies/" + study + "/instances", "application/dicom+json");
                assertEquals(200, found.statusCode(), found.body());
                assertEquals(3, found.body().split("\"00080018\"").length - 1, found.body());
                StoredInstance one = before.getFirst();
                byte[] bytes = stored.stream().filter(b -> one.sopInstanceUid().equals(sop(b))).findFirst().orElseThrow();
                assertArrayEquals(bytes, client.retrieve(study, one.seriesUid(), one.sopInstanceUid()));
            }
        } finally {
            pg.drop().run();
        }
    }

    @Test
    void moveIndexCopiesSqliteIntoMongoDb(@TempDir Path dir) throws Exception {
        de.bwaldvogel.mongo.MongoServer mongo = new de.bwaldvogel.mongo.MongoServer(
                new de.bwaldvogel.mongo.backend.memory.MemoryBackend().version(de.bwaldvogel.mongo.ServerVersion.MONGO_5_0));
        try {
            mongo.bind("127.0.0.1", 0);
            String url = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/stratus_moved";
            Path data = dir.resolve("data");
            List<StoredInstance> before = archiveWithAStudy(data);
            CommandLineContractTest.Run r = run("move-index", "--to", url, "--data-dir", data.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("copied 4 instances") && r.out().contains("verified: the same instances"), r.out());
            try (Index target = IndexFactory.open(url, null, null, false, false)) {
                assertEquals(before, target.listInstances(TenantId.DEFAULT, study, null));
                assertEquals(List.of("default", "default", "default", "other"),
                        target.instancesAfter(null, 10).stream().map(i -> i.tenant().name()).toList(), "every tenant's instances came");
            }
        } finally {
            mongo.shutdownNow();
        }
    }

    private static String sop(byte[] part10) {
        try {
            return DicomReader.read(part10).dataSet().getString(Tag.SOPInstanceUID);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void deleteRecursively(Path p) throws Exception {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}

package dev.stratus.web;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.index.sql.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A database that goes away gives 503 with a reason, and service resumes by itself when it returns. */
class IndexOutageTest {
    @TempDir
    Path dir;

    @Test
    void databaseDownAnswers503AndServiceResumesWithoutRestart() throws Exception {
        TestDatabases.Fresh db = TestDatabases.freshPostgresSchema();
        try (TcpProxy proxy = new TcpProxy(5432)) {
            String viaProxy = db.url().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port());
            try (TestArchive archive = new TestArchive(dir, java.util.Map.of(), new TestBackend.Custom(viaProxy, db.user(), db.password()))) {
                byte[] file = GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "Out^Age", "PO", 1, 1),
                        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
                assertEquals(200, archive.stow("/dicomweb/studies", new Multipart().part(file).end()).statusCode());

                proxy.cut();
                HttpResponse<String> down = archive.get("/dicomweb/studies?PatientID=PO", null);
                assertEquals(503, down.statusCode(), down.body());
                assertTrue(down.body().contains("index"), down.body());
                assertEquals(503, archive.get("/health/ready", null).statusCode());
                HttpResponse<String> stowDown = archive.stow("/dicomweb/studies", new Multipart().part(file).end());
                assertEquals(503, stowDown.statusCode(), stowDown.body());

                proxy.restore();
                int status = 0;
                for (int attempt = 0; attempt < 40 && status != 200; attempt++) {
                    status = archive.get("/dicomweb/studies?PatientID=PO", null).statusCode();
                    if (status != 200) Thread.sleep(250);
                }
                assertEquals(200, status, "service resumed once the database came back");
                assertEquals(1, new dev.stratus.codec.json.DicomJsonReader().readArray(
                        archive.get("/dicomweb/studies?PatientID=PO", null).body()).size());
            }
        } finally {
            db.drop().run();
        }
    }
}

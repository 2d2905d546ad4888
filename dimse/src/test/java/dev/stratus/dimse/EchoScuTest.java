package dev.stratus.dimse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DCMTK echoscu against the server: Verification, one and several associations at once. */
class EchoScuTest {
    @TempDir
    static Path dir;
    static TestArchive archive;

    @BeforeAll
    static void start() throws Exception {
        Dcmtk.require("echoscu");
        archive = new TestArchive(dir);
    }

    @AfterAll
    static void stop() {
        if (archive != null) archive.close();
    }

    @Test
    void echoSucceeds() throws Exception {
        Dcmtk.Run r = Dcmtk.run(null, 60, "echoscu", "-v", "-aec", "STRATUS", "127.0.0.1", String.valueOf(archive.port));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("Received Echo Response (Success)"), r.output());
        assertTrue(r.output().contains("Releasing Association"), r.output());
        archive.awaitNoAssociations();
    }

    @Test
    void manyAssociationsAtOnce() throws Exception {
        int n = 16;
        Thread[] threads = new Thread[n];
        Dcmtk.Run[] runs = new Dcmtk.Run[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            threads[i] = Thread.ofVirtual().start(() -> {
                try {
                    runs[k] = Dcmtk.run(null, 60, "echoscu", "-v", "--repeat", "5", "127.0.0.1", String.valueOf(archive.port));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
        }
        for (Thread t : threads) t.join(120_000);
        for (Dcmtk.Run r : runs) {
            assertEquals(0, r.exitCode(), r.output());
            assertEquals(5, r.output().split("Received Echo Response \\(Success\\)", -1).length - 1, r.output());
        }
        archive.awaitNoAssociations();
    }
}

package dev.stratus.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /health/live says DOWN, with the reason, once the process cannot recover: a restart is what it needs. */
class LivenessTest {
    @TempDir
    Path dir;

    @Test
    void liveIsDownWithTheReasonOnceTheIndexIsClosed() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            assertEquals(200, archive.get("/health/live", null).statusCode());
            archive.index.close(); // its connection pool closed for good
            HttpResponse<String> live = archive.get("/health/live", null);
            assertEquals(503, live.statusCode(), live.body());
            assertTrue(live.body().contains("\"status\":\"DOWN\"") && live.body().contains("index is closed"), live.body());
        }
    }

    @Test
    void liveIsDownAfterAnOutOfMemoryErrorKillsABackgroundThread() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            assertEquals(200, archive.get("/health/live", null).statusCode());
            // As a DIMSE association or the metadata worker dies of one: a virtual thread, its error uncaught.
            Thread t = Thread.ofVirtual().name("dying-worker").start(() -> {
                throw new OutOfMemoryError("Java heap space (thrown by LivenessTest)");
            });
            t.join();
            HttpResponse<String> live = archive.get("/health/live", null);
            assertEquals(503, live.statusCode(), live.body());
            assertTrue(live.body().contains("\"status\":\"DOWN\"") && live.body().contains("OutOfMemoryError")
                    && live.body().contains("dying-worker"), live.body());
            assertEquals(200, archive.get("/health/ready", null).statusCode(), "ready is about the index and storage, not this");
        }
        try (TestArchive fresh = new TestArchive(dir.resolve("after"))) {
            assertEquals(200, fresh.get("/health/live", null).statusCode(), "an archive started afterwards is not affected");
        }
    }

    @Test
    void liveStaysUpAfterOrdinaryFailures() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            Thread t = Thread.ofVirtual().start(() -> {
                throw new IllegalStateException("an ordinary bug, not a broken VM");
            });
            t.join();
            assertEquals(404, archive.get("/dicomweb/studies/1.2.3/metadata", null).statusCode());
            assertEquals(200, archive.get("/health/live", null).statusCode());
        }
    }
}

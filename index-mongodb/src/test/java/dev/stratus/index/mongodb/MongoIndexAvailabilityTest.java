package dev.stratus.index.mongodb;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.stratus.index.Index;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.TenantId;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.QidoQueryParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What callers see while MongoDB is down (nothing listens on port 1), and that the index recovers by itself. */
class MongoIndexAvailabilityTest {
    private static final String DOWN = "mongodb://127.0.0.1:1/stratus";

    @Test
    void aServerThatIsDownMakesCallsUnavailableWithTheReason() {
        try (Index index = MongoIndex.open(DOWN, false)) {
            long start = System.nanoTime();
            IndexUnavailableException e = assertThrows(IndexUnavailableException.class, index::checkReady);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 10_000, "fails within the server selection timeout: " + millis + " ms");
            assertTrue(e.getMessage().startsWith("index database unavailable: "), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:1"), "names the server: " + e.getMessage());
            assertThrows(IndexUnavailableException.class, () -> index.search(TenantId.DEFAULT,
                    QidoQueryParser.parse(Level.STUDY, null, null, Map.of())));
            assertThrows(IndexUnavailableException.class, () -> index.findInstance(TenantId.DEFAULT, null, null, "1.2.3"));
        }
    }

    @Test
    void migratingAServerThatIsDownIsUnavailable() {
        assertThrows(IndexUnavailableException.class, () -> MongoIndex.open(DOWN, true));
    }

    @Test
    void theIndexRecoversWhenTheServerReturns() throws Exception {
        int port = freePort();
        MongoServer server = start(port);
        try (Index index = MongoIndex.open("mongodb://127.0.0.1:" + port + "/stratus", true)) {
            index.checkReady();
            server.shutdownNow();
            assertThrows(IndexUnavailableException.class, index::checkReady);
            server = start(port);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (true) {
                try {
                    index.checkReady();
                    break;
                } catch (IndexUnavailableException e) {
                    if (System.nanoTime() > deadline) throw e;
                    Thread.sleep(200);
                }
            }
            assertDoesNotThrow(() -> index.search(TenantId.DEFAULT, QidoQueryParser.parse(Level.STUDY, null, null, Map.of())));
        } finally {
            server.shutdownNow();
        }
    }

    private static MongoServer start(int port) {
        MongoServer server = new MongoServer(new MemoryBackend().version(ServerVersion.MONGO_5_0));
        server.bind("127.0.0.1", port);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

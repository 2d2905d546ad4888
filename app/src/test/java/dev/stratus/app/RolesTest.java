package dev.stratus.app;

import dev.stratus.app.config.ConfigException;
import dev.stratus.app.config.ConfigLoader;
import dev.stratus.app.config.StratusConfig;
import dev.stratus.app.config.StratusConfig.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `--roles` / STRATUS_ROLES: what one node of a cluster does. */
class RolesTest {
    @TempDir
    Path dir;

    @Test
    void everyRoleRunsUnlessRolesAreNamed() {
        StratusConfig all = ConfigLoader.load(null, Map.of(), Map.of());
        assertEquals(List.of("api", "worker", "dimse"), all.roles());
        assertTrue(all.archive().metadataWorker() != null, "the metadata worker runs");

        StratusConfig api = ConfigLoader.load(null, Map.of("STRATUS_ROLES", "api"), Map.of());
        assertTrue(api.runs(Role.API));
        assertFalse(api.runs(Role.DIMSE));
        assertNull(api.archive().metadataWorker(), "an API node builds no metadata documents");

        StratusConfig worker = ConfigLoader.load(null, Map.of(), Map.of("roles", "worker,worker"));
        assertEquals(List.of("worker"), worker.roles());
        assertTrue(worker.archive().metadataWorker() != null);
    }

    @Test
    void anUnknownOrEmptyRoleListStopsStartNamingTheKey() {
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("STRATUS_ROLES", "api,wroker"), Map.of()));
        assertTrue(unknown.getMessage().contains("roles") && unknown.getMessage().contains("wroker"), unknown.getMessage());
        ConfigException empty = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(), Map.of("roles", ",")));
        assertTrue(empty.getMessage().contains("roles"), empty.getMessage());
    }

    @Test
    void aWorkerNodeAnswersHealthAndMetricsButNoDicomWebAndListensForNoAssociation() throws Exception {
        int dimsePort;
        try (ServerSocket free = new ServerSocket(0)) {
            dimsePort = free.getLocalPort();
        }
        Path data = dir.resolve("data");
        try (ServerProcess worker = ServerProcess.start(data, dir.resolve("worker.log"),
                List.of("--roles", "worker", "--dimse-port", String.valueOf(dimsePort)))) {
            ArchiveClient client = new ArchiveClient(worker, data);
            assertEquals(200, client.get("/health/live", null).statusCode());
            HttpResponse<String> metrics = client.get("/metrics", null);
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "the scrape is served");
            assertEquals(404, client.get("/dicomweb/studies", "application/dicom+json").statusCode(), "no DICOMweb on a worker node");
            assertEquals(404, client.stow(ArchiveClient.multipart(new byte[0])).statusCode(), "no STOW on a worker node");
            assertFalse(accepts(dimsePort), "no DICOM listener without the dimse role");
            assertTrue(worker.log().contains("stratus: roles worker; health and metrics at"), "the start line names the roles" + worker.log());
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }
}

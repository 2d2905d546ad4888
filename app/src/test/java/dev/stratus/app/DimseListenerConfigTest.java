package dev.stratus.app;

import dev.stratus.app.config.ConfigLoader;
import dev.stratus.app.config.StratusConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The DICOM listen address and association limits of the configuration reach the running DICOM service. */
class DimseListenerConfigTest {
    private static int echo(int port) throws Exception {
        Process p = new ProcessBuilder("echoscu", "-to", "20", "-ta", "20", "-aec", "STRATUS", "127.0.0.1", String.valueOf(port))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    @Test
    void dimseHostIsTheOnlyAddressListenedOn(@TempDir Path dir) throws Exception {
        StratusConfig config = ConfigLoader.load(null, Map.of(), Map.of("http.port", "0", "dataDir", dir.resolve("data").toString(), "dimse.port", "0", "dimse.host", "127.0.0.1"));
        try (ArchiveNode node = new ArchiveNode(config)) {
            node.start();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", node.dimsePort()), 10_000);
            }
            try (Socket s = new Socket()) { // another loopback address of the same machine: not listened on
                assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress("127.0.0.2", node.dimsePort()), 10_000));
            }
        }
    }

    @Test
    void perPeerLimitFromTheFileRefusesTheSecondConnectionOfAPeer(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/echoscu")) || "true".equals(System.getenv("CI")), "DCMTK echoscu not installed");
        Path yaml = Files.writeString(dir.resolve("stratus.yaml"), """
                dimse:
                  host: 127.0.0.1
                  maxAssociationsPerPeer: 1
                """);
        StratusConfig config = ConfigLoader.load(yaml, Map.of(), Map.of("http.port", "0", "dataDir", dir.resolve("data").toString(), "dimse.port", "0"));
        try (ArchiveNode node = new ArchiveNode(config)) {
            node.start();
            try (Socket silent = new Socket("127.0.0.1", node.dimsePort())) {
                assertTrue(silent.isConnected());
                assertNotEquals(0, echo(node.dimsePort()), "the peer's one slot is taken by its silent connection");
            }
            int status = 1;
            for (int i = 0; i < 50 && status != 0; i++) { // the silent connection's slot is released once the server sees it closed
                status = echo(node.dimsePort());
                if (status != 0) Thread.sleep(100);
            }
            assertEquals(0, status, "served once its slot is free");
        }
    }
}

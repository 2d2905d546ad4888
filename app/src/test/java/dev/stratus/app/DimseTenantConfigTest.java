package dev.stratus.app;

import dev.stratus.app.config.ConfigLoader;
import dev.stratus.app.config.StratusConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AE title → tenant map and calling AE allow lists of the configuration file reach the running DICOM
 * service: DCMTK's echoscu is accepted when it calls a mapped AE title from an allowed AE, refused otherwise.
 */
class DimseTenantConfigTest {
    private static boolean echoscuInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/echoscu"));
    }

    private static int echo(int port, String calling, String called) throws Exception {
        Process p = new ProcessBuilder("echoscu", "-aet", calling, "-aec", called, "127.0.0.1", String.valueOf(port))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    @Test
    void calledAeTitlesChooseTheTenantAndAllowListsRefuseOtherCallers(@TempDir Path dir) throws Exception {
        assumeTrue(echoscuInstalled() || "true".equals(System.getenv("CI")), "DCMTK echoscu not installed");
        Path yaml = Files.writeString(dir.resolve("stratus.yaml"), """
                dimse:
                  tenants:
                    hospital-a:
                      calledAeTitles: [HOSP_A]
                      allowedCallingAeTitles: [CT01]
                """);
        StratusConfig config = ConfigLoader.load(yaml, Map.of(),
                Map.of("http.port", "0", "dataDir", dir.resolve("data").toString(), "dimse.port", "0"));
        assertEquals(Map.of("HOSP_A", "hospital-a"), config.dimse().tenantByCalledAeTitle());
        try (ArchiveNode node = new ArchiveNode(config)) {
            node.start();
            int port = node.dimsePort();
            assertEquals(0, echo(port, "CT01", "HOSP_A"), "an allowed caller of the mapped AE title");
            assertNotEquals(0, echo(port, "INTRUDER", "HOSP_A"), "a caller not on hospital-a's allow list is rejected");
            assertEquals(0, echo(port, "INTRUDER", "STRATUS"), "the default tenant allows every caller");
        }
    }
}

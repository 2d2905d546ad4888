package dev.stratus.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final ConfigLoader.Overrides NONE = new ConfigLoader.Overrides(null, null, null, null);

    @Test
    void defaultsThenYamlThenEnvironmentThenCommandLine(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("s.yaml"), """
                http:
                  port: 9000
                dataDir: /srv/a
                tenants:
                  legacy:
                    numbersAsStrings: true
                """);
        StratusConfig fromYaml = ConfigLoader.load(yaml, Map.of(), NONE);
        assertEquals(9000, fromYaml.httpPort());
        assertEquals(Path.of("/srv/a"), fromYaml.dataDir());
        assertTrue(fromYaml.tenant("legacy").numbersAsStrings());
        assertEquals(StratusConfig.TenantSettings.DEFAULT, fromYaml.tenant("other"));
        StratusConfig fromEnv = ConfigLoader.load(yaml, Map.of("STRATUS_HTTP_PORT", "9100"), NONE);
        assertEquals(9100, fromEnv.httpPort());
        StratusConfig fromCli = ConfigLoader.load(yaml, Map.of("STRATUS_HTTP_PORT", "9100"), new ConfigLoader.Overrides(9200, dir, null, null));
        assertEquals(9200, fromCli.httpPort());
        assertEquals(dir, fromCli.dataDir());
        assertEquals(dir.resolve("blobs"), fromCli.storagePath());
        StratusConfig none = ConfigLoader.load(dir.resolve("absent.yaml"), Map.of(), NONE);
        assertEquals(8080, none.httpPort());
    }

    @Test
    void malformedOrUnknownSettingsAreNamed(@TempDir Path dir) throws Exception {
        ConfigException port = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("STRATUS_HTTP_PORT", "eighty"), NONE));
        assertTrue(port.getMessage().contains("STRATUS_HTTP_PORT"), port.getMessage());
        Path yaml = Files.writeString(dir.resolve("s.yaml"), "htpp:\n  port: 1\n");
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml, Map.of(), NONE));
        assertTrue(unknown.getMessage().contains("htpp"), unknown.getMessage());
    }

    @Test
    void directWritesAreOnUnlessTurnedOffAndAMalformedValueIsNamed(@TempDir Path dir) throws Exception {
        assertTrue(ConfigLoader.load(null, Map.of(), NONE).storageDirectWrites());
        Path yaml = Files.writeString(dir.resolve("s.yaml"), "storage:\n  directWrites: false\n");
        assertEquals(false, ConfigLoader.load(yaml, Map.of(), NONE).storageDirectWrites());
        assertTrue(ConfigLoader.load(yaml, Map.of("STRATUS_STORAGE_DIRECT_WRITES", "true"), NONE).storageDirectWrites());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("STRATUS_STORAGE_DIRECT_WRITES", "sometimes"), NONE));
        assertTrue(e.getMessage().contains("storage.directWrites"), e.getMessage());
    }

    @Test
    void dimseTenantMapsAreReadAndCheckedWithTheirPlaceNamed(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), """
                dimse:
                  tenants:
                    hospital-a:
                      calledAeTitles: [HOSP_A, HOSP_A2]
                      allowedCallingAeTitles: [CT01, MR02]
                    hospital-b:
                      calledAeTitles: [HOSP_B]
                """);
        StratusConfig config = ConfigLoader.load(good, Map.of(), NONE);
        assertEquals(Map.of("HOSP_A", "hospital-a", "HOSP_A2", "hospital-a", "HOSP_B", "hospital-b"),
                config.dimseTenants().tenantByCalledAeTitle());
        assertEquals(Map.of("hospital-a", java.util.List.of("CT01", "MR02")), config.dimseTenants().allowedCallingAeTitles());
        assertEquals(StratusConfig.DimseTenants.NONE, ConfigLoader.load(null, Map.of(), NONE).dimseTenants());

        String[][] bad = {
                {"dimse:\n  tenants:\n    a:\n      calledAeTitles: [THIS_AE_TITLE_IS_TOO_LONG]\n", "dimse.tenants.a.calledAeTitles"},
                {"dimse:\n  tenants:\n    a:\n      calledAeTitles: [X]\n    b:\n      calledAeTitles: [X]\n", "two tenants"},
                {"dimse:\n  tenants:\n    ../etc:\n      calledAeTitles: [X]\n", "dimse.tenants.../etc"},
                {"dimse:\n  tenants:\n    a:\n      calledAE: [X]\n", "dimse.tenants.a.calledAE"},
                {"dimse:\n  tenants:\n    a:\n      allowedCallingAeTitles: CT01\n", "must be a list"},
        };
        for (String[] b : bad) {
            Path yaml = Files.writeString(dir.resolve("bad.yaml"), b[0]);
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml, Map.of(), NONE));
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
        }
    }

    @Test
    void dimseHostLimitsAndDeadlinesHaveDefaultsAndTheUsualPrecedence(@TempDir Path dir) throws Exception {
        StratusConfig defaults = ConfigLoader.load(null, Map.of(), NONE);
        assertEquals("0.0.0.0", defaults.dimseHost());
        assertEquals(new StratusConfig.DimseLimits(500, 50, 64, java.time.Duration.ofSeconds(10), java.time.Duration.ofMinutes(5)), defaults.dimseLimits());
        Path yaml = Files.writeString(dir.resolve("s.yaml"), """
                dimse:
                  host: 127.0.0.1
                  maxAssociations: 200
                  maxAssociationsPerPeer: 5
                  maxPendingAssociations: 16
                  artimSeconds: 3
                  idleSeconds: 60
                """);
        StratusConfig fromYaml = ConfigLoader.load(yaml, Map.of(), NONE);
        assertEquals("127.0.0.1", fromYaml.dimseHost());
        assertEquals(new StratusConfig.DimseLimits(200, 5, 16, java.time.Duration.ofSeconds(3), java.time.Duration.ofMinutes(1)), fromYaml.dimseLimits());
        Map<String, String> env = Map.of("STRATUS_DIMSE_HOST", "::1", "STRATUS_DIMSE_MAX_ASSOCIATIONS_PER_PEER", "7", "STRATUS_DIMSE_IDLE_SECONDS", "0.5");
        StratusConfig fromEnv = ConfigLoader.load(yaml, env, NONE);
        assertEquals("::1", fromEnv.dimseHost());
        assertEquals(7, fromEnv.dimseLimits().maxAssociationsPerPeer());
        assertEquals(java.time.Duration.ofMillis(500), fromEnv.dimseLimits().idle());
        StratusConfig fromCli = ConfigLoader.load(yaml, env, new ConfigLoader.Overrides(null, null, null, null, null, "127.0.0.2", null, null));
        assertEquals("127.0.0.2", fromCli.dimseHost());
    }

    @Test
    void malformedOrUnknownDimseSettingsAreNamed(@TempDir Path dir) throws Exception {
        String[][] bad = {
                {"dimse:\n  maxAssociationsPerPeer: 0\n", "dimse.maxAssociationsPerPeer"},
                {"dimse:\n  maxPendingAssociations: many\n", "dimse.maxPendingAssociations"},
                {"dimse:\n  artimSeconds: 0\n", "dimse.artimSeconds"},
                {"dimse:\n  idleSeconds: -1\n", "dimse.idleSeconds"},
                {"dimse:\n  host: ' '\n", "dimse.host"},
                {"dimse:\n  hots: 127.0.0.1\n", "dimse.hots"},
        };
        for (String[] b : bad) {
            Path yaml = Files.writeString(dir.resolve("bad.yaml"), b[0]);
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml, Map.of(), NONE), b[0]);
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
        }
    }

    @Test
    void hostShutdownTimeoutAndStowPartLimitComeFromYamlEnvironmentOrCommandLine(@TempDir Path dir) throws Exception {
        StratusConfig defaults = ConfigLoader.load(null, Map.of(), NONE);
        assertEquals("0.0.0.0", defaults.httpHost());
        assertEquals(java.time.Duration.ofSeconds(30), defaults.shutdownTimeout());
        assertEquals(10_000, defaults.stowMaxParts());
        Path yaml = Files.writeString(dir.resolve("s.yaml"), """
                http:
                  host: 127.0.0.1
                shutdownTimeoutSeconds: 5
                stow:
                  maxParts: 500
                """);
        StratusConfig fromYaml = ConfigLoader.load(yaml, Map.of(), NONE);
        assertEquals("127.0.0.1", fromYaml.httpHost());
        assertEquals(java.time.Duration.ofSeconds(5), fromYaml.shutdownTimeout());
        assertEquals(500, fromYaml.stowMaxParts());
        StratusConfig fromEnv = ConfigLoader.load(yaml, Map.of("STRATUS_HOST", "::1", "STRATUS_SHUTDOWN_TIMEOUT_SECONDS", "7.5",
                "STRATUS_STOW_MAX_PARTS", "20"), NONE);
        assertEquals("::1", fromEnv.httpHost());
        assertEquals(java.time.Duration.ofMillis(7_500), fromEnv.shutdownTimeout());
        assertEquals(20, fromEnv.stowMaxParts());
        StratusConfig fromCli = ConfigLoader.load(yaml, Map.of("STRATUS_HOST", "::1"),
                new ConfigLoader.Overrides(null, null, null, null, null, null, "192.0.2.1", "0"));
        assertEquals("192.0.2.1", fromCli.httpHost());
        assertEquals(java.time.Duration.ZERO, fromCli.shutdownTimeout());

        String[][] bad = {{"STRATUS_STOW_MAX_PARTS", "0", "stow.maxParts"}, {"STRATUS_STOW_MAX_PARTS", "many", "STRATUS_STOW_MAX_PARTS"},
                {"STRATUS_SHUTDOWN_TIMEOUT_SECONDS", "-1", "--shutdown-timeout"}, {"STRATUS_HOST", " ", "STRATUS_HOST"}};
        for (String[] b : bad) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(b[0], b[1]), NONE));
            assertTrue(e.getMessage().contains(b[2]), e.getMessage());
        }
    }
}

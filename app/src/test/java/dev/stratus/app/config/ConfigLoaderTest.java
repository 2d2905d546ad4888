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
}

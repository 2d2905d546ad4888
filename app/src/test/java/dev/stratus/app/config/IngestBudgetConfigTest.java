package dev.stratus.app.config;

import dev.stratus.codec.ParseBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestBudgetConfigTest {
    private static final ConfigLoader.Overrides NONE = new ConfigLoader.Overrides(null, null, null, null);

    @Test
    void theParseBudgetIsTheDefaultUnlessTheYamlOrTheEnvironmentSetsIt(@TempDir Path dir) throws Exception {
        assertEquals(ParseBudget.DEFAULT, ConfigLoader.load(null, Map.of(), NONE).ingestBudget());
        Path yaml = Files.writeString(dir.resolve("s.yaml"), """
                ingest:
                  maxElements: 3000000
                  maxDepth: 20
                  maxValueBytes: 1048576
                  maxInflatedBytes: 2147483648
                  maxInflateRatio: 500
                """);
        assertEquals(new ParseBudget(3_000_000, 20, 1 << 20, 2L << 30, 500), ConfigLoader.load(yaml, Map.of(), NONE).ingestBudget());
        assertEquals(4_000_000, ConfigLoader.load(yaml, Map.of("STRATUS_INGEST_MAX_ELEMENTS", "4_000_000"), NONE).ingestBudget().maxElements());
    }

    @Test
    void aMalformedUnknownOrOutOfRangeLimitIsNamed(@TempDir Path dir) throws Exception {
        String[][] bad = {
                {"ingest:\n  maxElements: many\n", "ingest.maxElements / STRATUS_INGEST_MAX_ELEMENTS must be a whole number"},
                {"ingest:\n  maxDepth: 0\n", "ingest.maxDepth / STRATUS_INGEST_MAX_DEPTH must be 1 to 256"},
                {"ingest:\n  maxElements: 60000000\n", "must be 1 to 50000000"},
                {"ingest:\n  maxItems: 5\n", "ingest.maxItems is not a setting"},
        };
        for (String[] b : bad) {
            Path yaml = Files.writeString(dir.resolve("bad.yaml"), b[0]);
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml, Map.of(), NONE));
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
        }
        ConfigException env = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("STRATUS_INGEST_MAX_INFLATE_RATIO", "-3"), NONE));
        assertTrue(env.getMessage().contains("STRATUS_INGEST_MAX_INFLATE_RATIO"), env.getMessage());
    }
}

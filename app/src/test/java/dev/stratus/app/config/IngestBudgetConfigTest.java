package dev.stratus.app.config;

import dev.stratus.archive.ingest.IngestAdmission;
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
    private static final Map<String, String> NONE = Map.of();

    @Test
    void theParseBudgetIsTheDefaultUnlessTheYamlOrTheEnvironmentSetsIt(@TempDir Path dir) throws Exception {
        StratusConfig defaults = ConfigLoader.load(null, NONE, NONE);
        assertEquals(ParseBudget.DEFAULT, defaults.ingest().budget());
        assertEquals(IngestAdmission.DEFAULT_MAX_CONCURRENT, defaults.ingest().maxConcurrent());
        assertEquals(IngestAdmission.DEFAULT_QUEUE, defaults.ingest().queueSeconds());
        Path yaml = Files.writeString(dir.resolve("s.yaml"), """
                ingest:
                  maxElements: 3000000
                  maxDepth: 20
                  maxValueBytes: 1048576
                  maxInflatedBytes: 2147483648
                  maxInflateRatio: 500
                """);
        assertEquals(new ParseBudget(3_000_000, 20, 1 << 20, 2L << 30, 500), ConfigLoader.load(yaml, NONE, NONE).ingest().budget());
        assertEquals(4_000_000, ConfigLoader.load(yaml, Map.of("STRATUS_INGEST_MAX_ELEMENTS", "4_000_000"), NONE).ingest().maxElements());
    }

    @Test
    void eachLimitMayBeRaisedToParseBudgetMaximumAndNoFurther() {
        ParseBudget max = ParseBudget.MAXIMUM;
        Map<String, Long> ceilings = Map.of("STRATUS_INGEST_MAX_ELEMENTS", max.maxElements(), "STRATUS_INGEST_MAX_DEPTH", (long) max.maxDepth(),
                "STRATUS_INGEST_MAX_VALUE_BYTES", max.maxValueBytes(), "STRATUS_INGEST_MAX_INFLATED_BYTES", max.maxInflatedBytes(),
                "STRATUS_INGEST_MAX_INFLATE_RATIO", (long) max.maxInflateRatio());
        Map<String, String> atCeiling = new java.util.HashMap<>();
        ceilings.forEach((env, ceiling) -> atCeiling.put(env, String.valueOf(ceiling)));
        assertEquals(max, ConfigLoader.load(null, atCeiling, NONE).ingest().budget());
        ceilings.forEach((env, ceiling) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(env, String.valueOf(ceiling + 1)), NONE));
            assertTrue(e.getMessage().contains("must be 1 to " + ceiling + ", was " + (ceiling + 1) + " (from " + env + ")"), e.getMessage());
        });
    }

    @Test
    void aMalformedUnknownOrOutOfRangeLimitIsNamed(@TempDir Path dir) throws Exception {
        String[][] bad = {
                {"ingest:\n  maxElements: many\n", "ingest.maxElements must be a whole number, was 'many'"},
                {"ingest:\n  maxDepth: 0\n", "ingest.maxDepth must be 1 to 256, was 0"},
                {"ingest:\n  maxItems: 5\n", "unknown setting ingest.maxItems"},
        };
        for (String[] b : bad) {
            Path yaml = Files.writeString(dir.resolve("bad.yaml"), b[0]);
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml, NONE, NONE));
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
        }
        ConfigException env = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("STRATUS_INGEST_MAX_INFLATE_RATIO", "-3"), NONE));
        assertTrue(env.getMessage().contains("STRATUS_INGEST_MAX_INFLATE_RATIO"), env.getMessage());
    }
}

package dev.stratus.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/configuration.md says what the loader does: its example file loads as described, its DIMSE keys are the loader's. */
class ConfigurationDocTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void theExampleFileLoadsWithItsAeTitleMap(@TempDir Path dir) throws Exception {
        Matcher m = Pattern.compile("Example `stratus.yaml`:\\s*```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        assertTrue(m.find(), "the example file is in " + DOC);
        Path yaml = Files.writeString(dir.resolve("stratus.yaml"), m.group(1));
        StratusConfig config = ConfigLoader.load(yaml, Map.of(), new ConfigLoader.Overrides(null, null, null, null));
        assertEquals(Map.of("HOSP_A", "hospital-a"), config.dimseTenants().tenantByCalledAeTitle());
        assertEquals(Map.of("hospital-a", List.of("CT01", "MR02")), config.dimseTenants().allowedCallingAeTitles());
    }

    @Test
    void theTableListsEveryDimseKeyAndNoOther() throws Exception {
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| `dimse\\.([A-Za-z]+)", Pattern.MULTILINE).matcher(Files.readString(DOC));
        while (m.find()) documented.add(m.group(1));
        assertEquals(new TreeSet<>(ConfigLoader.DIMSE_KEYS), documented);
    }
}

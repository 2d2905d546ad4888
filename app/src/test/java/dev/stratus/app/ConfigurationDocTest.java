package dev.stratus.app;

import dev.stratus.app.config.ConfigLoader;
import dev.stratus.app.config.Setting;
import dev.stratus.app.config.StratusConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md says what the configuration is: its table has one row for each key of the record tree and no
 * other, with the key's environment variable, options and default; its example file loads as described.
 */
class ConfigurationDocTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    /** One row of the table: | YAML | environment | option | default | meaning |. */
    record Row(String key, Set<String> environment, Set<String> options, String defaultCell) {}

    static Map<String, Row> table() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOC)) {
            if (!line.startsWith("| `")) continue;
            String[] cells = line.split("\\|");
            Matcher key = Pattern.compile("`([^`]+)`").matcher(cells[1]);
            assertTrue(key.find(), line);
            Row row = new Row(key.group(1), all("STRATUS_[A-Z0-9_]+", cells[2]), all("--[a-z0-9-]+", cells[3]), cells[4].strip());
            assertEquals(null, rows.put(row.key(), row), row.key() + " has two rows");
        }
        return rows;
    }

    private static Set<String> all(String regex, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) found.add(m.group());
        return found;
    }

    @Test
    void theTableHasARowForEveryKeyAndNoOther() throws Exception {
        Set<String> keys = new TreeSet<>();
        for (Setting s : ConfigLoader.SETTINGS) keys.add(s.key());
        Set<String> rows = table().keySet();
        assertEquals(Set.of(), keys.stream().filter(k -> !rows.contains(k)).collect(Collectors.toSet()), "keys without a row in " + DOC);
        assertEquals(Set.of(), rows.stream().filter(k -> !keys.contains(k)).collect(Collectors.toSet()), "rows of " + DOC + " that are no key");
    }

    @Test
    void eachRowNamesTheKeysEnvironmentVariableItsAliasesAndItsDefault() throws Exception {
        Map<String, Row> table = table();
        for (Setting s : ConfigLoader.SETTINGS) {
            Row row = table.get(s.key());
            if (row == null) continue; // the test above names it
            Set<String> expected = new TreeSet<>(Set.of(s.environment()));
            ConfigLoader.ENVIRONMENT_ALIASES.forEach((alias, key) -> {
                if (key.equals(s.key())) expected.add(alias);
            });
            assertEquals(expected, row.environment(), s.key());
            s.defaultValue().ifPresent(d -> assertTrue(row.defaultCell().startsWith("`" + d + "`"),
                    s.key() + ": the default is " + d + ", the table says " + row.defaultCell()));
        }
    }

    @Test
    void eachOptionOfServeIsInTheRowOfTheKeyItSets() throws Exception {
        List<String> documented = new ArrayList<>();
        for (Row row : table().values()) {
            for (String option : row.options()) {
                documented.add(option);
                CommandLine root = new CommandLine(new Main());
                CommandLine cl = root.getSubcommands().get("serve");
                boolean takesValue = cl.getCommandSpec().findOption(option).arity().max() > 0;
                root.parseArgs(takesValue ? new String[] {"serve", option, "1"} : new String[] {"serve", option});
                ServeCommand serve = cl.getCommand();
                assertEquals(Set.of(row.key()), serve.settings().keySet(), option + " is documented in the row of " + row.key());
            }
        }
        CommandLine serve = new CommandLine(new Main()).getSubcommands().get("serve");
        for (CommandLine.Model.OptionSpec option : serve.getCommandSpec().options()) {
            if (option.longestName().equals("--config")) continue; // where the settings are, not one of them
            if (option.usageHelp() || option.versionHelp()) continue;
            assertTrue(documented.contains(option.longestName()), option.longestName() + " is in no row of docs/configuration.md");
        }
    }

    @Test
    void theExampleFileLoadsWithItsAeTitleMap(@TempDir Path dir) throws Exception {
        Matcher m = Pattern.compile("Example `stratus.yaml`:\\s*```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        assertTrue(m.find(), "the example file is in " + DOC);
        Path yaml = Files.writeString(dir.resolve("stratus.yaml"), m.group(1));
        StratusConfig config = ConfigLoader.load(yaml, Map.of(), Map.of());
        assertEquals(Map.of("HOSP_A", "hospital-a"), config.dimse().tenantByCalledAeTitle());
        assertEquals(Map.of("hospital-a", List.of("CT01", "MR02")), config.dimse().allowedCallingAeTitles());
    }
}

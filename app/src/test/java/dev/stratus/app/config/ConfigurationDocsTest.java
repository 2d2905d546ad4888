package dev.stratus.app.config;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/configuration.md's table names every setting the code reads, and nothing else. */
class ConfigurationDocsTest {
    private static final Pattern ENV = Pattern.compile("STRATUS_[A-Z0-9_]+");

    @Test
    void theTableOfSettingsAndTheLoaderNameTheSameEnvironmentVariables() throws Exception {
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("../docs/configuration.md"))) {
            if (!line.startsWith("| `")) continue;
            String[] cells = line.split("\\|");
            Matcher m = ENV.matcher(cells[2]); // | yaml | environment | ...
            while (m.find()) documented.add(m.group());
        }
        Set<String> read = new TreeSet<>();
        Matcher m = ENV.matcher(Files.readString(Path.of("src/main/java/dev/stratus/app/config/ConfigLoader.java")));
        while (m.find()) read.add(m.group());
        assertEquals(read, documented);
    }

    @Test
    void everyServeOptionIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("../docs/configuration.md"));
        CommandLine serve = new CommandLine(new dev.stratus.app.Main()).getSubcommands().get("serve");
        for (CommandLine.Model.OptionSpec option : serve.getCommandSpec().options()) {
            for (String name : option.names()) assertTrue(docs.contains("`" + name), name + " is not in docs/configuration.md");
        }
    }
}

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
    void everyEnvironmentVariableTheLoaderReadsIsInTheTableAndNoOther() throws Exception {
        String code = Files.readString(Path.of("src/main/java/dev/stratus/app/config/ConfigLoader.java"));
        Set<String> read = new TreeSet<>();
        Matcher m = Pattern.compile("env\\.get\\(\"(STRATUS_[A-Z0-9_]+)\"\\)").matcher(code);
        while (m.find()) read.add(m.group(1));
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("../docs/configuration.md"))) {
            if (!line.startsWith("|")) continue;
            String[] cells = line.split("\\|");
            if (cells.length > 2) ENV.matcher(cells[2]).results().forEach(r -> documented.add(r.group()));
        }
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

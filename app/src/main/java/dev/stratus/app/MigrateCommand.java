package dev.stratus.app;

import dev.stratus.app.config.ConfigException;
import dev.stratus.app.config.StratusConfig;
import dev.stratus.archive.Archive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** stratus migrate: creates or upgrades the index schema, then exits. */
@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Create or upgrade the index schema (the embedded SQLite index, or --index-url) and exit.")
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    DataDirOptions options;

    @Option(names = "--index-url", description = "Index database URL (default: embedded SQLite; env STRATUS_INDEX_URL)")
    String indexUrl;

    @Override
    public Integer call() {
        try {
            StratusConfig config = options.load(indexUrl);
            Archive.migrateIndex(config.archive());
            System.err.println("stratus migrate: the index schema is up to date");
            return 0;
        } catch (ConfigException e) {
            System.err.println("stratus migrate: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("stratus migrate: " + e.getMessage());
            return 1;
        }
    }
}

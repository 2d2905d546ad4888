package dev.stratus.app;

import dev.stratus.app.config.ConfigException;
import dev.stratus.app.config.StratusConfig;
import dev.stratus.index.sql.EmbeddedCompaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.concurrent.Callable;

/** stratus compact: shrinks the embedded index file to its live data while the server is stopped. */
@Command(name = "compact", mixinStandardHelpOptions = true, description = "Compact the embedded SQLite index of the data directory (the server must be stopped) and exit.")
final class CompactCommand implements Callable<Integer> {
    @Mixin
    DataDirOptions options;

    @Override
    public Integer call() {
        try {
            StratusConfig config = options.load(null);
            if (config.index().url() != null) {
                System.err.println("stratus compact: the index is " + config.index().url()
                        + ", not the embedded one; use that database's own tools (VACUUM, OPTIMIZE TABLE, compact)");
                return 2;
            }
            EmbeddedCompaction.Sizes s = EmbeddedCompaction.compact(config.dataDir());
            System.err.printf("stratus compact: index file %,d -> %,d bytes%n", s.before(), s.after());
            return 0;
        } catch (ConfigException e) {
            System.err.println("stratus compact: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("stratus compact: " + e.getMessage());
            return 1;
        }
    }
}

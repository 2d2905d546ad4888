package dev.stratus.app;

import dev.stratus.app.config.ConfigException;
import dev.stratus.app.config.StratusConfig;
import dev.stratus.archive.ingest.LegacyH2Upgrade;
import dev.stratus.index.Index;
import dev.stratus.index.IndexFactory;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.LocalBlobStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.util.concurrent.Callable;

/** stratus migrate: creates or upgrades the index schema, then exits. */
@Command(name = "migrate", description = "Create or upgrade the index schema (the embedded SQLite index, or --index-url) and exit.")
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    DataDirOptions options;

    @Option(names = "--index-url", description = "Index database URL (default: embedded SQLite; env STRATUS_INDEX_URL)")
    String indexUrl;

    @Override
    public Integer call() {
        try {
            StratusConfig config = options.load(indexUrl);
            if (config.indexUrl() == null) {
                Files.createDirectories(config.dataDir());
                // An H2 index of an earlier version is moved to SQLite first: a new empty file must not hide it.
                try (BlobStore store = new LocalBlobStore(config.storagePath())) {
                    LegacyH2Upgrade.runIfNeeded(config.dataDir(), store);
                }
            }
            String url = config.indexUrl() != null ? config.indexUrl() : SqlIndex.embeddedUrl(config.dataDir());
            try (Index index = IndexFactory.open(url, config.indexUser(), config.indexPassword(), true)) {
                index.checkReady();
            }
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

package dev.stratus.app;

import dev.stratus.app.config.ConfigException;
import dev.stratus.app.config.ConfigLoader;
import dev.stratus.app.config.StratusConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** --data-dir and --config of the maintenance commands (migrate, compact) and the tools (import, check, export), and the configuration they give. */
public final class DataDirOptions {
    @Option(names = "--data-dir", description = "Data directory of the embedded index (default ./stratus-data; env STRATUS_DATA_DIR)")
    Path dataDir;

    @Option(names = "--config", description = "YAML configuration file (default ./stratus.yaml if present; env STRATUS_CONFIG)")
    Path configFile;

    /** The configuration (file, STRATUS_* environment, these options, and {@code indexUrl} when not null). */
    public StratusConfig load(String indexUrl) throws ConfigException {
        Map<String, String> options = new HashMap<>();
        if (dataDir != null) options.put("dataDir", dataDir.toString());
        if (indexUrl != null) options.put("index.url", indexUrl);
        return ConfigLoader.load(ConfigLoader.configFile(configFile, System.getenv()), System.getenv(), options);
    }

    /**
     * Says why a tool stopped, once, as {@code stratus COMMAND: reason} on stderr, and gives its exit status: 2 for a
     * setting that is wrong (nothing was done), 1 for a failure while working.
     */
    public static int failed(String command, Exception e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        System.err.println("stratus " + command + ": " + reason);
        return e instanceof ConfigException ? 2 : 1;
    }
}

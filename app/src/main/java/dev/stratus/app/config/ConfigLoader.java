package dev.stratus.app.config;

import dev.stratus.archive.ingest.IngestAdmission;
import dev.stratus.codec.ParseBudget;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.index.TenantId;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link StratusConfig}: defaults, then the YAML file, then STRATUS_* environment variables,
 * then explicit command-line values. Anything malformed fails start-up with a message naming the setting.
 */
public final class ConfigLoader {
    private static final Set<String> TOP_LEVEL = Set.of("http", "dataDir", "index", "storage", "metadata", "cors", "tenants", "dimse",
            "ingest", "stow", "shutdownTimeoutSeconds");

    private ConfigLoader() {}

    /** Command-line values; null means "not given". */
    public record Overrides(Integer port, Path dataDir, String indexUrl, Boolean migrate, Integer dimsePort, String dimseHost,
                            String host, String shutdownTimeoutSeconds) {
        public Overrides(Integer port, Path dataDir, String indexUrl, Boolean migrate) {
            this(port, dataDir, indexUrl, migrate, null, null, null, null);
        }

        public Overrides(Integer port, Path dataDir, String indexUrl, Boolean migrate, Integer dimsePort) {
            this(port, dataDir, indexUrl, migrate, dimsePort, null, null, null);
        }
    }

    /** The keys of the dimse section; docs/configuration.md lists each (ConfigurationDocTest). */
    static final Set<String> DIMSE_KEYS = Set.of("port", "host", "aeTitle", "tenants", "maxAssociations",
            "maxAssociationsPerPeer", "maxPendingAssociations", "artimSeconds", "idleSeconds");

    public static StratusConfig load(Path yamlFile, Map<String, String> env, Overrides cli) {
        JsonNode yaml = readYaml(yamlFile);
        for (var name : yaml.propertyNames()) {
            if (!TOP_LEVEL.contains(name)) throw new ConfigException("unknown setting '" + name + "' in " + yamlFile + " (known: " + TOP_LEVEL + ")");
        }
        int port = intValue(first(cli.port(), env.get("STRATUS_HTTP_PORT"), text(yaml, "http", "port"), "8080"), "http.port / STRATUS_HTTP_PORT / --port");
        if (port < 0 || port > 65535) throw new ConfigException("http.port must be 0 to 65535, not " + port);
        String host = str(first(cli.host(), env.get("STRATUS_HOST"), text(yaml, "http", "host"), "0.0.0.0")).strip();
        if (host.isEmpty()) throw new ConfigException("http.host / STRATUS_HOST / --host must name an address to listen on (0.0.0.0: every one)");
        Duration shutdownTimeout = seconds(first(cli.shutdownTimeoutSeconds(), env.get("STRATUS_SHUTDOWN_TIMEOUT_SECONDS"),
                text(yaml, "shutdownTimeoutSeconds"), "30"), "shutdownTimeoutSeconds / STRATUS_SHUTDOWN_TIMEOUT_SECONDS / --shutdown-timeout");
        int stowMaxParts = intValue(first(null, env.get("STRATUS_STOW_MAX_PARTS"), text(yaml, "stow", "maxParts"), "10000"), "stow.maxParts / STRATUS_STOW_MAX_PARTS");
        if (stowMaxParts < 1) throw new ConfigException("stow.maxParts must be at least 1, not " + stowMaxParts);
        Path dataDir = Path.of(first(cli.dataDir(), env.get("STRATUS_DATA_DIR"), text(yaml, "dataDir"), "./stratus-data").toString());
        String indexUrl = str(first(cli.indexUrl(), env.get("STRATUS_INDEX_URL"), text(yaml, "index", "url"), null));
        String user = str(first(null, env.get("STRATUS_INDEX_USER"), text(yaml, "index", "user"), null));
        String password = str(first(null, env.get("STRATUS_INDEX_PASSWORD"), text(yaml, "index", "password"), null));
        boolean migrate = bool(first(cli.migrate(), env.get("STRATUS_INDEX_MIGRATE"), text(yaml, "index", "migrate"), "true"), "index.migrate");
        Path storage = Path.of(first(null, env.get("STRATUS_STORAGE_PATH"), text(yaml, "storage", "path"), dataDir.resolve("blobs")).toString());
        long reserveBytes = longValue(first(null, env.get("STRATUS_STORAGE_RESERVE_BYTES"), text(yaml, "storage", "reserveBytes"), 64L << 20),
                "storage.reserveBytes / STRATUS_STORAGE_RESERVE_BYTES");
        if (reserveBytes < 0) throw new ConfigException("storage.reserveBytes must be 0 or more, not " + reserveBytes);
        int ingestMaxConcurrent = atLeastOne(first(null, env.get("STRATUS_INGEST_MAX_CONCURRENT"), text(yaml, "ingest", "maxConcurrent"),
                IngestAdmission.DEFAULT_MAX_CONCURRENT), "ingest.maxConcurrent / STRATUS_INGEST_MAX_CONCURRENT");
        Duration ingestQueue = seconds(first(null, env.get("STRATUS_INGEST_QUEUE_SECONDS"), text(yaml, "ingest", "queueSeconds"),
                IngestAdmission.DEFAULT_QUEUE.toSeconds()), "ingest.queueSeconds / STRATUS_INGEST_QUEUE_SECONDS");
        boolean directWrites = bool(first(null, env.get("STRATUS_STORAGE_DIRECT_WRITES"), text(yaml, "storage", "directWrites"), "true"), "storage.directWrites");
        Duration quiet = seconds(first(null, env.get("STRATUS_METADATA_QUIET_SECONDS"), text(yaml, "metadata", "quietSeconds"), "5"), "metadata.quietSeconds");
        Duration busyQuiet = seconds(first(null, env.get("STRATUS_METADATA_BUSY_QUIET_SECONDS"), text(yaml, "metadata", "busyQuietSeconds"), "60"), "metadata.busyQuietSeconds");
        Duration poll = seconds(first(null, env.get("STRATUS_METADATA_POLL_SECONDS"), text(yaml, "metadata", "pollSeconds"), "2"), "metadata.pollSeconds");
        int retries = intValue(first(null, env.get("STRATUS_METADATA_MAX_RETRIES"), text(yaml, "metadata", "maxRetries"), "5"), "metadata.maxRetries");
        boolean worker = bool(first(null, env.get("STRATUS_METADATA_WORKER"), text(yaml, "metadata", "worker"), "true"), "metadata.worker");
        List<String> cors = new ArrayList<>();
        String corsEnv = env.get("STRATUS_CORS_ORIGINS");
        if (corsEnv != null) {
            for (String o : corsEnv.split(",")) if (!o.isBlank()) cors.add(o.strip());
        } else if (yaml.path("cors").path("origins").isArray()) {
            for (JsonNode o : yaml.path("cors").path("origins")) cors.add(o.asString());
        }
        // -1 turns the DICOM listener off (--no-dimse).
        int dimsePort = intValue(first(cli.dimsePort(), env.get("STRATUS_DIMSE_PORT"), text(yaml, "dimse", "port"), "11112"), "dimse.port / STRATUS_DIMSE_PORT / --dimse-port");
        if (dimsePort < -1 || dimsePort > 65535) throw new ConfigException("dimse.port must be 0 to 65535, not " + dimsePort);
        for (var name : yaml.path("dimse").propertyNames()) {
            if (!DIMSE_KEYS.contains(name)) throw new ConfigException("unknown setting 'dimse." + name + "' in " + yamlFile + " (known: " + new java.util.TreeSet<>(DIMSE_KEYS) + ")");
        }
        String dimseHost = str(first(cli.dimseHost(), env.get("STRATUS_DIMSE_HOST"), text(yaml, "dimse", "host"), "0.0.0.0")).strip();
        try {
            if (dimseHost.isEmpty()) throw new java.net.UnknownHostException("empty");
            java.net.InetAddress.getByName(dimseHost);
        } catch (java.net.UnknownHostException e) {
            throw new ConfigException("dimse.host / STRATUS_DIMSE_HOST / --dimse-host '" + dimseHost + "' is not an address of this machine's resolver: " + e.getMessage());
        }
        StratusConfig.DimseLimits dimseLimits = new StratusConfig.DimseLimits(
                atLeastOne(first(null, env.get("STRATUS_DIMSE_MAX_ASSOCIATIONS"), text(yaml, "dimse", "maxAssociations"),
                        DimseSettings.DEFAULT_MAX_ASSOCIATIONS), "dimse.maxAssociations / STRATUS_DIMSE_MAX_ASSOCIATIONS"),
                atLeastOne(first(null, env.get("STRATUS_DIMSE_MAX_ASSOCIATIONS_PER_PEER"), text(yaml, "dimse", "maxAssociationsPerPeer"),
                        DimseSettings.DEFAULT_MAX_ASSOCIATIONS_PER_PEER), "dimse.maxAssociationsPerPeer / STRATUS_DIMSE_MAX_ASSOCIATIONS_PER_PEER"),
                atLeastOne(first(null, env.get("STRATUS_DIMSE_MAX_PENDING_ASSOCIATIONS"), text(yaml, "dimse", "maxPendingAssociations"),
                        DimseSettings.DEFAULT_MAX_PENDING_ASSOCIATIONS), "dimse.maxPendingAssociations / STRATUS_DIMSE_MAX_PENDING_ASSOCIATIONS"),
                positiveSeconds(first(null, env.get("STRATUS_DIMSE_ARTIM_SECONDS"), text(yaml, "dimse", "artimSeconds"),
                        DimseSettings.DEFAULT_ARTIM_TIMEOUT.toSeconds()), "dimse.artimSeconds / STRATUS_DIMSE_ARTIM_SECONDS"),
                positiveSeconds(first(null, env.get("STRATUS_DIMSE_IDLE_SECONDS"), text(yaml, "dimse", "idleSeconds"),
                        DimseSettings.DEFAULT_IDLE_TIMEOUT.toSeconds()), "dimse.idleSeconds / STRATUS_DIMSE_IDLE_SECONDS"));
        String aeTitle = str(first(null, env.get("STRATUS_DIMSE_AE_TITLE"), text(yaml, "dimse", "aeTitle"), "STRATUS"));
        Map<String, StratusConfig.TenantSettings> tenants = new LinkedHashMap<>();
        JsonNode t = yaml.path("tenants");
        for (var name : t.propertyNames()) {
            JsonNode s = t.path(name);
            tenants.put(name, new StratusConfig.TenantSettings(
                    bool(s.path("numbersAsStrings").asString("false"), "tenants." + name + ".numbersAsStrings"),
                    bool(s.path("emptyQidoAs204").asString("false"), "tenants." + name + ".emptyQidoAs204")));
        }
        return new StratusConfig(port, dataDir, indexUrl, user, password, migrate, storage, directWrites, quiet, busyQuiet, poll, retries, worker,
                List.copyOf(cors), dimsePort, dimseHost, dimseLimits, aeTitle, dimseTenants(yaml.path("dimse").path("tenants")), Map.copyOf(tenants),
                ingestBudget(yaml.path("ingest"), env), host, shutdownTimeout, stowMaxParts, ingestMaxConcurrent, ingestQueue, reserveBytes);
    }

    /** ingest.*: the parse budget of every object offered for storage, each limit from 1 to ParseBudget.MAXIMUM's. */
    private static ParseBudget ingestBudget(JsonNode yaml, Map<String, String> env) {
        Set<String> known = Set.of("maxElements", "maxDepth", "maxValueBytes", "maxInflatedBytes", "maxInflateRatio",
                "maxConcurrent", "queueSeconds");
        for (String key : yaml.propertyNames()) {
            if (!known.contains(key)) throw new ConfigException("ingest." + key + " is not a setting (" + known + ")");
        }
        ParseBudget d = ParseBudget.DEFAULT, max = ParseBudget.MAXIMUM;
        return new ParseBudget(
                limit(yaml, env, "maxElements", "STRATUS_INGEST_MAX_ELEMENTS", d.maxElements(), max.maxElements()),
                (int) limit(yaml, env, "maxDepth", "STRATUS_INGEST_MAX_DEPTH", d.maxDepth(), max.maxDepth()),
                limit(yaml, env, "maxValueBytes", "STRATUS_INGEST_MAX_VALUE_BYTES", d.maxValueBytes(), max.maxValueBytes()),
                limit(yaml, env, "maxInflatedBytes", "STRATUS_INGEST_MAX_INFLATED_BYTES", d.maxInflatedBytes(), max.maxInflatedBytes()),
                (int) limit(yaml, env, "maxInflateRatio", "STRATUS_INGEST_MAX_INFLATE_RATIO", d.maxInflateRatio(), max.maxInflateRatio()));
    }

    private static long limit(JsonNode yaml, Map<String, String> env, String key, String envName, long otherwise, long max) {
        String name = "ingest." + key + " / " + envName;
        Object v = first(env.get(envName), text(yaml, key), otherwise);
        long n;
        try {
            n = Long.parseLong(v.toString().strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, not '" + v + "'");
        }
        if (n < 1 || n > max) throw new ConfigException(name + " must be 1 to " + max + ", not " + n);
        return n;
    }

    /** dimse.tenants.NAME.calledAeTitles / allowedCallingAeTitles: lists of AE titles, each checked. */
    private static StratusConfig.DimseTenants dimseTenants(JsonNode node) {
        Map<String, String> byCalled = new LinkedHashMap<>();
        Map<String, List<String>> allowed = new LinkedHashMap<>();
        for (String tenant : node.propertyNames()) {
            String where = "dimse.tenants." + tenant;
            try {
                new TenantId(tenant);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
            JsonNode t = node.path(tenant);
            for (String key : t.propertyNames()) {
                if (!key.equals("calledAeTitles") && !key.equals("allowedCallingAeTitles")) {
                    throw new ConfigException(where + "." + key + " is not a setting (calledAeTitles, allowedCallingAeTitles)");
                }
            }
            for (String ae : aeTitles(t.path("calledAeTitles"), where + ".calledAeTitles")) {
                String other = byCalled.putIfAbsent(ae, tenant);
                if (other != null) throw new ConfigException("called AE title " + ae + " is given to two tenants: " + other + " and " + tenant);
            }
            if (t.has("allowedCallingAeTitles")) allowed.put(tenant, aeTitles(t.path("allowedCallingAeTitles"), where + ".allowedCallingAeTitles"));
        }
        return new StratusConfig.DimseTenants(Map.copyOf(byCalled), Map.copyOf(allowed));
    }

    private static List<String> aeTitles(JsonNode list, String where) {
        if (list.isMissingNode()) return List.of();
        if (!list.isArray()) throw new ConfigException(where + " must be a list of AE titles");
        List<String> titles = new ArrayList<>();
        for (JsonNode n : list) {
            String ae = n.asString();
            if (!DimseSettings.isValidAeTitle(ae)) {
                throw new ConfigException(where + ": '" + ae + "' is not an AE title (1 to 16 printable characters, no backslash)");
            }
            titles.add(ae);
        }
        return List.copyOf(titles);
    }

    private static JsonNode readYaml(Path file) {
        if (file == null || !Files.exists(file)) return YAMLMapper.builder().build().createObjectNode();
        try {
            JsonNode n = YAMLMapper.builder().build().readTree(Files.readString(file));
            if (n == null || n.isMissingNode() || n.isNull()) return YAMLMapper.builder().build().createObjectNode();
            if (!n.isObject()) throw new ConfigException(file + " must hold a YAML mapping of settings");
            return n;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException ce) throw ce;
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode root, String... path) {
        JsonNode n = root;
        for (String p : path) n = n.path(p);
        return n.isMissingNode() || n.isNull() ? null : n.asString();
    }

    private static Object first(Object... candidates) {
        for (Object c : candidates) if (c != null) return c;
        return null;
    }

    private static String str(Object o) { return o == null ? null : o.toString(); }

    private static int intValue(Object o, String name) {
        try {
            return Integer.parseInt(o.toString().strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, not '" + o + "'");
        }
    }

    private static long longValue(Object o, String name) {
        try {
            return Long.parseLong(o.toString().strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, not '" + o + "'");
        }
    }

    private static int atLeastOne(Object o, String name) {
        int n = intValue(o, name);
        if (n < 1) throw new ConfigException(name + " must be at least 1, not " + n);
        return n;
    }

    private static Duration positiveSeconds(Object o, String name) {
        Duration d = seconds(o, name);
        if (d.isZero()) throw new ConfigException(name + " must be more than 0 seconds");
        return d;
    }

    private static boolean bool(Object o, String name) {
        String s = o.toString().strip().toLowerCase();
        return switch (s) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(name + " must be true or false, not '" + o + "'");
        };
    }

    private static Duration seconds(Object o, String name) {
        try {
            double s = Double.parseDouble(o.toString().strip());
            if (s < 0) throw new NumberFormatException();
            return Duration.ofMillis((long) (s * 1000));
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a non-negative number of seconds, not '" + o + "'");
        }
    }
}

package dev.stratus.app.config;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Builds a {@link StratusConfig}: the YAML file's tree, overlaid by STRATUS_* environment variables, overlaid by
 * command-line values, the {@link Default}s filled in where none of them gave a value, then bound to the records
 * ({@link SettingsBinder}) and checked. An unknown key, a malformed value or one out of its range stops start-up with a message naming
 * the key, where the value came from, and for an unknown key the nearest valid one.
 */
public final class ConfigLoader {
    /** Every key of the configuration (docs/configuration.md has one row for each). */
    public static final List<Setting> SETTINGS = Setting.of(StratusConfig.class);

    /** Environment names from before the one rule, still read when the rule's own name is not set. */
    public static final Map<String, String> ENVIRONMENT_ALIASES = Map.of("STRATUS_HOST", "http.host");

    /** STRATUS_* variables that are not settings: the file's location, and the launcher script's JVM options. */
    public static final Set<String> NOT_SETTINGS = Set.of("STRATUS_CONFIG", "STRATUS_JAVA_OPTS", "STRATUS_AOT");

    /** Environment variable → the setting it sets: the rule's name of every key, then the aliases. */
    private static final Map<String, Setting> BY_ENVIRONMENT = byEnvironment();

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigLoader() {}

    /** The configuration file: {@code --config}, else STRATUS_CONFIG, else ./stratus.yaml if there is one (null: none). */
    public static Path configFile(Path option, Map<String, String> env) {
        if (option != null) return option;
        if (env.get("STRATUS_CONFIG") != null) return Path.of(env.get("STRATUS_CONFIG"));
        Path local = Path.of("stratus.yaml");
        return Files.exists(local) ? local : null;
    }

    /** {@link #load(Path, Map, Map, Consumer)} with warnings on stderr. */
    public static StratusConfig load(Path yamlFile, Map<String, String> env, Map<String, String> commandLine) {
        return load(yamlFile, env, commandLine, w -> System.err.println("stratus: warning: " + w));
    }

    /**
     * @param yamlFile    the YAML file, null for none; a file named but absent is an error
     * @param env         the environment: STRATUS_* variables are read, others ignored
     * @param commandLine key (e.g. {@code http.port}) → value as the user typed it
     * @param warnings    told of STRATUS_* variables that are no setting
     */
    public static StratusConfig load(Path yamlFile, Map<String, String> env, Map<String, String> commandLine, Consumer<String> warnings) {
        ObjectNode fromFile = readYaml(yamlFile);
        ObjectNode tree = fromFile.deepCopy();
        Map<String, String> origins = new HashMap<>(); // key → where its value came from, when not the file
        for (var e : BY_ENVIRONMENT.entrySet()) { // the rule's names come before the aliases, which never override them
            Setting s = e.getValue();
            if (env.get(e.getKey()) == null || origins.containsKey(s.environmentKey())) continue;
            origins.put(s.environmentKey(), "from " + e.getKey());
            set(tree, s, env.get(e.getKey()), origins.get(s.environmentKey()));
        }
        for (String name : new TreeSet<>(env.keySet())) {
            // Warn, not fail: the environment is shared (Kubernetes gives a Service named stratus STRATUS_PORT, STRATUS_SERVICE_HOST…), the file is ours alone.
            if (name.startsWith("STRATUS_") && !BY_ENVIRONMENT.containsKey(name) && !NOT_SETTINGS.contains(name)) {
                warnings.accept(name + " is not a setting and is ignored; the nearest is " + nearest(name, BY_ENVIRONMENT.keySet()));
            }
        }
        for (var c : commandLine.entrySet()) {
            Setting s = SETTINGS.stream().filter(x -> x.environmentKey().equals(c.getKey())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no setting " + c.getKey()));
            origins.put(c.getKey(), "from the command line");
            set(tree, s, c.getValue(), origins.get(c.getKey()));
        }
        fillDefaults(tree, StratusConfig.class);
        Sources sources = new Sources(origins, fromFile, yamlFile);
        StratusConfig config = new SettingsBinder(sources::of).bind(tree, StratusConfig.class);
        checkBounds(config, "", sources);
        return config;
    }

    private static Map<String, Setting> byEnvironment() {
        Map<String, Setting> map = new LinkedHashMap<>();
        for (Setting s : SETTINGS) map.putIfAbsent(s.environment(), s);
        ENVIRONMENT_ALIASES.forEach((alias, key) -> map.put(alias, SETTINGS.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow()));
        return map;
    }

    private static ObjectNode readYaml(Path file) {
        if (file == null) return MAPPER.createObjectNode();
        if (!Files.isRegularFile(file)) throw new ConfigException("configuration file " + file + " does not exist");
        JsonNode n;
        try {
            n = MAPPER.readTree(Files.readString(file));
        } catch (Exception e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        if (n == null || n.isMissingNode() || n.isNull()) return MAPPER.createObjectNode();
        if (n instanceof ObjectNode o) return o;
        throw new ConfigException(file + " must hold a YAML mapping of settings");
    }

    /** Puts a value given as text (environment, command line) at its key: a list comma-separated or [a, b], a map as YAML {…}. */
    private static void set(ObjectNode tree, Setting s, String text, String source) {
        boolean map = !s.environmentKey().equals(s.key());
        JsonNode value;
        try {
            value = map || (s.isList() && text.strip().startsWith("[")) ? MAPPER.readTree(text)
                    : s.isList() ? list(text.split(","))
                    : MAPPER.getNodeFactory().stringNode(text);
        } catch (JacksonException e) {
            value = null;
        }
        if (map && (value == null || !value.isObject())) {
            throw new ConfigException(s.environmentKey() + " must be a YAML mapping such as {name: {key: value}}, was '" + text + "' (" + source + ")");
        }
        if (!map && (value == null || s.isList() && !value.isArray())) {
            throw new ConfigException(s.key() + " must be a list, comma-separated or as [a, b], was '" + text + "' (" + source + ")");
        }
        String[] path = s.environmentKey().split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            node = node.get(path[i]) instanceof ObjectNode o ? o : node.putObject(path[i]);
        }
        node.set(path[path.length - 1], value);
    }

    private static ArrayNode list(String[] items) {
        ArrayNode list = MAPPER.createArrayNode();
        for (String item : items) if (!item.isBlank()) list.add(item.strip());
        return list;
    }

    /** Where no value was given, the {@link Default}; sections absent from the tree are filled in as empty ones. */
    private static void fillDefaults(ObjectNode node, Class<?> record) {
        for (RecordComponent c : record.getRecordComponents()) {
            JsonNode child = node.get(c.getName());
            if (c.getType().isRecord()) {
                if (child == null || child.isNull()) child = node.putObject(c.getName());
                if (child instanceof ObjectNode o) fillDefaults(o, c.getType());
            } else if (c.getType() == Map.class && child instanceof ObjectNode map) {
                Class<?> values = (Class<?>) ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[1];
                for (String name : List.copyOf(map.propertyNames())) {
                    if (map.get(name).isNull()) map.putObject(name);
                    if (map.get(name) instanceof ObjectNode o) fillDefaults(o, values);
                }
            } else if ((child == null || child.isNull()) && c.getAnnotation(Default.class) != null) {
                node.put(c.getName(), c.getAnnotation(Default.class).value());
            }
        }
    }

    /** {@link Range} and {@link Positive}, checked on the bound records. */
    private static void checkBounds(Record record, String prefix, Sources sources) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String key = prefix + c.getName();
            Range range = c.getAnnotation(Range.class);
            if (range != null && value instanceof Number n && (n.longValue() < range.min() || n.longValue() > range.max())) {
                String bounds = range.max() == Long.MAX_VALUE ? "≥ " + range.min()
                        : range.min() == Long.MIN_VALUE ? "≤ " + range.max() : range.min() + " to " + range.max();
                throw new ConfigException(key + " must be " + bounds + ", was " + n + sources.of(key));
            }
            if (c.getAnnotation(Positive.class) != null && value instanceof Duration d && !d.isPositive()) {
                throw new ConfigException(key + " must be more than 0 seconds, was " + d.toMillis() / 1000.0 + sources.of(key));
            }
            if (value instanceof Record r) checkBounds(r, key + ".", sources);
            if (value instanceof Map<?, ?> map) {
                map.forEach((name, v) -> {
                    if (v instanceof Record r) checkBounds(r, key + "." + name + ".", sources);
                });
            }
        }
    }

    /** The candidate closest in spelling (Levenshtein distance, case ignored). */
    static String nearest(String name, Collection<String> candidates) {
        return candidates.stream().min(Comparator.comparingInt(c -> distance(name.toLowerCase(), c.toLowerCase()))).orElse("(none)");
    }

    private static int distance(String a, String b) {
        int[] row = new int[b.length() + 1];
        Arrays.setAll(row, i -> i);
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int next = Math.min(Math.min(row[j], row[j - 1]) + 1, diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = row[j];
                row[j] = next;
            }
        }
        return row[b.length()];
    }

    /** Where a key's value came from, for messages: the environment variable or command line that set it or a section above it, else the file. */
    private record Sources(Map<String, String> origins, ObjectNode file, Path fileName) {
        String of(String key) {
            for (String k = key; !k.isEmpty(); k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
                if (origins.containsKey(k)) return " (" + origins.get(k) + ")";
            }
            JsonNode n = file;
            for (String p : key.split("\\.")) n = n.path(p);
            return n.isMissingNode() ? "" : " (in " + fileName + ")";
        }
    }
}

package dev.stratus.app.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One key of the configuration, found by walking the records of {@link StratusConfig}: its place in the YAML tree
 * ({@code metadata.quietSeconds}), the environment variable that sets it, derived from the key by one rule
 * ({@link #environmentName}), and the record component that holds it (type, {@link Default}, {@link Range}).
 * Keys below a map of records name the map's key {@value #NAME} ({@code tenants.NAME.numbersAsStrings}); one
 * environment variable sets the whole map ({@code STRATUS_TENANTS}), since its keys are the user's own names.
 *
 * @param environmentKey the key the environment variable sets: {@code key} itself, or the map it lies in
 */
public record Setting(String key, String environmentKey, RecordComponent component) {
    public static final String NAME = "NAME";

    /** Every leaf key of the record tree under {@code root}, in declaration order. */
    public static List<Setting> of(Class<? extends Record> root) {
        List<Setting> all = new ArrayList<>();
        walk(root, "", null, all);
        Map<String, Setting> byEnvironment = new LinkedHashMap<>();
        for (Setting s : all) {
            Setting other = byEnvironment.putIfAbsent(s.environment(), s);
            if (other != null && !other.environmentKey.equals(s.environmentKey)) {
                throw new IllegalStateException(s.key + " and " + other.key + " would share " + s.environment());
            }
        }
        return List.copyOf(all);
    }

    private static void walk(Class<?> type, String prefix, String map, List<Setting> out) {
        for (RecordComponent c : type.getRecordComponents()) {
            String key = prefix + c.getName();
            Class<?> t = c.getType();
            if (t.isRecord()) {
                walk(t, key + ".", map, out);
            } else if (t == Map.class) {
                Class<?> value = typeArgument(c.getGenericType(), 1);
                if (!value.isRecord() || typeArgument(c.getGenericType(), 0) != String.class) {
                    throw new IllegalStateException(key + ": a map setting maps names to records");
                }
                walk(value, key + "." + NAME + ".", map != null ? map : key, out);
            } else {
                if (t.isPrimitive() && c.getAnnotation(Default.class) == null) {
                    throw new IllegalStateException(key + " is a " + t + " and needs a @Default");
                }
                if (kind(c).isEmpty()) throw new IllegalStateException(key + ": no setting can be a " + c.getGenericType());
                out.add(new Setting(key, map != null ? map : key, c));
            }
        }
    }

    /** {@code metadata.quietSeconds} → {@code STRATUS_METADATA_QUIET_SECONDS}: each word of the key in capitals, {@code _} between. */
    public static String environmentName(String key) {
        return "STRATUS_" + key.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    public String environment() {
        return environmentName(environmentKey);
    }

    public Optional<String> defaultValue() {
        Default d = component.getAnnotation(Default.class);
        return d == null ? Optional.empty() : Optional.of(d.value());
    }

    /** What a value of this setting is, in words for messages ("a whole number"). */
    public String kind() {
        return kind(component).orElseThrow();
    }

    static String kindOf(RecordComponent c) {
        return kind(c).orElse("a mapping of settings");
    }

    private static Optional<String> kind(RecordComponent c) {
        Class<?> t = c.getType();
        if (t == int.class || t == long.class || t == Integer.class) return Optional.of("a whole number");
        if (t == boolean.class) return Optional.of("true or false");
        if (t == Duration.class) return Optional.of("a number of seconds");
        if (t == String.class) return Optional.of("text");
        if (t == Path.class) return Optional.of("a path");
        if (t == List.class && typeArgument(c.getGenericType(), 0) == String.class) return Optional.of("a list");
        return Optional.empty();
    }

    boolean isList() {
        return component.getType() == List.class;
    }

    private static Class<?> typeArgument(Type generic, int i) {
        return generic instanceof ParameterizedType p && p.getActualTypeArguments()[i] instanceof Class<?> c ? c : Object.class;
    }
}

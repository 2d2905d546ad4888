package dev.stratus.app.config;

import tools.jackson.databind.JsonNode;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Binds the settings tree (defaults filled in) to the records of {@link StratusConfig}, each through its canonical
 * constructor. The settings are of a few kinds only (scalars of {@link SettingFormats}, text, lists of text, records,
 * maps of names to records), so this small walk replaces Jackson's data binding, whose deserializers for the ~30
 * records took ~17% of the main thread's start-up (issue 20, JFR of a start). Every refusal names the key.
 */
final class SettingsBinder {
    private final UnaryOperator<String> sourceOf; // key → " (from …)", " (in FILE)" or ""

    SettingsBinder(UnaryOperator<String> sourceOf) {
        this.sourceOf = sourceOf;
    }

    <T extends Record> T bind(JsonNode tree, Class<T> type) {
        return type.cast(record(tree, type, ""));
    }

    private Object record(JsonNode node, Class<?> type, String key) {
        if (!node.isObject()) throw refused(key, "must be a mapping of settings");
        RecordComponent[] components = type.getRecordComponents();
        List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
        String parent = key.isEmpty() ? "" : key + ".";
        for (String name : node.propertyNames()) {
            if (!names.contains(name)) {
                throw new ConfigException("unknown setting " + parent + name + sourceOf.apply(parent + name) + "; the nearest is "
                        + parent + ConfigLoader.nearest(name, names));
            }
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = value(node.get(components[i].getName()), components[i], parent + components[i].getName());
        }
        MethodHandle canonical;
        try {
            // a method handle, not Constructor.newInstance: reflection spins an accessor class per record, which was
            // a fifth of the start's main thread (issue 20)
            canonical = MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                    .findConstructor(type, MethodType.methodType(void.class, types));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " has no canonical constructor to bind", e);
        }
        try {
            return canonical.invokeWithArguments(values);
        } catch (InvalidSetting invalid) {
            String full = invalid.key == null ? key : parent + invalid.key;
            throw new ConfigException(full + " " + invalid.getMessage() + sourceOf.apply(full));
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new ConfigException(key + ": " + e.getMessage() + sourceOf.apply(key));
        }
    }

    private Object value(JsonNode node, RecordComponent component, String key) {
        Class<?> type = component.getType();
        boolean absent = node == null || node.isNull() || node.isMissingNode();
        if (type.isRecord()) return absent ? null : record(node, type, key);
        if (type == Map.class) return absent ? null : map(node, (Class<?>) typeArgument(component, 1), key);
        if (absent) {
            if (type.isPrimitive()) throw refused(key, "must be " + Setting.kindOf(component));
            return null;
        }
        if (type == List.class) {
            if (!node.isArray()) throw refused(key, "must be a list");
            List<String> list = new ArrayList<>();
            for (JsonNode item : node.values()) {
                if (item.isContainer()) throw refused(key, "must be a list");
                list.add(item.isNull() ? null : item.asString());
            }
            return list;
        }
        if (node.isContainer()) {
            if (type == String.class) throw refused(key, "must be text");
            throw invalid(key, SettingFormats.notScalar(type, node.isArray()));
        }
        if (type == String.class) return node.asString();
        try {
            return SettingFormats.parse(type, node.asString());
        } catch (InvalidSetting e) {
            throw invalid(key, e);
        }
    }

    private Map<String, Object> map(JsonNode node, Class<?> values, String key) {
        if (!node.isObject()) throw refused(key, "must be a mapping of settings");
        Map<String, Object> map = new LinkedHashMap<>();
        for (var e : node.properties()) map.put(e.getKey(), record(e.getValue(), values, key + "." + e.getKey()));
        return map;
    }

    private ConfigException refused(String key, String problem) {
        return new ConfigException(key + " " + problem + sourceOf.apply(key));
    }

    private ConfigException invalid(String key, InvalidSetting e) {
        return refused(key, e.getMessage());
    }

    private static Object typeArgument(RecordComponent c, int i) {
        return ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[i];
    }
}

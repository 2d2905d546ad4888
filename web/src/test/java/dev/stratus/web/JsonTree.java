package dev.stratus.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON document as plain Java values (Map, List, String, Long/Double, Boolean, null), for tests that read scripts' output. */
public final class JsonTree {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonTree() {}

    /** The JSON object in {@code bytes}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            p.nextToken();
            Object value = read(p);
            if (!(value instanceof Map)) throw new IllegalStateException("not a JSON object: " + value);
            return (Map<String, Object>) value;
        }
    }

    private static Object read(JsonParser p) {
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, read(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(read(p));
                yield l;
            }
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        };
    }
}

package dev.stratus.codec.json;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain tree of one JSON value: Map (members in order), List, String, {@link Num}, Boolean or null.
 * The reader needs it because an element's "vr" may come after its "Value" (JSON members are unordered).
 */
final class JsonTree {
    private JsonTree() {}

    /** A JSON number kept as its text, so that IS/DS keep their digits and precision. */
    record Num(String text) {
        @Override
        public String toString() { return text; }
    }

    /** Reads the value at the parser's current token (advancing to it first if there is none). */
    static Object read(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == null || t == JsonToken.PROPERTY_NAME) t = p.nextToken();
        if (t == null) throw new DicomJsonException("unexpected end of JSON");
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    p.nextToken();
                    if (m.containsKey(name)) {
                        throw new DicomJsonException("member \"" + name + "\" appears twice in one object" + at(p));
                    }
                    m.put(name, read(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t == null) throw new DicomJsonException("unexpected end of JSON inside an array");
                    l.add(read(p));
                }
                yield l;
            }
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Num(p.getText());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new DicomJsonException("unexpected JSON token " + t + at(p));
        };
    }

    static String at(JsonParser p) {
        var loc = p.currentTokenLocation();
        return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    /** The JSON type of a tree value, for messages. */
    static String typeOf(Object v) {
        return switch (v) {
            case null -> "null";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            case String s -> "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
            case Num n -> "the number " + n.text();
            case Boolean b -> b.toString();
            default -> v.getClass().getSimpleName();
        };
    }
}

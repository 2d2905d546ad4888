package dev.stratus.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for checking the servers' answers (how many data sets a QIDO or metadata response
 * holds, how many instances a STOW response lists as failed), so the bench module needs nothing beyond the
 * codec. Objects become maps, arrays lists, numbers doubles; anything malformed throws.
 */
final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    static Object parse(byte[] utf8) {
        Json j = new Json(new String(utf8, StandardCharsets.UTF_8));
        j.space();
        Object v = j.value(0);
        j.space();
        if (j.i != j.s.length()) throw j.error("text after the value");
        return v;
    }

    /** Number of elements of a top-level array; throws if the text is not one. */
    static int arrayLength(byte[] utf8) {
        if (utf8.length == 0) return 0;
        if (parse(utf8) instanceof List<?> l) return l.size();
        throw new IllegalArgumentException("not a JSON array");
    }

    /** Items in the DICOM JSON sequence {@code tag} ("00081198") of a top-level object; 0 if absent. */
    static int sequenceLength(byte[] utf8, String tag) {
        if (parse(utf8) instanceof Map<?, ?> m && m.get(tag) instanceof Map<?, ?> attr && attr.get("Value") instanceof List<?> items) {
            return items.size();
        }
        return 0;
    }

    private Object value(int depth) {
        if (depth > 200) throw error("nested too deeply");
        if (i >= s.length()) throw error("unexpected end");
        char c = s.charAt(i);
        switch (c) {
            case '{' -> {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                space();
                if (peek('}')) return m;
                for (int guard = 0; guard < s.length(); guard++) {
                    space();
                    String k = string();
                    space();
                    expect(':');
                    space();
                    m.put(k, value(depth + 1));
                    space();
                    if (peek('}')) return m;
                    expect(',');
                }
                throw error("unterminated object");
            }
            case '[' -> {
                i++;
                List<Object> l = new ArrayList<>();
                space();
                if (peek(']')) return l;
                for (int guard = 0; guard < s.length(); guard++) {
                    space();
                    l.add(value(depth + 1));
                    space();
                    if (peek(']')) return l;
                    expect(',');
                }
                throw error("unterminated array");
            }
            case '"' -> {
                return string();
            }
            case 't' -> {
                word("true");
                return Boolean.TRUE;
            }
            case 'f' -> {
                word("false");
                return Boolean.FALSE;
            }
            case 'n' -> {
                word("null");
                return null;
            }
            default -> {
                int start = i;
                while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
                if (start == i) throw error("unexpected character '" + c + "'");
                return Double.parseDouble(s.substring(start, i));
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') return sb.toString();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) break;
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (i + 4 > s.length()) throw error("short \\u escape");
                    sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> sb.append(e); // \" \\ \/
            }
        }
        throw error("unterminated string");
    }

    private void word(String w) {
        if (!s.startsWith(w, i)) throw error("expected " + w);
        i += w.length();
    }

    private boolean peek(char c) {
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!peek(c)) throw error("expected '" + c + "'");
    }

    private void space() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("malformed JSON at offset " + i + ": " + what);
    }
}

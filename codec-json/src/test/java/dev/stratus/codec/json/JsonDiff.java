package dev.stratus.codec.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares two DICOM JSON trees (as {@link JsonTree} reads them) after the oracle's normalisation: member order
 * and whitespace do not matter (trees, not text); numbers compare numerically ("1.50" equals 1.5); FL and FD
 * values compare as the float or double they denote, because binary floating point printed with more digits
 * than needed ("1.8999999761581421", DCMTK's %.17g) is the same number as its shortest form ("1.899999976158142").
 */
final class JsonDiff {
    private JsonDiff() {}

    /** One difference: where (tag path as TagPath prints it) and what, short and stable enough to list. */
    record Diff(String path, String what) {}

    static List<Diff> compare(Map<?, ?> ours, Map<?, ?> theirs) {
        List<Diff> out = new ArrayList<>();
        dataSet(ours, theirs, "", out);
        return out;
    }

    private static void dataSet(Map<?, ?> a, Map<?, ?> b, String prefix, List<Diff> out) {
        TreeSet<String> tags = new TreeSet<>();
        for (Object k : a.keySet()) tags.add((String) k);
        for (Object k : b.keySet()) tags.add((String) k);
        for (String tag : tags) {
            String path = prefix + tag;
            if (!b.containsKey(tag)) out.add(new Diff(path, "only ours has it: " + brief(a.get(tag))));
            else if (!a.containsKey(tag)) out.add(new Diff(path, "only dcmtk has it: " + brief(b.get(tag))));
            else element((Map<?, ?>) a.get(tag), (Map<?, ?>) b.get(tag), path, out);
        }
    }

    private static void element(Map<?, ?> a, Map<?, ?> b, String path, List<Diff> out) {
        Object vr = a.get("vr");
        if (!vr.equals(b.get("vr"))) {
            out.add(new Diff(path, "vr: ours " + vr + ", dcmtk " + b.get("vr")));
            return;
        }
        TreeSet<String> members = new TreeSet<>();
        for (Object k : a.keySet()) members.add((String) k);
        for (Object k : b.keySet()) members.add((String) k);
        members.remove("vr");
        for (String m : members) {
            Object x = a.get(m), y = b.get(m);
            if (x == null || y == null) {
                out.add(new Diff(path, m + ": ours " + brief(x) + ", dcmtk " + brief(y)));
            } else if (m.equals("Value")) {
                values((List<?>) x, (List<?>) y, (String) vr, path, out);
            } else if (m.equals("InlineBinary") && x instanceof String sx && y instanceof String sy) {
                if (!sx.equals(sy)) out.add(new Diff(path, binaryDiff(sx, sy)));
            } else if (!x.equals(y)) {
                out.add(new Diff(path, m + " differs: ours " + brief(x) + ", dcmtk " + brief(y)));
            }
        }
    }

    private static void values(List<?> a, List<?> b, String vr, String path, List<Diff> out) {
        if (a.size() != b.size()) {
            out.add(new Diff(path, "Value count: ours " + a.size() + " " + brief(a) + ", dcmtk " + b.size() + " " + brief(b)));
            return;
        }
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i), y = b.get(i);
            if (x instanceof Map<?, ?> mx && y instanceof Map<?, ?> my && isItem(mx, my)) {
                dataSet(mx, my, path + "/" + i + "/", out);
            } else if (!same(x, y, vr)) {
                out.add(new Diff(path, "Value[" + i + "]: ours " + brief(x) + ", dcmtk " + brief(y)));
            }
        }
    }

    /** A sequence item (keys are tags) rather than a PN value (keys are component group names). */
    private static boolean isItem(Map<?, ?> a, Map<?, ?> b) {
        for (Object k : a.keySet()) if (isTag((String) k)) return true;
        for (Object k : b.keySet()) if (isTag((String) k)) return true;
        return a.isEmpty() && b.isEmpty();
    }

    private static boolean isTag(String k) {
        return k.length() == 8 && k.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    static boolean same(Object x, Object y, String vr) {
        if (x instanceof JsonTree.Num nx && y instanceof JsonTree.Num ny) {
            if (vr.equals("FL")) return Float.parseFloat(nx.text()) == Float.parseFloat(ny.text());
            if (vr.equals("FD")) return Double.parseDouble(nx.text()) == Double.parseDouble(ny.text());
            return new BigDecimal(nx.text()).compareTo(new BigDecimal(ny.text())) == 0;
        }
        return x == null ? y == null : x.equals(y);
    }

    private static String binaryDiff(String x, String y) {
        byte[] a = java.util.Base64.getMimeDecoder().decode(x), b = java.util.Base64.getMimeDecoder().decode(y);
        int i = 0;
        while (i < a.length && i < b.length && a[i] == b[i]) i++;
        return "InlineBinary differs: ours " + a.length + " bytes, dcmtk " + b.length + " bytes, first difference at byte " + i;
    }

    /** Control characters as \\u001B, so that the list stays one readable line per difference. */
    private static String escapeControls(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c < 0x20) sb.append(String.format("\\u%04X", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    /** A value as JSON-ish text, cut at 60 characters so that base64 does not flood the list. */
    static String brief(Object v) {
        String s = switch (v) {
            case null -> "null";
            case String str -> "\"" + escapeControls(str) + "\"";
            case List<?> l -> {
                StringBuilder sb = new StringBuilder("[");
                for (Object o : l) sb.append(sb.length() > 1 ? "," : "").append(brief(o));
                yield sb.append(']').toString();
            }
            case Map<?, ?> m -> {
                StringBuilder sb = new StringBuilder("{");
                for (Map.Entry<?, ?> e : new java.util.TreeMap<>(m).entrySet()) {
                    sb.append(sb.length() > 1 ? "," : "").append(e.getKey()).append(':').append(brief(e.getValue()));
                }
                yield sb.append('}').toString();
            }
            default -> v.toString();
        };
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}

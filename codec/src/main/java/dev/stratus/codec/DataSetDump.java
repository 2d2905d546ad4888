package dev.stratus.codec;

import java.util.HexFormat;

/** A human-readable listing, one element a line: tag, VR, length, value, keyword; items indented. */
public final class DataSetDump {
    private static final int MAX_VALUE_CHARS = 64;

    private DataSetDump() {}

    public static String dump(DataSet ds) {
        StringBuilder sb = new StringBuilder();
        dump(ds, "", sb);
        return sb.toString();
    }

    public static void dump(DataSet ds, String indent, StringBuilder sb) {
        for (Element e : ds) {
            sb.append(indent).append(Tag.toString(e.tag())).append(' ').append(e.vr()).append(' ');
            switch (e) {
                case ValueElement v -> sb.append('#').append(v.length()).append(' ').append(shorten(valueText(v, ds)));
                case SequenceElement sq -> sb.append("#").append(sq.items().size()).append(" item(s)");
                case FragmentsElement f -> sb.append("#").append(f.fragments().size()).append(" fragment(s), offset table ")
                        .append(f.basicOffsetTable().length()).append(" bytes");
                case BulkDataElement b -> sb.append('#').append(b.isUndefinedLength() ? "undefined" : String.valueOf(b.length()))
                        .append(" (not read, at offset ").append(b.offset()).append(')');
            }
            String kw = DataDictionary.keywordOf(e.tag());
            if (!kw.isEmpty()) sb.append(' ').append(kw);
            sb.append('\n');
            if (e instanceof SequenceElement sq) {
                int i = 0;
                for (DataSet item : sq.items()) {
                    sb.append(indent).append("  (FFFE,E000) item ").append(++i).append('\n');
                    dump(item, indent + "    ", sb);
                }
            } else if (e instanceof FragmentsElement f) {
                int i = 0;
                for (Fragment fr : f.fragments()) {
                    sb.append(indent).append("  (FFFE,E000) fragment ").append(i++).append(" #").append(fr.length()).append('\n');
                }
            }
        }
    }

    /** The value as text: strings decoded with the data set's character set, numbers in decimal, bytes in hex. */
    public static String valueText(ValueElement v, DataSet ds) {
        VR vr = v.vr();
        if (vr.isString()) return "[" + String.join("\\", Values.strings(v, ds.charset())) + "]";
        return switch (vr) {
            case FL, FD, OF, OD -> join(Values.doubles(v));
            case AT -> {
                StringBuilder sb = new StringBuilder();
                for (long t : Values.longs(v, ds.charset())) {
                    if (!sb.isEmpty()) sb.append('\\');
                    sb.append(Tag.toString((int) t));
                }
                yield sb.toString();
            }
            case US, SS, UL, SL, SV, UV -> join(Values.longs(v, ds.charset()));
            default -> HexFormat.ofDelimiter("\\").formatHex(v.bytes(), 0, Math.min(v.length(), MAX_VALUE_CHARS / 3 + 1));
        };
    }

    private static String join(double[] d) {
        StringBuilder sb = new StringBuilder();
        for (double x : d) {
            if (!sb.isEmpty()) sb.append('\\');
            sb.append(x == Math.rint(x) && Math.abs(x) < 1e15 ? String.valueOf((long) x) : String.valueOf(x));
        }
        return sb.toString();
    }

    private static String join(long[] l) {
        StringBuilder sb = new StringBuilder();
        for (long x : l) {
            if (!sb.isEmpty()) sb.append('\\');
            sb.append(x);
        }
        return sb.toString();
    }

    private static String shorten(String s) {
        return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS) + "...";
    }
}

package dev.stratus.codec.json;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Element;
import dev.stratus.codec.Fragment;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.Values;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns the JSON tree of one data set into a {@link DataSet}, checking it against PS3.18 F.2 on the way. */
final class JsonElementDecoder {
    private static final Set<String> MEMBERS = Set.of("vr", "Value", "InlineBinary", "BulkDataURI");
    private static final List<String> PN_GROUPS = List.of("Alphabetic", "Ideographic", "Phonetic");

    private final TransferSyntax inlineBinarySyntax;

    JsonElementDecoder(TransferSyntax inlineBinarySyntax) {
        this.inlineBinarySyntax = inlineBinarySyntax;
    }

    /** @param where prefix for messages ("data set 3 of the array: ") */
    DataSet dataSet(Object tree, String where) {
        return build(tree, where, "", true).ds;
    }

    private record Built(DataSet ds, boolean nonAscii) {}

    /** Per element being decoded: where it is (for messages) and whether it held non-ASCII text. */
    private static final class Ctx {
        final String prefix, path;
        final int tag;
        boolean nonAscii;

        Ctx(String prefix, String path, int tag) {
            this.prefix = prefix;
            this.path = path;
            this.tag = tag;
        }

        DicomJsonException error(String problem) {
            return new DicomJsonException(prefix + "element " + path + Tag.toHex(tag) + " " + DicomJsonReader.name(tag) + ": " + problem);
        }
    }

    /** @param path the enclosing sequences and items, as "00081115/0/" */
    private Built build(Object tree, String prefix, String path, boolean top) {
        if (!(tree instanceof Map<?, ?> members)) {
            throw new DicomJsonException(prefix + "data set must be a JSON object, found " + JsonTree.typeOf(tree));
        }
        DataSet ds = new DataSet(Math.max(4, members.size()));
        boolean nonAscii = false;
        for (Map.Entry<?, ?> m : members.entrySet()) {
            String key = (String) m.getKey();
            int tag = parseTag(key);
            if (tag == -1) {
                throw new DicomJsonException(prefix + "member \"" + path + key + "\" is not a tag (8 hexadecimal digits, PS3.18 F.2.2)");
            }
            if (ds.contains(tag)) throw new DicomJsonException(prefix + "tag " + path + key + " appears twice (in two spellings)");
            Ctx ctx = new Ctx(prefix, path, tag);
            Element e = element(ctx, m.getValue());
            if (!Tag.isGroupLength(tag)) ds.put(e); // F.2.2 leaves them out, pydicom writes them: checked, then dropped
            nonAscii |= ctx.nonAscii;
        }
        if (nonAscii && (top || ds.contains(Tag.SpecificCharacterSet))) {
            // every string was stored as UTF-8: say so where the character set is declared (PS3.3 C.12.1.1.2)
            ds.put(new ValueElement(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192".getBytes(StandardCharsets.US_ASCII)));
        }
        return new Built(ds, nonAscii);
    }

    /** "0010001A" (lower case accepted) to a tag; -1 if not 8 ASCII hexadecimal digits. */
    static int parseTag(String key) {
        if (key.length() != 8) return -1;
        for (int i = 0; i < 8; i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f')) return -1;
        }
        return (int) Long.parseLong(key, 16);
    }

    private Element element(Ctx ctx, Object tree) {
        if (!(tree instanceof Map<?, ?> m)) throw ctx.error("must be a JSON object, found " + JsonTree.typeOf(tree));
        for (Object k : m.keySet()) {
            if (!MEMBERS.contains(k)) throw ctx.error("unknown member \"" + k + "\" (F.2.2 allows vr, Value, InlineBinary, BulkDataURI)");
        }
        if (!(m.get("vr") instanceof String vrName)) {
            throw ctx.error(m.containsKey("vr") ? "\"vr\" must be a string, found " + JsonTree.typeOf(m.get("vr")) : "has no \"vr\"");
        }
        VR vr = VR.ofName(vrName);
        if (vr == null) throw ctx.error("\"" + vrName + "\" is not a VR");
        int present = (m.containsKey("Value") ? 1 : 0) + (m.containsKey("InlineBinary") ? 1 : 0) + (m.containsKey("BulkDataURI") ? 1 : 0);
        if (present > 1) throw ctx.error("has more than one of Value, InlineBinary and BulkDataURI");
        int tag = ctx.tag;
        if (m.containsKey("BulkDataURI")) return bulkData(ctx, vr, m.get("BulkDataURI"));
        if (m.containsKey("InlineBinary")) return inlineBinary(ctx, vr, m.get("InlineBinary"));
        Object value = m.get("Value");
        if (value == null) {
            if (m.containsKey("Value")) throw ctx.error("\"Value\" must be an array, found null (an empty value has no \"Value\", F.2.5)");
            return vr == VR.SQ ? new SequenceElement(tag, vr, new ArrayList<>()) : new ValueElement(tag, vr, new byte[0]);
        }
        if (!(value instanceof List<?> values)) throw ctx.error("\"Value\" must be an array, found " + JsonTree.typeOf(value));
        if (vr == VR.SQ) return sequence(ctx, values);
        if (vr.isBulk()) throw ctx.error("VR " + vr + " takes InlineBinary or BulkDataURI, not Value (F.2.2)");
        if (vr.isString()) return strings(ctx, vr, values);
        return new ValueElement(tag, vr, JsonBinaryValues.encode(vr, values, ctx::error));
    }

    private Element bulkData(Ctx ctx, VR vr, Object uri) {
        if (!(uri instanceof String s) || s.isEmpty()) throw ctx.error("\"BulkDataURI\" must be a non-empty string, found " + JsonTree.typeOf(uri));
        if (!DicomJsonWriter.BULK_URI_VRS.contains(vr)) throw ctx.error("VR " + vr + " cannot have a BulkDataURI (F.2.2)");
        return new BulkDataElement(ctx.tag, vr, -1, -1, false, s);
    }

    private Element inlineBinary(Ctx ctx, VR vr, Object text) {
        if (!vr.isBulk()) throw ctx.error("VR " + vr + " cannot have InlineBinary (F.2.2: only OB, OD, OF, OL, OV, OW, UN)");
        if (!(text instanceof String s)) throw ctx.error("\"InlineBinary\" must be a base64 string, found " + JsonTree.typeOf(text));
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s.replaceAll("[\\s]", ""));
        } catch (IllegalArgumentException e) {
            throw ctx.error("\"InlineBinary\" is not base64: " + e.getMessage());
        }
        if (ctx.tag == Tag.PixelData && ctx.path.isEmpty() && inlineBinarySyntax.encapsulated() && (vr == VR.OB || vr == VR.OW)) {
            return new FragmentsElement(ctx.tag, vr, fragments(ctx, bytes)); // OW too, as some files have it
        }
        if (inlineBinarySyntax.bigEndian()) Values.swapInPlace(bytes, vr);
        return new ValueElement(ctx.tag, vr, bytes);
    }

    /** The fragment items of encapsulated pixel data (PS3.5 A.4), with or without the closing delimiter. */
    private static List<Fragment> fragments(Ctx ctx, byte[] b) {
        List<Fragment> out = new ArrayList<>();
        int pos = 0;
        while (pos < b.length) {
            if (b.length - pos < 8) throw ctx.error("encapsulated InlineBinary ends inside an item header at byte " + pos);
            int itemTag = Values.u16(b, pos) << 16 | Values.u16(b, pos + 2);
            long len = Values.i32(b, pos + 4) & 0xFFFFFFFFL;
            pos += 8;
            if (itemTag == Tag.SequenceDelimitationItem) break;
            if (itemTag != Tag.Item) throw ctx.error("encapsulated InlineBinary has " + Tag.toString(itemTag) + " where an item was expected, at byte " + (pos - 8));
            if (len > b.length - pos) throw ctx.error("encapsulated InlineBinary item of " + len + " bytes runs past the end");
            byte[] frag = new byte[(int) len];
            System.arraycopy(b, pos, frag, 0, frag.length);
            out.add(new Fragment(-1, frag.length, frag));
            pos += frag.length;
        }
        if (out.isEmpty()) throw ctx.error("encapsulated InlineBinary has no Basic Offset Table item");
        return out;
    }

    private Element sequence(Ctx ctx, List<?> values) {
        List<DataSet> items = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            Object item = values.get(i);
            if (!(item instanceof Map<?, ?>)) throw ctx.error("item " + i + " must be a JSON object, found " + JsonTree.typeOf(item));
            Built b = build(item, ctx.prefix, ctx.path + Tag.toHex(ctx.tag) + "/" + i + "/", false);
            ctx.nonAscii |= b.nonAscii;
            items.add(b.ds);
        }
        return new SequenceElement(ctx.tag, VR.SQ, items);
    }

    private Element strings(Ctx ctx, VR vr, List<?> values) {
        boolean single = vr.kind() == VR.Kind.TEXT;
        if (single && values.size() > 1) throw ctx.error("VR " + vr + " has a single value, found " + values.size());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append('\\');
            String s = stringValue(ctx, vr, values.get(i), i);
            if (!single && s.indexOf('\\') >= 0) {
                throw ctx.error("value " + i + " contains a backslash, the value delimiter of PS3.5 (see the note of F.2.4)");
            }
            sb.append(s);
        }
        String text = sb.toString();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                ctx.nonAscii = true;
                break;
            }
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new ValueElement(ctx.tag, vr, Values.padded(bytes, vr));
    }

    private String stringValue(Ctx ctx, VR vr, Object v, int i) {
        if (v == null) return "";
        if (vr == VR.PN) return personName(ctx, v, i);
        if (v instanceof String s) return s; // IS/DS as strings too (F.2.3): kept as written
        if (v instanceof JsonTree.Num n && (vr == VR.IS || vr == VR.DS)) return number(ctx, vr, n, i);
        throw ctx.error("value " + i + " must be a string" + (vr == VR.IS || vr == VR.DS ? " or a number" : "") + ", found " + JsonTree.typeOf(v));
    }

    private String number(Ctx ctx, VR vr, JsonTree.Num n, int i) {
        if (vr == VR.DS) return JsonNumbers.toDS(n.text());
        try {
            BigInteger x = JsonNumbers.exactInteger(n.text());
            if (x.bitLength() > 31) throw ctx.error("IS value " + i + " (" + n + ") is outside -2^31..2^31-1 (PS3.5 Table 6.2-1)");
            return x.toString();
        } catch (ArithmeticException e) {
            throw ctx.error("IS value " + i + " (" + n + ") is not an integer in range");
        }
    }

    private String personName(Ctx ctx, Object v, int i) {
        if (!(v instanceof Map<?, ?> m)) {
            throw ctx.error("PN value " + i + " must be an object with Alphabetic, Ideographic or Phonetic (F.2.2), found " + JsonTree.typeOf(v));
        }
        String[] groups = new String[3];
        for (Map.Entry<?, ?> e : m.entrySet()) {
            int g = PN_GROUPS.indexOf(e.getKey());
            if (g < 0) throw ctx.error("PN value " + i + " has unknown member \"" + e.getKey() + "\"");
            if (!(e.getValue() instanceof String s)) throw ctx.error("PN value " + i + " " + e.getKey() + " must be a string, found " + JsonTree.typeOf(e.getValue()));
            if (s.indexOf('=') >= 0) throw ctx.error("PN value " + i + " " + e.getKey() + " contains '=', the component group delimiter");
            groups[g] = s;
        }
        int last = 2;
        while (last >= 0 && (groups[last] == null || groups[last].isEmpty())) last--;
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g <= last; g++) {
            if (g > 0) sb.append('=');
            if (groups[g] != null) sb.append(groups[g]);
        }
        return sb.toString();
    }
}

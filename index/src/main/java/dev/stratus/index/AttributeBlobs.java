package dev.stratus.index;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Element;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.SpecificCharacterSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.Values;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The attributes the index returns, kept as Explicit VR Little Endian bytes. Strings are re-encoded in
 * UTF-8 (ISO_IR 192) so that attributes of a study, a series and an instance stored with different
 * character sets can be merged into one result.
 */
public final class AttributeBlobs {
    private AttributeBlobs() {}

    /** Values larger than this are not kept: QIDO-RS answers with small attributes, never bulk data. */
    static final int MAX_VALUE_BYTES = 4096;
    /** Sequences whose values add up to more than this are left out (functional groups, large SR content). */
    static final int MAX_SEQUENCE_BYTES = 16384;

    public static final String UTF_8 = "ISO_IR 192";

    /** The small top-level attributes of {@code source} whose tags are wanted, re-encoded in UTF-8. */
    public static DataSet subset(DataSet source, IntPredicate wanted) {
        DataSet out = new DataSet();
        boolean nonAscii = false;
        for (Element e : source) {
            int tag = e.tag();
            if (tag == Tag.SpecificCharacterSet || Tag.group(tag) == 0x0002 || !wanted.test(tag)) continue;
            if (approximateSize(e) > (e instanceof SequenceElement ? MAX_SEQUENCE_BYTES : MAX_VALUE_BYTES)) continue;
            Element copy = toUtf8(e, source.charset());
            if (copy == null) continue;
            nonAscii |= hasNonAscii(copy);
            out.put(copy);
        }
        if (nonAscii) out.setString(Tag.SpecificCharacterSet, VR.CS, UTF_8);
        return out;
    }

    public static byte[] encode(DataSet ds) {
        try {
            return DicomWriter.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode index attributes", e);
        }
    }

    public static DataSet decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) return new DataSet();
        try {
            // written by the index from an instance accepted within a configured budget, which MAXIMUM bounds
            return new DicomReader(bytes).readDataSet(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.ALL.within(ParseBudget.MAXIMUM));
        } catch (DicomParseException e) {
            throw new IllegalStateException("corrupt attributes in the index: " + e.getMessage(), e);
        }
    }

    // Only in-memory values and sequences are kept; bulk data and fragments are never index material.
    private static Element toUtf8(Element e, SpecificCharacterSet cs) {
        if (e instanceof ValueElement v) {
            if (!v.vr().isString() || !hasNonAscii(v.bytes())) return v;
            String text = cs.decode(v.bytes(), 0, v.bytes().length, v.vr());
            return new ValueElement(v.tag(), v.vr(), Values.padded(text.getBytes(StandardCharsets.UTF_8), v.vr()));
        }
        if (e instanceof SequenceElement sq) {
            List<DataSet> items = new ArrayList<>(sq.items().size());
            for (DataSet item : sq.items()) items.add(itemToUtf8(item));
            return new SequenceElement(sq.tag(), sq.vr(), items);
        }
        return null;
    }

    private static DataSet itemToUtf8(DataSet item) {
        DataSet out = new DataSet();
        for (Element e : item) {
            if (e.tag() == Tag.SpecificCharacterSet) continue;
            Element copy = toUtf8(e, item.charset());
            if (copy != null) out.put(copy);
        }
        return out;
    }

    private static long approximateSize(Element e) {
        if (e instanceof ValueElement v) return v.bytes().length;
        if (e instanceof SequenceElement sq) {
            long n = 0;
            for (DataSet item : sq.items()) for (Element x : item) n += 8 + approximateSize(x);
            return n;
        }
        return Long.MAX_VALUE;
    }

    static boolean hasNonAscii(Element e) {
        if (e instanceof ValueElement v) return v.vr().isString() && hasNonAscii(v.bytes());
        if (e instanceof SequenceElement sq) {
            for (DataSet item : sq.items()) for (Element x : item) if (hasNonAscii(x)) return true;
        }
        return false;
    }

    private static boolean hasNonAscii(byte[] b) {
        for (byte x : b) if (x < 0 || x == 0x1B) return true;
        return false;
    }
}
